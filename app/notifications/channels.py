"""Where a notification goes: a `Notifier` is one channel (the in-app list is the one shipped).

Another channel (mail, SMS, a messaging webhook) is one adapter more: a class with
`send(session, messages)` appended to `NOTIFIERS`. A channel that talks to the outside world should
queue its messages (e.g. a job) rather than call out inside the request's transaction; it gets the
session for that. Every channel sees every message; it picks its own recipients' addresses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.notifications.models import Notification


class NotificationKind:
    DUTIES_CHANGED = "duties_changed"
    LEAVE_APPROVED = "leave_approved"
    REQUEST_CANCELLED = "request_cancelled"
    LEVEL_DECLARED = "level_declared"


@dataclass(frozen=True)
class Message:
    """What one officer is told: the kind of event, its facts, where it comes from."""

    officer_id: str
    kind: str
    details: dict[str, Any] = field(default_factory=dict)
    change_id: int | None = None
    roster_id: int | None = None


class Notifier(Protocol):
    """One channel of notifications."""

    name: str

    def send(self, session: Session, messages: Sequence[Message]) -> None: ...


class InAppNotifier:
    """The in-app list: one `notifications` row per message, unread."""

    name = "in_app"

    def send(self, session: Session, messages: Sequence[Message]) -> None:
        now = utcnow()
        session.add_all(
            Notification(
                officer_id=m.officer_id,
                kind=m.kind,
                change_id=m.change_id,
                roster_id=m.roster_id,
                details=m.details,
                created_at=now,
            )
            for m in messages
        )
        session.flush()


NOTIFIERS: list[Notifier] = [InAppNotifier()]
"""The channels every message goes to, in order."""


def notify(session: Session, messages: Sequence[Message]) -> None:
    """Send the messages on every channel (nothing when there are none)."""
    if not messages:
        return
    for notifier in NOTIFIERS:
        notifier.send(session, messages)
