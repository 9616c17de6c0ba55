"""A notification to one officer (read or unread), written by the in-app channel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.reference.models import ID_LENGTH


class Notification(Base):
    """One message to an officer. `kind` says what happened (`duties_changed`, `leave_approved`,
    `request_cancelled`, `level_declared`, …), `details` the facts the page renders in its
    language (the duties added and removed, the span, the level); `change_id` and `roster_id` name
    the change request and the roster version it comes from, as plain values (a notification
    outlives a deleted draft)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_officer_read", "officer_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("officers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    change_id: Mapped[int | None] = mapped_column(nullable=True)
    roster_id: Mapped[int | None] = mapped_column(nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    read_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
