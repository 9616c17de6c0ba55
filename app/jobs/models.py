"""Roster jobs: a request to solve a horizon for some units, from queued to its roster version."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    CANCELLED = "cancelled"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class LeasedJob:
    """What every kind of job row has (roster jobs here, tour jobs in `app.tours.models`), so one
    runner, one lease and one recovery path serve them all (`app.jobs.kinds`).

    The lease: the process (or worker) holding the job renews `lease_until` while it has the job
    queued or running; only a job whose lease ran out may be declared interrupted by another."""

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    phase: Mapped[str] = mapped_column(String(64), default="")
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    message: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str | None] = mapped_column(String(128), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)


class SolveJob(LeasedJob, Base):
    __tablename__ = "solve_jobs"

    start: Mapped[date] = mapped_column(Date)
    days: Mapped[int]
    unit_ids: Mapped[list[str]] = mapped_column(JSON)
    time_limit: Mapped[float]
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("scenario_snapshots.id", ondelete="RESTRICT"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    elapsed: Mapped[float] = mapped_column(default=0.0)
    objective: Mapped[int | None] = mapped_column(nullable=True)
    bound: Mapped[int | None] = mapped_column(nullable=True)
    roster_id: Mapped[int | None] = mapped_column(
        ForeignKey("rosters.id", ondelete="SET NULL"), nullable=True
    )
    # Fan-out (`app.jobs.fanout`): a part's job names its parent and keeps its roster document
    # until the last part merges them into the parent's roster.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("solve_jobs.id", ondelete="CASCADE"), nullable=True, index=True
    )
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
