"""Duty levels as the API gives them: the levels and their settings, a level's coverage profile,
a declaration with its impact (its body is `DutyLevelPeriod`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from app.changes.schemas import ChangeRead, DutyLevelPeriod
from app.core.schemas import Schema
from app.reference.schemas import CoverageRead


class LevelRead(Schema):
    id: str
    name: str = Field(description="常态, 三级, 二级, 一级")
    cancels_leave: list[str] = Field(description="leave whose reason contains one of these is cancelled")
    cancels_requests: list[str] = Field(description="approved requests of these kinds are cancelled")


class LevelSettingsUpdate(Schema):
    cancels_leave: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(default_factory=list)
    cancels_requests: list[Literal["day_off", "shift_off", "shift_on"]] = Field(default_factory=list)


class PostProfile(Schema):
    post: str
    unit: str
    coverage: list[CoverageRead]


class ProfileRead(Schema):
    level: str
    posts: list[PostProfile]


class SlotChangeOut(Schema):
    post: str
    shift: str
    date: date
    before: int
    after: int


class CancelledLeaveOut(Schema):
    officer: str
    start: str
    end: str
    reason: str


class CancelledRequestOut(Schema):
    officer: str
    kind: str
    date: date
    shift: str | None


class DeclarationRead(Schema):
    """A declaration (a `duty_level` change request) with its impact: the slots the level adds,
    removes or resizes, the leave and requests it cancels, and (in `change.proposal`) the
    re-planned published roster as a diff."""

    level: str
    units: list[str]
    start: date
    end: date
    slots_added: int = Field(description="slots the level opens")
    slots_removed: int = Field(description="slots the level closes")
    officers_needed_delta: int = Field(description="officers needed in all, after minus before")
    slots: list[SlotChangeOut]
    cancelled_leave: list[CancelledLeaveOut]
    cancelled_requests: list[CancelledRequestOut]
    change: ChangeRead


DeclarationCreate = DutyLevelPeriod


class OwedRestRuleRead(Schema):
    normal_minutes_per_week: int = Field(description="normal hours a week, in minutes (pro rata per day)")
    minutes_per_owed_day: int = Field(description="minutes above normal that owe one day off")
    deadline_days: int = Field(description="owed days are due this many days after the period")


class OwedRestRuleUpdate(Schema):
    normal_minutes_per_week: Annotated[int, Field(ge=0, le=10080)]
    minutes_per_owed_day: Annotated[int, Field(ge=60, le=1440)]
    deadline_days: Annotated[int, Field(ge=1, le=365)]


class OwedRestEntryRead(Schema):
    kind: Literal["accrued", "granted"]
    days: int
    minutes_over: int
    start: date
    end: date
    note: str
    roster_id: int | None = Field(description="granted: the published roster version whose days off gave it")


class OwedRestRead(Schema):
    officer: str
    balance: int = Field(description="owed days accrued minus days granted")
    deadline: date | None
    history: list[OwedRestEntryRead]


Day = date  # a field named `date` shadows the type in its class


class OwedRestGrant(Schema):
    days: Annotated[int, Field(ge=1, le=60)]
    date: Day
    note: Annotated[str, Field(max_length=200)] = ""
