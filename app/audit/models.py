"""The audit trail of every change to a roster.

Audit events name rosters, changes, officers and posts by plain values, not foreign keys: the trail
outlives what it describes (a deleted draft, a removed officer).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.reference.models import ID_LENGTH


class AuditEvent(Base):
    """One step in the life of a roster: generated, published, superseded, deleted, and each step of
    a change request (submitted … applied) with the duties it added and removed."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_duty", "post_id", "date", "shift_id"),
        Index("ix_audit_events_officer", "officer_id"),
        Index("ix_audit_events_roster", "roster_id"),
        Index("ix_audit_events_change", "change_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(nullable=True)
    actor: Mapped[str] = mapped_column(String(64), default="", doc="username, or 'system'")
    action: Mapped[str] = mapped_column(String(32))
    roster_id: Mapped[int | None] = mapped_column(nullable=True)
    change_id: Mapped[int | None] = mapped_column(nullable=True)
    officer_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), nullable=True)
    post_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), nullable=True)
    shift_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), nullable=True)
    date: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
