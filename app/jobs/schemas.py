"""A roster request, and the job solving it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, StrictInt

from app.core.schemas import Id, ReadSchema, Schema, UtcDateTime, literal_of
from app.jobs.models import JobStatus

if TYPE_CHECKING:
    JobStatusName = str
else:
    JobStatusName = literal_of(JobStatus)


class JobCreate(Schema):
    start: date = Field(description="first day of the horizon")
    days: Annotated[StrictInt, Field(ge=1, le=62)] = 7
    units: list[Id] | None = Field(None, description="units to roster; omitted or null: all units")
    time_limit: Annotated[float, Field(gt=0)] | None = Field(
        None, description="seconds; default from settings"
    )


class JobRead(ReadSchema):
    id: int
    status: str
    start: date
    days: int
    units: list[str] = Field(validation_alias="unit_ids")
    time_limit: float
    created_at: UtcDateTime
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    elapsed: float
    objective: int | None
    bound: int | None
    phase: str
    cancel_requested: bool
    message: str
    roster_id: int | None


class RunningJob(Schema):
    id: int
    units: list[str]
    owner: str | None
    started_at: UtcDateTime | None
    lease_until: UtcDateTime | None
    parent_id: int | None


class WorkerRead(Schema):
    id: int
    last_heartbeat: UtcDateTime | None
    seconds_since_heartbeat: float | None


class KindCounts(Schema):
    queued: int
    running: int


class QueueRead(Schema):
    engine: str
    queued: int = Field(description="jobs waiting for a worker (parts of fanned-out jobs included)")
    running: int
    running_jobs: list[RunningJob]
    workers: list[WorkerRead] = Field(description="procrastinate workers and their heartbeats")
    other_kinds: dict[str, KindCounts] = Field(
        default_factory=dict,
        description="the other kinds of job on the same engine and workers (`tour`: tour plans), "
        "queued and running",
    )
