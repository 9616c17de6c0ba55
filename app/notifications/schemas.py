"""Notifications as the API gives them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.core.paging import Page
from app.core.schemas import Schema
from app.notifications.models import Notification


class NotificationRead(Schema):
    id: int
    kind: str
    officer: str
    change_id: int | None
    roster_id: int | None
    details: dict[str, Any]
    created_at: datetime
    read: bool
    read_at: datetime | None

    @classmethod
    def of(cls, n: Notification) -> NotificationRead:
        return cls(
            id=n.id,
            kind=n.kind,
            officer=n.officer_id,
            change_id=n.change_id,
            roster_id=n.roster_id,
            details=n.details,
            created_at=n.created_at,
            read=n.read_at is not None,
            read_at=n.read_at,
        )


class NotificationPage(Page[NotificationRead]):
    unread: int


class UnreadCount(Schema):
    unread: int


class ReadAllResult(Schema):
    marked: int
    unread: int
