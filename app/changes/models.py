"""Changes to a published roster (swap, cover, leave, coverage change), and the coverage changes
in force from a date.

The JSON columns hold the typed models of `app.changes.stored` and the kinds' contexts
(`app.changes.kinds`): validated when read, dumped when written.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.reference.models import ID_LENGTH


class ChangeKind(StrEnum):
    SWAP = "swap"
    COVER = "cover"
    LEAVE = "leave"
    COVERAGE_CHANGE = "coverage_change"
    DUTY_LEVEL = "duty_level"
    CALL_OUT = "call_out"


class ChangeStatus(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    APPROVED = "approved"
    APPLIED = "applied"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    FAILED = "failed"


OPEN_CHANGE_STATUSES = (ChangeStatus.SUBMITTED, ChangeStatus.ACCEPTED)
REPLANNED_KINDS = (ChangeKind.LEAVE, ChangeKind.COVERAGE_CHANGE, ChangeKind.DUTY_LEVEL)

change_units = Table(
    "roster_change_units",
    Base.metadata,
    Column("change_id", ForeignKey("roster_changes.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", String(ID_LENGTH), primary_key=True, index=True),
)

change_officers = Table(
    "roster_change_officers",
    Base.metadata,
    Column("change_id", ForeignKey("roster_changes.id", ondelete="CASCADE"), primary_key=True),
    Column("officer_id", String(ID_LENGTH), primary_key=True, index=True),
    Column("position", Integer, nullable=False, default=0),
)


class RosterChange(Base):
    """A request to change the published roster, from submission to its decision.

    `payload` is the request as submitted; `validation` the referee's verdict on the roster as it
    would be after the change; `proposal` (leave, coverage change) the re-planned roster as a diff
    of the base, made by the solve job `job_id` and stored as draft version `proposal_roster_id`.
    """

    __tablename__ = "roster_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=ChangeStatus.SUBMITTED, index=True)
    requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    requester_name: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    base_roster_id: Mapped[int | None] = mapped_column(
        ForeignKey("rosters.id", ondelete="SET NULL"), nullable=True
    )
    applied_roster_id: Mapped[int | None] = mapped_column(
        ForeignKey("rosters.id", ondelete="SET NULL"), nullable=True
    )
    scope: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, nullable=True, doc="horizon and units the change is checked and applied on"
    )
    validation: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("solve_jobs.id", ondelete="SET NULL"), nullable=True
    )
    context: Mapped[dict[str, Any] | None] = mapped_column(
        JSON,
        nullable=True,
        doc="what the service works with: the duties, the swap partner, the re-plan's now and units",
    )
    proposal: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    proposal_roster_id: Mapped[int | None] = mapped_column(
        ForeignKey("rosters.id", ondelete="SET NULL"), nullable=True
    )


class CoverageChange(Base):
    """An applied coverage change: from `from_date` on, the post's entries for `shift_id` are
    `coverage` (a list of coverage entries, empty when closed) instead of `previous`.

    The post's stored coverage always holds the newest entries; these rows let a scenario whose
    horizon starts before `from_date` see the old entries on the dates before it.
    """

    __tablename__ = "coverage_changes"
    __table_args__ = (Index("ix_coverage_changes_post_shift", "post_id", "shift_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[str] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    shift_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    from_date: Mapped[date] = mapped_column(Date)
    previous: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    coverage: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    change_id: Mapped[int | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
