"""Roster versions, their duties and short slots, and the reports on the published roster."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from pydantic import Field

from app.core.paging import Page
from app.core.schemas import ReadSchema, Schema, UtcDateTime, literal_of
from app.groups.schemas import MyGroupRead
from app.planning.schemas import ViolationRead
from app.rosters.models import RosterStatus

if TYPE_CHECKING:
    RosterStatusName = str
else:
    RosterStatusName = literal_of(RosterStatus)


class RosterRead(ReadSchema):
    id: int
    status: str
    start: date
    days: int
    units: list[str] = Field(validation_alias="unit_ids")
    solver_status: str
    objective: int | None
    bound: int | None
    score: dict[str, int] | None
    solve_seconds: float | None
    created_at: UtcDateTime
    published_at: UtcDateTime | None
    assignments: int = 0
    shortfalls: int = 0
    conflicts: list[str] = Field(default_factory=list)


class DutyRead(Schema):
    roster_id: int
    date: date
    shift: str
    shift_name: str
    start: datetime = Field(description="in the detachment's time zone, with its offset")
    end: datetime
    officer: str
    officer_name: str
    post: str
    post_name: str
    unit: str
    leader: bool = Field(False, description="the slot's duty leader (带班)")
    position: str | None = Field(None, description="the post's position the officer stands at")
    position_name: str | None = None
    group: str | None = Field(default=None, description="the officer's duty group (执勤组) now, if any")
    group_name: str | None = None


class ScheduleRead(Page[DutyRead]):
    group: MyGroupRead | None = Field(
        default=None, description="my duty group, and what its pattern says on each day of the period"
    )


class OnDutyRead(Schema):
    at: datetime
    count: int
    duties: list[DutyRead]


class ShortfallRead(Schema):
    post: str
    post_name: str
    shift: str
    missing: int
    skill: str | None
    reason: str | None = Field(description="why the slot is short, in English")
    reason_zh: str | None = Field(description="the same in Chinese")
    causes: dict[str, int] | None = Field(
        description="per rule, how many officers who could otherwise staff the slot it excludes; free: none"
    )


class RosterShortfallRead(ShortfallRead):
    date: date
    unit: str


class SlotNeedRead(Schema):
    """A slot of a version's scenario and what it needs, as the version was solved for (the
    coverage in force that date: normal coverage, dated coverage changes, a declared duty level)."""

    post: str
    unit: str
    date: date
    shift: str
    min: int
    max: int
    skills: dict[str, int] = Field(description="skill → officers holding it the slot needs at least")


class SlotNeedsRead(Schema):
    roster_id: int
    start: date
    end: date
    slots: list[SlotNeedRead]


class CoverageDayRead(Schema):
    date: date
    unit: str
    roster_id: int
    slots: int
    required: int = Field(description="officers the slots need at least (sum of coverage min)")
    assigned: int
    missing: int = Field(description="officers short of the minimum, over all slots")
    skill_missing: int = Field(description="skilled officers short, over all slots and skills")
    shortfalls: list[ShortfallRead]
    needs: list[SlotNeedRead] | None = Field(
        default=None,
        description="with `needs=true`: each slot of the day and what it needs, as the published "
        "version was solved for (a declared duty level or a dated coverage change included)",
    )


class CoverageReport(Schema):
    start: date
    end: date
    days: list[CoverageDayRead]


class OfficerStatsRead(Schema):
    officer: str
    name: str
    unit: str
    duties: int
    nights: int
    hours: float
    days_off: int
    fairness_counted: bool = Field(description="false when an unavailability overlaps the period")
    owed_rest: int = Field(default=0, description="owed rest (补休) still owed now, in days")
    owed_rest_due: date | None = Field(default=None, description="when the owed days are due")


class UnitFairnessRead(Schema):
    unit: str
    officers: int
    duties_min: int
    duties_max: int
    nights_min: int
    nights_max: int
    duties_spread: int
    nights_spread: int


class OwedRestLine(Schema):
    """One line of an officer's owed-rest history: days accrued by a duty level, or granted."""

    officer: str
    kind: str = Field(description="accrued or granted")
    days: int
    minutes_over: int
    start: date
    end: date
    note: str
    roster_id: int | None = Field(description="granted by the days off of this published roster version")


class StatsReport(Schema):
    start: date
    end: date
    officers: list[OfficerStatsRead]
    units: list[UnitFairnessRead]
    owed_rest: list[OwedRestLine] = Field(
        default_factory=list, description="the owed-rest history of the report's officers (every line)"
    )


class ContributionRead(Schema):
    amount: int
    detail: str
    officer: str | None
    post: str | None
    unit: str | None
    date: date | None
    shift: str | None


class TermRead(Schema):
    term: str
    total: int
    items: int
    contributions: list[ContributionRead]


class ScoreAnalysis(Schema):
    roster_id: int
    total: int
    solver_objective: int | None
    matches_solver: bool
    terms: list[TermRead]
    violations: list[ViolationRead]


class CalendarFeedRead(Schema):
    url: str
    note: str = "keep this URL secret: anyone with it can read the schedule; POST again to replace it"
