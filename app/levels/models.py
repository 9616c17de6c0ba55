"""Duty levels: the levels, what each cancels (a setting), and the declarations in force.

A level's coverage profile is rows of `coverages` with that `level` (app.reference.models.Coverage);
normal duty's are the posts' own coverage."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class DutyLevel(StrEnum):
    NORMAL = "normal"
    LEVEL3 = "level3"
    LEVEL2 = "level2"
    LEVEL1 = "level1"


LEVEL_NAMES = {
    DutyLevel.NORMAL: "常态",
    DutyLevel.LEVEL3: "三级",
    DutyLevel.LEVEL2: "二级",
    DutyLevel.LEVEL1: "一级",
}
DECLARABLE = (DutyLevel.LEVEL3, DutyLevel.LEVEL2, DutyLevel.LEVEL1)
"""Normal duty is never declared: it holds again when a declared period ends."""


class LevelSettings(Base):
    """What declaring a level cancels in its period: the officers' leave whose reason names one of
    `cancels_leave` (never sick leave or an injury), and their approved requests of the kinds in
    `cancels_requests` (day_off, shift_off). A level without a row has `DEFAULT_SETTINGS`."""

    __tablename__ = "duty_level_settings"

    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    cancels_leave: Mapped[list[str]] = mapped_column(JSON, default=list)
    cancels_requests: Mapped[list[str]] = mapped_column(JSON, default=list)


class LevelDeclaration(Base):
    """A level in force for `unit_ids` on the dates [start, end), made by approving change request
    `change_id`. The newest declaration covering a date and unit holds; after `end` the level
    declared before it (normal duty at the bottom) holds again."""

    __tablename__ = "duty_level_declarations"
    __table_args__ = (Index("ix_duty_level_declarations_dates", "start", "end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date, doc="exclusive")
    unit_ids: Mapped[list[str]] = mapped_column(JSON)
    change_id: Mapped[int | None] = mapped_column(nullable=True)
    declared_by: Mapped[int | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class OwedRestRule(Base):
    """How a surge becomes owed rest (补休): time worked above `normal_minutes_per_week` (pro rata
    over a declared period) while a level is in force accrues one owed day per
    `minutes_per_owed_day`; owed days are due `deadline_days` after the period ends. One row
    (id 1); `OWED_REST_DEFAULTS` without it."""

    __tablename__ = "owed_rest_rules"

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    normal_minutes_per_week: Mapped[int] = mapped_column(default=2400)
    minutes_per_owed_day: Mapped[int] = mapped_column(default=480)
    deadline_days: Mapped[int] = mapped_column(default=28)


class OwedRestEntry(Base):
    """One line of an officer's owed-rest balance: days `accrued` by a declared level's period
    (`declaration_id`, `minutes_over` worked above normal hours), or days `granted` off: by hand
    (POST /officers/{id}/owed-rest/grants), or by the days off of a published roster (`roster_id`)."""

    __tablename__ = "owed_rest_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    days: Mapped[int]
    minutes_over: Mapped[int] = mapped_column(default=0)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date, doc="exclusive")
    declaration_id: Mapped[int | None] = mapped_column(
        ForeignKey("duty_level_declarations.id", ondelete="CASCADE"), nullable=True, index=True
    )
    roster_id: Mapped[int | None] = mapped_column(
        nullable=True, index=True, doc="the published roster version whose days off granted it"
    )
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
