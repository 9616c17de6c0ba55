"""Reference data as the duty office keeps it: it mirrors scenario format v1 (docs/scenario-format.md)."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base
from solver.io import limits

# Column sizes: the one set of limits the loader and the API schemas check (solver.io.limits).
ID_LENGTH = limits.ID_LENGTH
NAME_LENGTH = limits.NAME_LENGTH
TEXT_LENGTH = limits.TEXT_LENGTH


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))


class Skill(Base):
    __tablename__ = "skills"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))


class ShiftType(Base):
    __tablename__ = "shift_types"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    start: Mapped[time] = mapped_column(Time)
    minutes: Mapped[int]
    night: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0, doc="order of the shift types in the scenario")


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    kind: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    priority: Mapped[int] = mapped_column(default=1)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True, doc="WGS84 degrees (tours, maps)")
    lon: Mapped[float | None] = mapped_column(Float, nullable=True, doc="WGS84 degrees (tours, maps)")
    standby: Mapped[bool] = mapped_column(
        default=False, server_default=sa_false(), doc="a standby (备勤) post: its duties are reserves on call"
    )
    positions: Mapped[list[dict[str, Any]] | None] = mapped_column(
        JSON, nullable=True, doc="where officers stand: [{id, name, heads?}] (远端分流 / 中端警示 / 近端查控)"
    )
    leader_skill: Mapped[str | None] = mapped_column(
        String(ID_LENGTH),
        nullable=True,
        doc="the skill of the duty leader (带班); null: `leader` if required",
    )
    coverage: Mapped[list[Coverage]] = relationship(
        primaryjoin="and_(Post.id == Coverage.post_id, Coverage.level == 'normal')",
        cascade="all, delete-orphan",
        order_by="Coverage.position",
        lazy="selectin",
    )
    """The entries of normal duty (常态); the other duty levels' profiles are rows of the same table
    with their `level` (app.levels)."""

    @property
    def location(self) -> dict[str, float] | None:
        """`{"lat", "lon"}` of the post, or None where it has no coordinates."""
        if self.lat is None or self.lon is None:
            return None
        return {"lat": self.lat, "lon": self.lon}


class Coverage(Base):
    __tablename__ = "coverages"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[str] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shift_types.id", ondelete="RESTRICT"), index=True)
    min: Mapped[int]
    max: Mapped[int]
    skills: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    days: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    over_weight: Mapped[int] = mapped_column(default=0, server_default="0")
    """Scenario format 2: the cost of each officer above `min` (the overstaffing term)."""
    position: Mapped[int] = mapped_column(default=0)
    level: Mapped[str] = mapped_column(
        String(16), default="normal", server_default="normal", doc="the duty level whose profile holds it"
    )


officer_serves = Table(
    "officer_serves",
    Base.metadata,
    Column("officer_id", ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True, index=True),
)

officer_skills = Table(
    "officer_skills",
    Base.metadata,
    Column("officer_id", ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Officer(Base):
    __tablename__ = "officers"
    # Relationships load on access; bulk readers add `OFFICER_RECORDS` (app.planning.records) to load
    # them at once.

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    rule_overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    phone: Mapped[str] = mapped_column(
        String(TEXT_LENGTH), default="", server_default="", doc="printed on the duty sheet"
    )

    serves: Mapped[list[Unit]] = relationship(secondary=officer_serves, order_by=Unit.id, lazy="select")
    skills: Mapped[list[Skill]] = relationship(secondary=officer_skills, order_by=Skill.id, lazy="select")
    unavailable: Mapped[list[Unavailability]] = relationship(
        back_populates="officer",
        cascade="all, delete-orphan",
        order_by="Unavailability.start",
        lazy="select",
    )
    requests: Mapped[list[OfficerRequest]] = relationship(
        back_populates="officer",
        cascade="all, delete-orphan",
        order_by="OfficerRequest.date",
        lazy="select",
    )
    history: Mapped[list[HistoryDuty]] = relationship(
        back_populates="officer", cascade="all, delete-orphan", order_by="HistoryDuty.date", lazy="select"
    )


class Unavailability(Base):
    """A span [start, end) of local wall-clock time in which the officer takes no duty."""

    __tablename__ = "unavailability"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"), index=True)
    start: Mapped[datetime] = mapped_column(DateTime)
    end: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(TEXT_LENGTH), default="")
    officer: Mapped[Officer] = relationship(back_populates="unavailable")


class OfficerRequest(Base):
    """A wish for a day off, a shift off or a shift on; only approved requests go into a solve."""

    __tablename__ = "officer_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    date: Mapped[date] = mapped_column(Date)
    shift_id: Mapped[str | None] = mapped_column(
        ForeignKey("shift_types.id", ondelete="RESTRICT"), nullable=True
    )
    weight: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.APPROVED)
    note: Mapped[str] = mapped_column(Text, default="")
    officer: Mapped[Officer] = relationship(back_populates="requests")


class HistoryDuty(Base):
    """A duty worked before any planned horizon (entered by hand or imported)."""

    __tablename__ = "history_duties"
    __table_args__ = (UniqueConstraint("officer_id", "shift_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"), index=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shift_types.id", ondelete="RESTRICT"))
    date: Mapped[date] = mapped_column(Date)
    officer: Mapped[Officer] = relationship(back_populates="history")


class PinnedDuty(Base):
    """A duty that every roster covering its date must contain."""

    __tablename__ = "pinned_duties"
    __table_args__ = (
        UniqueConstraint("officer_id", "post_id", "shift_id", "date"),
        Index("ix_pinned_duties_date", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"))
    post_id: Mapped[str] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    shift_id: Mapped[str] = mapped_column(ForeignKey("shift_types.id", ondelete="RESTRICT"))
    date: Mapped[date] = mapped_column(Date)


class DetachmentSettings(Base):
    """The scenario-wide values: name, time zone, working-time rules, weights and the usual horizon."""

    __tablename__ = "detachment_settings"

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), default="detachment")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    weights: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    horizon_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    horizon_days: Mapped[int | None] = mapped_column(nullable=True)
