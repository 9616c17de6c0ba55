"""Tour plans: a plan per request (its problem, built from the published roster), its versions
(the first solve, then one per re-plan), and the jobs that make the versions."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base
from app.jobs.models import LeasedJob


class TourJobKind(StrEnum):
    PLAN = "plan"
    REPLAN = "replan"


class TourPlanRow(Base):
    """What was asked (horizon, supervisors) and the tour problem built for it, as a document
    (`solver.tours.problem_to_dict`): versions and the referee read the same problem."""

    __tablename__ = "tour_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    start: Mapped[date] = mapped_column(Date)
    days: Mapped[int]
    supervisors: Mapped[list[str]] = mapped_column(JSON)
    problem: Mapped[dict[str, Any]] = mapped_column(JSON)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, doc="the TourSettings values it is solved with")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    latest_version: Mapped[int] = mapped_column(default=0, doc="0 until the first solve is stored")


class TourPlanVersion(Base):
    __tablename__ = "tour_plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("tour_plans.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    document: Mapped[dict[str, Any]] = mapped_column(JSON, doc="solver.tours.plan_to_dict")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    method: Mapped[str] = mapped_column(String(32))
    visits: Mapped[int]
    drive_minutes: Mapped[int]
    km: Mapped[float] = mapped_column(Float)
    share_met: Mapped[float] = mapped_column(Float)
    missed: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")


class TourJob(LeasedJob, Base):
    """A solve (`plan`) or a day's re-plan (`replan`) of a tour plan; status, lease and recovery as
    roster jobs' (`LeasedJob`), run by the same job engine (`app.tours.jobs`)."""

    __tablename__ = "tour_jobs"

    kind: Mapped[str] = mapped_column(String(16))
    plan_id: Mapped[int] = mapped_column(ForeignKey("tour_plans.id", ondelete="CASCADE"), index=True)
    base_version: Mapped[int | None] = mapped_column(nullable=True, doc="the version a re-plan starts from")
    replan: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, doc='{"supervisor", "at"}')
    days_total: Mapped[int]
    days_done: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    elapsed: Mapped[float] = mapped_column(Float, default=0.0)
    version: Mapped[int | None] = mapped_column(nullable=True, doc="the plan version it stored")
