"""Users, passwords and bearer tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.accounts.models import ApiToken, Role, User
from app.core.clock import utcnow
from app.core.errors import Conflict, ErrorDetail, Forbidden, NotFound, RuleViolation, Unauthorized
from app.core.paging import PageParams, fetch_page
from app.core.security import (
    DUMMY_HASH,
    hash_password,
    needs_rehash,
    new_token,
    token_digest,
    verify_password,
)
from app.reference.models import Officer, Unit

TOUCH_EVERY = timedelta(minutes=1)
"""A token's last use is written at most this often (not on every request)."""


def token_in_use(session: Session, token: str, idle_minutes: int) -> tuple[User, int, bool] | None:
    """The active user of an unexpired, not idle token, in one query; with the token row's id and
    whether its last use should be written now (`touch_token`)."""
    now = utcnow()
    last_use = func.coalesce(ApiToken.last_used_at, ApiToken.created_at)
    row = session.execute(
        select(User, ApiToken.id, last_use)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == token_digest(token),
            ApiToken.expires_at > now,
            last_use > now - timedelta(minutes=idle_minutes),
            User.is_active,
        )
    ).first()
    if row is None:
        return None
    user, token_id, used = row
    return user, token_id, used is None or used <= now - TOUCH_EVERY


def user_for_token(session: Session, token: str, idle_minutes: int = 60) -> User | None:
    found = token_in_use(session, token, idle_minutes)
    return None if found is None else found[0]


def touch_token(session: Session, token_id: int) -> None:
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow()))


def login(session: Session, username: str, password: str, ttl_hours: int) -> tuple[str, datetime, User]:
    """A new token for the user, or 401. An unknown user name costs the same scrypt work as a wrong
    password (`DUMMY_HASH`); a hash made with older parameters is replaced."""
    user = session.scalar(select(User).where(User.username == username))
    ok = verify_password(password, DUMMY_HASH if user is None else user.password_hash)
    if user is None or not user.is_active or not ok:
        raise Unauthorized("wrong username or password")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    token, expires = issue_token(session, user, ttl_hours)
    return token, expires, user


def issue_token(session: Session, user: User, ttl_hours: int) -> tuple[str, datetime]:
    """A new bearer token for `user` (only its digest is stored); expired ones are swept."""
    token = new_token()
    expires = utcnow() + timedelta(hours=ttl_hours)
    session.add(
        ApiToken(user_id=user.id, token_hash=token_digest(token), created_at=utcnow(), expires_at=expires)
    )
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.expires_at <= utcnow()))
    session.flush()
    return token, expires


def logout(session: Session, token: str) -> None:
    session.execute(delete(ApiToken).where(ApiToken.token_hash == token_digest(token)))


def _check_links(session: Session, role: str, unit_ids: list[str], officer_id: str | None) -> list[Unit]:
    problems = []
    units = list(session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))) if unit_ids else []
    for missing in sorted(set(unit_ids) - {u.id for u in units}):
        problems.append(ErrorDetail("body.units", f"unknown unit {missing!r}", missing))
    if officer_id is not None and session.get(Officer, officer_id) is None:
        problems.append(ErrorDetail("body.officer_id", f"unknown officer {officer_id!r}", officer_id))
    if role == Role.OFFICER and officer_id is None:
        problems.append(ErrorDetail("body.officer_id", "an officer account must name its officer"))
    if role == Role.DISPATCHER and not unit_ids:
        problems.append(ErrorDetail("body.units", "a dispatcher account needs at least one unit"))
    if problems:
        raise RuleViolation("the account does not fit its role", problems)
    return units


def create_user(
    session: Session,
    username: str,
    role: str,
    password: str,
    unit_ids: list[str] | None = None,
    officer_id: str | None = None,
) -> User:
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"user {username!r} already exists")
    units = _check_links(session, role, unit_ids or [], officer_id)
    user = User(
        username=username,
        role=role,
        password_hash=hash_password(password),
        officer_id=officer_id,
        is_active=True,
        created_at=utcnow(),
        units=units,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def list_users(session: Session, page: PageParams, role: str | None = None) -> tuple[list[User], int]:
    stmt = select(User)
    if role is not None:
        stmt = stmt.where(User.role == role)
    return fetch_page(session, stmt.order_by(User.id), page)


def update_user(
    session: Session,
    user: User,
    *,
    role: str | None = None,
    password: str | None = None,
    unit_ids: list[str] | None = None,
    officer_id: str | None = None,
    clear_officer: bool = False,
    is_active: bool | None = None,
) -> User:
    new_role = role or user.role
    new_units = unit_ids if unit_ids is not None else user.unit_ids
    new_officer = None if clear_officer else (officer_id if officer_id is not None else user.officer_id)
    user.units = _check_links(session, new_role, new_units, new_officer)
    user.role, user.officer_id = new_role, new_officer
    if password is not None:
        user.password_hash = hash_password(password)
        session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    if is_active is not None:
        user.is_active = is_active
    session.flush()
    return user


def delete_user(session: Session, user: User, acting: User) -> None:
    if user.id == acting.id:
        raise Forbidden("you cannot delete your own account")
    session.delete(user)
    session.flush()
