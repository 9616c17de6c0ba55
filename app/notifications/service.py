"""Notifications: what to tell whom when a roster changes, and an officer's list (read, unread)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.core.clock import utcnow
from app.core.errors import NotFound
from app.core.paging import PageParams, fetch_page
from app.notifications.channels import Message, NotificationKind, notify
from app.notifications.models import Notification
from solver import domain as d


def _duty(a: d.Assignment) -> dict[str, str]:
    return {"date": a.date.isoformat(), "shift": a.shift, "post": a.post}


def duty_change_messages(
    before: Iterable[d.Assignment],
    after: Iterable[d.Assignment],
    *,
    roster_id: int | None,
    change_id: int | None = None,
    cause: str = "replan",
) -> list[Message]:
    """One message per officer whose duties differ between `before` and `after` (the duties they
    gained and lost); `cause` is the change's kind, or `replan` for a roster published over
    another."""
    old, new = set(before), set(after)
    added: dict[str, list[d.Assignment]] = defaultdict(list)
    removed: dict[str, list[d.Assignment]] = defaultdict(list)
    for a in new - old:
        added[a.officer].append(a)
    for a in old - new:
        removed[a.officer].append(a)
    return [
        Message(
            officer_id=officer,
            kind=NotificationKind.DUTIES_CHANGED,
            details={
                "cause": cause,
                "added": [_duty(a) for a in sorted(added.get(officer, []))],
                "removed": [_duty(a) for a in sorted(removed.get(officer, []))],
            },
            change_id=change_id,
            roster_id=roster_id,
        )
        for officer in sorted(set(added) | set(removed))
    ]


def notify_duty_changes(
    session: Session,
    before: Iterable[d.Assignment],
    after: Iterable[d.Assignment],
    *,
    roster_id: int | None,
    change_id: int | None = None,
    cause: str = "replan",
) -> list[str]:
    """Tell every officer whose duties changed; the officers told."""
    messages = duty_change_messages(before, after, roster_id=roster_id, change_id=change_id, cause=cause)
    notify(session, messages)
    return [m.officer_id for m in messages]


def notify_one(
    session: Session,
    officer_id: str,
    kind: str,
    details: dict[str, Any],
    *,
    change_id: int | None = None,
    roster_id: int | None = None,
) -> None:
    notify(session, [Message(officer_id, kind, details, change_id, roster_id)])


def _mine(user: User, unread: bool) -> Any:
    stmt = select(Notification).where(Notification.officer_id == user.officer_id)
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt


def list_mine(
    session: Session, user: User, page: PageParams, unread: bool = False
) -> tuple[list[Notification], int]:
    """The user's officer's notifications, newest first (none for an account without an officer)."""
    if user.officer_id is None:
        return [], 0
    return fetch_page(session, _mine(user, unread).order_by(Notification.id.desc()), page)


def unread_count(session: Session, user: User) -> int:
    if user.officer_id is None:
        return 0
    stmt = select(func.count()).select_from(_mine(user, True).subquery())
    return session.scalar(stmt) or 0


def mark_read(session: Session, user: User, notification_id: int) -> Notification:
    row = session.get(Notification, notification_id)
    if row is None or user.officer_id is None or row.officer_id != user.officer_id:
        raise NotFound(f"no notification {notification_id} of yours")
    if row.read_at is None:
        row.read_at = utcnow()
        session.flush()
    return row


def mark_all_read(session: Session, user: User) -> int:
    """Mark every unread notification of the user read; how many were."""
    if user.officer_id is None:
        return 0
    result = session.execute(
        update(Notification)
        .where(Notification.officer_id == user.officer_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def officers_told(session: Session, change_id: int) -> Sequence[str]:
    """The officers a change request's notifications went to (sorted, once each)."""
    rows = session.scalars(
        select(Notification.officer_id).where(Notification.change_id == change_id).distinct()
    )
    return sorted(rows)
