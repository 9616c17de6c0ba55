"""Who may act on which units: the role rules of the service in one place.

- admin: everything.
- dispatcher: reads everything; generates, publishes and approves only for their own units.
- officer: their own schedule and requests, and the published roster of their home unit.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from app.errors import Forbidden
from app.models import Officer, Role, User


def manages(user: User, unit_ids: Iterable[str]) -> bool:
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.DISPATCHER:
        return False
    return set(unit_ids) <= set(user.unit_ids)


def ensure_manages(user: User, unit_ids: Iterable[str], what: str) -> None:
    units = sorted(set(unit_ids))
    if not manages(user, units):
        outside = sorted(set(units) - set(user.unit_ids)) if user.role == Role.DISPATCHER else units
        raise Forbidden(f"you may not {what} for unit(s) {', '.join(outside) or '(all)'}")


def officer_of(session: Session, user: User) -> Officer | None:
    return None if user.officer_id is None else session.get(Officer, user.officer_id)


def readable_units(session: Session, user: User) -> set[str] | None:
    """Units whose published roster the user may read: None means all."""
    if user.role in (Role.ADMIN, Role.DISPATCHER):
        return None
    officer = officer_of(session, user)
    return set() if officer is None else {officer.unit_id}


def ensure_self_or_staff(user: User, officer_id: str) -> None:
    if user.role in (Role.ADMIN, Role.DISPATCHER):
        return
    if user.officer_id != officer_id:
        raise Forbidden("officers may only see their own records")
