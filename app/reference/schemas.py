"""Reference data: units, skills, shift types, posts with coverage, officers and their records."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, StrictInt, field_validator, model_validator

from app.core.schemas import ClockTime, Id, LocalDateTime, Name, ReadSchema, Schema, Text, literal_of
from app.reference.models import RequestStatus
from solver import domain as d

# The solver's vocabularies, not typed again: post kinds, request kinds, weekday tokens.
if TYPE_CHECKING:
    PostKindName = str
    RequestKindName = str
    RequestStatusName = str
else:
    PostKindName = literal_of(d.PostKind)
    RequestKindName = literal_of(d.RequestKind)
    RequestStatusName = literal_of(RequestStatus)
DayToken = Annotated[str, Field(pattern=rf"^({'|'.join(d.WEEKDAY_TOKENS)}|\d{{4}}-\d{{2}}-\d{{2}})$")]
NonNegative = Annotated[StrictInt, Field(ge=0)]


def check_limits(low: int, high: int | None, skills: Mapping[str, int] | None) -> None:
    """A coverage entry's numbers: `high` (default `low`) at least `low`, no skill needing more."""
    top = low if high is None else high
    if top < low:
        raise ValueError(f"max ({top}) is less than min ({low})")
    for skill, need in (skills or {}).items():
        if need > top:
            raise ValueError(f"skills.{skill} needs {need}, more than max ({top})")


def check_local_span(start: datetime, end: datetime) -> None:
    """A span of the detachment's wall-clock time: no offsets, end after start."""
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError("times are local wall-clock times in the detachment's time zone: give no offset")
    if end <= start:
        raise ValueError("end must be later than start")


class UnitCreate(Schema):
    id: Id
    name: Name


class UnitUpdate(Schema):
    name: Name


class UnitRead(ReadSchema):
    id: str
    name: str


class SkillCreate(UnitCreate):
    pass


class SkillUpdate(UnitUpdate):
    pass


class SkillRead(UnitRead):
    pass


class ShiftTypeCreate(Schema):
    id: Id
    name: Name
    start: ClockTime
    minutes: Annotated[StrictInt, Field(ge=1, le=1440)]
    night: bool = False
    position: int = 0


class ShiftTypeUpdate(Schema):
    name: Name | None = None
    start: ClockTime | None = None
    minutes: Annotated[StrictInt, Field(ge=1, le=1440)] | None = None
    night: bool | None = None
    position: int | None = None


class ShiftTypeRead(ReadSchema):
    id: str
    name: str
    start: ClockTime
    minutes: int
    night: bool
    position: int


class CoverageIn(Schema):
    shift: Id
    min: NonNegative
    max: NonNegative | None = Field(None, description="defaults to min")
    skills: dict[str, Annotated[StrictInt, Field(ge=1)]] = Field(default_factory=dict)
    days: list[DayToken] | None = None
    over_weight: NonNegative = Field(0, description="format 2: the cost of each officer above min")

    @model_validator(mode="after")
    def _limits(self) -> CoverageIn:
        check_limits(self.min, self.max, self.skills)
        return self


class CoverageRead(ReadSchema):
    shift: str = Field(validation_alias="shift_id")
    min: int
    max: int
    skills: dict[str, int]
    days: list[str] | None
    over_weight: int = 0


class LocationIn(Schema):
    """Where a post lies: WGS 84 degrees (scenario format v2's Post location)."""

    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class LocationRead(ReadSchema):
    lat: float
    lon: float


class PostLocations(Schema):
    locations: dict[Id, LocationIn | None] = Field(
        description="post id -> its location (null clears it); posts not named are left as they are"
    )


class PositionIn(Schema):
    """Where officers stand at a post (the layered checkpoint layout 远端分流 / 中端警示 / 近端查控)."""

    id: Id
    name: Name
    heads: Annotated[StrictInt, Field(ge=1, le=1000)] | None = Field(
        None, description="at most this many officers stand here; null: no cap"
    )


def _unique_positions(positions: list[PositionIn] | None) -> list[PositionIn] | None:
    ids = [q.id for q in positions or []]
    if len(set(ids)) != len(ids):
        raise ValueError("position ids must be unique within the post")
    return positions


class PostCreate(Schema):
    id: Id
    name: Name
    kind: PostKindName
    unit: Id
    priority: Annotated[StrictInt, Field(ge=1, le=100)] = 1
    location: LocationIn | None = None
    standby: bool = Field(False, description="a standby (备勤) post, of kind other: reserves on call")
    coverage: list[CoverageIn] = Field(default_factory=list)
    positions: list[PositionIn] = Field(
        default_factory=list, description="where officers stand; each duty is placed at one after the solve"
    )
    leader_skill: Id | None = Field(
        None,
        description="the skill of each slot's duty leader (带班); null: `leader` where coverage requires it",
    )

    _positions = field_validator("positions")(_unique_positions)

    @model_validator(mode="after")
    def _standby_kind(self) -> PostCreate:
        if self.standby and self.kind != "other":
            raise ValueError("a standby post is of kind other")
        return self


class PostUpdate(Schema):
    name: Name | None = None
    kind: PostKindName | None = None
    unit: Id | None = None
    priority: Annotated[StrictInt, Field(ge=1, le=100)] | None = None
    location: LocationIn | None = Field(default=None, description="null clears it")
    standby: bool | None = None
    coverage: list[CoverageIn] | None = None
    positions: list[PositionIn] | None = Field(default=None, description="replaces the post's positions")
    leader_skill: Id | None = Field(default=None, description="null clears it")

    _positions = field_validator("positions")(_unique_positions)


class PositionRead(ReadSchema):
    id: str
    name: str
    heads: int | None = None


class PostRead(ReadSchema):
    id: str
    name: str
    kind: str
    unit: str = Field(validation_alias="unit_id")
    priority: int
    location: LocationRead | None = None
    standby: bool
    coverage: list[CoverageRead]
    positions: list[PositionRead] = Field(default_factory=list)
    leader_skill: str | None = None

    @field_validator("positions", mode="before")
    @classmethod
    def _no_positions(cls, value: object) -> object:
        return [] if value is None else value


class Succession(Schema):
    first: Id
    then: list[Id]


class OfficerRules(Schema):
    min_rest_minutes: NonNegative | None = None
    max_minutes_per_7_days: NonNegative | None = None
    min_days_off_per_7_days: Annotated[StrictInt, Field(ge=0, le=7)] | None = None
    max_consecutive_days: NonNegative | None = None
    max_consecutive_nights: NonNegative | None = None
    # scenario format version 2 (see solver.io.v2); shift ids are checked when a roster is planned
    max_duties_per_day: NonNegative | None = None
    forbidden_successions: list[Succession] | None = None
    max_duties_by_shift: dict[Id, NonNegative] | None = None
    min_minutes_per_horizon: NonNegative | None = None
    max_minutes_per_horizon: NonNegative | None = None
    min_consecutive_days: NonNegative | None = None
    min_consecutive_days_off: NonNegative | None = None
    max_weekends: NonNegative | None = None

    def overrides(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class OfficerCreate(Schema):
    id: Id
    name: Name
    unit: Id
    serves: list[Id] | None = Field(
        None, description="units whose posts the officer may staff; default [unit]"
    )
    skills: list[Id] = Field(default_factory=list)
    rules: OfficerRules = Field(default_factory=OfficerRules)
    phone: Text = Field("", description="printed on the duty sheet")


class OfficerUpdate(Schema):
    name: Name | None = None
    unit: Id | None = None
    serves: list[Id] | None = None
    skills: list[Id] | None = None
    rules: OfficerRules | None = None
    phone: Text | None = None


class OfficerRead(ReadSchema):
    id: str
    name: str
    unit: str = Field(validation_alias="unit_id")
    serves: list[str]
    skills: list[str]
    rules: dict[str, Any] = Field(validation_alias="rule_overrides")
    phone: str = ""
    calendar_feed: bool = Field(False, description="whether a calendar feed URL has been issued")

    @field_validator("serves", "skills", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, list):
            return [getattr(v, "id", v) for v in value]
        return value


class UnavailabilityCreate(Schema):
    start: datetime = Field(description="local wall-clock time, no offset")
    end: datetime
    reason: Text = ""

    @model_validator(mode="after")
    def _order(self) -> UnavailabilityCreate:
        check_local_span(self.start, self.end)
        return self


class UnavailabilityRead(ReadSchema):
    id: int
    officer: str = Field(validation_alias="officer_id")
    start: LocalDateTime
    end: LocalDateTime
    reason: str


class RequestCreate(Schema):
    kind: RequestKindName
    date: date
    shift: Id | None = None
    weight: Annotated[StrictInt, Field(ge=1, le=1000)] = 1
    note: Annotated[str, Field(max_length=2000)] = ""

    @model_validator(mode="after")
    def _shift(self) -> RequestCreate:
        if self.kind == "day_off" and self.shift is not None:
            raise ValueError("a day_off request must not name a shift")
        if self.kind != "day_off" and self.shift is None:
            raise ValueError(f"a {self.kind} request needs a shift")
        return self


class RequestDecision(Schema):
    status: Literal["approved", "rejected"]


class RequestRead(ReadSchema):
    id: int
    officer: str = Field(validation_alias="officer_id")
    kind: str
    date: date
    shift: str | None = Field(validation_alias="shift_id")
    weight: int
    status: str
    note: str


class HistoryCreate(Schema):
    shift: Id
    date: date


class HistoryRead(ReadSchema):
    id: int
    officer: str = Field(validation_alias="officer_id")
    shift: str = Field(validation_alias="shift_id")
    date: date


class PinnedCreate(Schema):
    officer: Id
    post: Id
    shift: Id
    date: date


class PinnedRead(ReadSchema):
    id: int
    officer: str = Field(validation_alias="officer_id")
    post: str = Field(validation_alias="post_id")
    shift: str = Field(validation_alias="shift_id")
    date: date


class Weights(Schema):
    shortfall: NonNegative | None = None
    request: NonNegative | None = None
    fair_duties: NonNegative | None = None
    fair_nights: NonNegative | None = None
    continuity: NonNegative | None = None
    change: NonNegative | None = None


class Horizon(Schema):
    start: date
    days: Annotated[StrictInt, Field(ge=1, le=366)]


class SettingsUpdate(Schema):
    name: Name | None = None
    timezone: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    rules: OfficerRules | None = None
    weights: Weights | None = None
    horizon: Horizon | None = None


class SettingsRead(Schema):
    name: str
    timezone: str
    rules: dict[str, Any]
    weights: dict[str, int]
    horizon: Horizon | None
