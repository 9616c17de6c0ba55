"""Tour plan requests, plans, versions, the referee's report and tour jobs."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field, StrictInt

from app.core.schemas import Id, LocalDateTime, ReadSchema, Schema, UtcDateTime
from app.reference.schemas import PostKindName


class TravelMatrixIn(Schema):
    """Driving times imported from a map service, between points by id (post ids and the HQ's
    `hq` id): `minutes[from][to]`; `km` the same way (else great-circle km × road factor)."""

    minutes: dict[Id, dict[Id, Annotated[float, Field(ge=0, le=24 * 60)]]] = Field(
        description="origin id -> destination id -> driving minutes; every pair the plan needs"
    )
    km: dict[Id, dict[Id, Annotated[float, Field(ge=0, le=5000)]]] | None = Field(
        default=None, description="origin id -> destination id -> road km (optional)"
    )
    symmetric: bool = Field(default=False, description="a missing pair takes its reverse pair's value")


class TourRulesIn(Schema):
    """How often and how long the checkpoints are inspected (omitted fields: the engine's defaults,
    see docs/tours.md)."""

    visit_minutes: dict[PostKindName, Annotated[StrictInt, Field(ge=0, le=600)]] | None = Field(
        default=None, description="minutes on site per post kind"
    )
    interval_days: dict[PostKindName, Annotated[StrictInt, Field(ge=1, le=60)]] | None = Field(
        default=None, description="per post kind: seen once in every block of this many days"
    )
    post_interval_days: dict[Id, Annotated[StrictInt, Field(ge=1, le=60)]] | None = Field(
        default=None, description="per post id: overrides the kind's interval"
    )
    daily_priority: Annotated[StrictInt, Field(ge=1, le=100)] | None = Field(
        default=None, description="posts of at least this priority are seen every day"
    )
    tour_start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = Field(
        default=None, description="daily tour window start, HH:MM local"
    )
    tour_end: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = Field(
        default=None, description="daily tour window end, HH:MM local (at or before the start: next day)"
    )


class TourPlanCreate(Schema):
    start: date = Field(description="first day of the horizon (a published roster must cover it)")
    days: Annotated[StrictInt, Field(ge=1)] = 7
    supervisors: list[Id] | None = Field(
        default=None, description="officer ids; omitted or null: the officers holding the supervisor skill"
    )
    time_limit_per_day: Annotated[float, Field(gt=0, le=60)] | None = Field(
        default=None, description="routing search seconds per day; default from settings"
    )
    solution_limit: Annotated[StrictInt, Field(ge=1)] | None = Field(
        default=None,
        description="stop each day's search after this many solutions (the same plan on any machine)",
    )
    rules: TourRulesIn | None = Field(default=None, description="visit lengths, frequencies, tour window")
    travel_matrix: TravelMatrixIn | None = Field(
        default=None,
        description="imported driving times; omitted: from coordinates, road factor and speed settings",
    )


class TourReplanCreate(Schema):
    supervisor: Id = Field(description="the supervisor called away")
    at: LocalDateTime = Field(
        description="local time (no offset) they leave; the rest of that day is re-planned"
    )


class TourJobRead(ReadSchema):
    id: int
    kind: str
    status: str
    plan_id: int
    base_version: int | None
    days_total: int
    days_done: int
    created_at: UtcDateTime
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    elapsed: float
    phase: str
    cancel_requested: bool
    message: str
    version: int | None


class TourVersionRead(ReadSchema):
    version: int
    kind: str
    created_at: UtcDateTime
    method: str
    visits: int
    drive_minutes: int
    km: float
    share_met: float
    missed: int
    note: str


class TourPlanSummary(ReadSchema):
    id: int
    start: date
    days: int
    supervisors: list[str]
    created_at: UtcDateTime
    latest_version: int


class TourPlanRead(Schema):
    id: int
    start: date
    days: int
    version: TourVersionRead
    versions: int
    timezone: str
    dates: list[date]
    supervisors: list[dict[str, Any]] = Field(description="id, name, depot")
    sites: list[dict[str, Any]] = Field(description="id, name, kind, priority, lat, lon")
    depots: list[dict[str, Any]] = Field(description="id, name, lat, lon")
    routes: list[dict[str, Any]] = Field(
        description="supervisor, date, depot, start, end, drive_minutes, km, interrupted, "
        "visits [site, arrival, departure]"
    )
    missed: list[dict[str, Any]] = Field(
        description="requirement (site, first, deadline, kind), date, reason"
    )
    not_visited: list[dict[str, Any]] = Field(description="site, date, reason, due")
    interruptions: list[dict[str, Any]]


class TourViolationRead(Schema):
    rule: str
    supervisor: str | None
    site: str | None
    date: date | None
    message: str


class TourCheckRead(Schema):
    ok: bool
    version: int
    violations: list[TourViolationRead]
    routes: int
    visits: int
    drive_minutes: int
    km: float
    required: int
    met: int
    share_met: float
    missed_by_reason: dict[str, int]
