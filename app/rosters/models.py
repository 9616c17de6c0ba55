"""Roster versions, the scenario snapshots they were solved for, and what is published.

A roster version covers a horizon and a set of units. `published_days` holds, for every unit and
date, the one version that is published for it; its primary key is what guarantees "only one
published roster per unit and day".
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    and_,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base
from app.reference.models import ID_LENGTH, Unit


class RosterStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class ScenarioSnapshot(Base):
    """The exact scenario document a job solved; the roster's score analysis is computed against it."""

    __tablename__ = "scenario_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


roster_units = Table(
    "roster_units",
    Base.metadata,
    Column("roster_id", ForeignKey("rosters.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True),
)


class Roster(Base):
    __tablename__ = "rosters"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=RosterStatus.DRAFT, index=True)
    start: Mapped[date] = mapped_column(Date)
    days: Mapped[int]
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("scenario_snapshots.id", ondelete="RESTRICT"))
    solver_status: Mapped[str] = mapped_column(String(16))
    objective: Mapped[int | None] = mapped_column(nullable=True)
    bound: Mapped[int | None] = mapped_column(nullable=True)
    score: Mapped[dict[str, int] | None] = mapped_column(JSON, nullable=True)
    solve_seconds: Mapped[float | None] = mapped_column(nullable=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    slot_stats: Mapped[dict[str, dict[str, list[int]]]] = mapped_column(
        JSON, default=dict, doc="unit → date → [slots, officers required], for the coverage report"
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    published_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    units: Mapped[list[Unit]] = relationship(secondary=roster_units, order_by=Unit.id, lazy="selectin")
    snapshot: Mapped[ScenarioSnapshot] = relationship(lazy="select")

    @property
    def unit_ids(self) -> list[str]:
        return [u.id for u in self.units]


class RosterAssignment(Base):
    """One duty of a roster version, with its real interval (UTC) for "who is on duty at T"."""

    __tablename__ = "roster_assignments"
    __table_args__ = (
        Index("ix_roster_assignments_roster_date", "roster_id", "date"),
        Index("ix_roster_assignments_unit_date", "unit_id", "date"),
        Index("ix_roster_assignments_officer_date", "officer_id", "date"),
        Index("ix_roster_assignments_post_date", "post_id", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id", ondelete="CASCADE"))
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id", ondelete="RESTRICT"))
    post_id: Mapped[str] = mapped_column(ForeignKey("posts.id", ondelete="RESTRICT"))
    shift_id: Mapped[str] = mapped_column(ForeignKey("shift_types.id", ondelete="RESTRICT"))
    unit_id: Mapped[str] = mapped_column(String(ID_LENGTH), doc="the post's unit when the roster was made")
    date: Mapped[date] = mapped_column(Date)
    start_at: Mapped[datetime] = mapped_column(DateTime, doc="UTC, naive")
    end_at: Mapped[datetime] = mapped_column(DateTime, doc="UTC, naive")
    minutes: Mapped[int]
    night: Mapped[bool]
    leader: Mapped[bool] = mapped_column(
        default=False, server_default=sa_false(), doc="the slot's duty leader (带班; solver.roles)"
    )
    position: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), nullable=True, doc="the post's position the officer stands at"
    )


class RosterShortfall(Base):
    __tablename__ = "roster_shortfalls"
    __table_args__ = (Index("ix_roster_shortfalls_roster_date", "roster_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id", ondelete="CASCADE"))
    post_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    unit_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    shift_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    date: Mapped[date] = mapped_column(Date)
    missing: Mapped[int]
    skill: Mapped[str | None] = mapped_column(String(ID_LENGTH), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason_zh: Mapped[str | None] = mapped_column(Text, nullable=True)
    causes: Mapped[dict[str, int] | None] = mapped_column(JSON, nullable=True)


class PublishedDay(Base):
    """Which roster version is published for a unit on a date (at most one, by the primary key)."""

    __tablename__ = "published_days"

    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id", ondelete="CASCADE"), index=True)


def is_published(row: type[RosterAssignment] | type[RosterShortfall]) -> ColumnElement[bool]:
    """Join condition of a duty or short slot with `published_days`: it belongs to the version
    published for its unit and date."""
    return and_(
        PublishedDay.roster_id == row.roster_id,
        PublishedDay.unit_id == row.unit_id,
        PublishedDay.date == row.date,
    )
