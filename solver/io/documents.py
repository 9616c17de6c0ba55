"""The pydantic models of a scenario document (format 1 or 2; the v2 rules in `solver.io.v2`):
each value's shape (types, ranges, formats,
unknown fields), and the source of the JSON Schema (`roster schema`).

What spans objects (ids, references, duplicates, coverage overlaps) is checked by
`solver.io.references`, so that the exact field can be named.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from solver.io.limits import INT_MAX, DocText
from solver.io.v2 import V2RulesDoc
from solver.io.values import (
    MAX_HORIZON_DAYS,
    DateTimeValue,
    DateValue,
    DayToken,
    Id,
    Name,
    NonNegative,
    TimeValue,
    ZoneValue,
)


def _omittable(**kwargs: Any) -> Any:
    """A field `x: T = _omittable()` may be omitted (then it is None) but not be null: pydantic does
    not validate defaults, and null is no T. The spec allows null nowhere but in coverage `days`."""
    return Field(default=None, json_schema_extra=_no_default, **kwargs)


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HorizonDoc(_Doc):
    start: DateValue
    days: Annotated[StrictInt, Field(ge=1, le=MAX_HORIZON_DAYS)]


class ShiftTypeDoc(_Doc):
    id: Id
    name: Name
    start: TimeValue
    minutes: Annotated[StrictInt, Field(ge=1, le=1440, description="length; at most one day")]
    night: StrictBool = False


class UnitDoc(_Doc):
    id: Id
    name: Name


class SkillDoc(_Doc):
    id: Id
    name: Name


class CoverageDoc(_Doc):
    shift: Id
    min: NonNegative
    # `max` ≥ `min` and `skills[k]` ≤ `max` are checked by `_check_posts`, to name the exact field.
    max: NonNegative = _omittable(description="defaults to min")
    skills: dict[Id, Annotated[StrictInt, Field(ge=1, le=INT_MAX)]] = Field(default_factory=dict)
    days: list[DayToken] | None = None
    over_weight: NonNegative = Field(default=0, description="v2: cost of each officer above min")


class LocationDoc(_Doc):
    """v2: WGS 84 degrees."""

    lat: Annotated[float, Field(ge=-90, le=90, strict=True, allow_inf_nan=False)]
    lon: Annotated[float, Field(ge=-180, le=180, strict=True, allow_inf_nan=False)]


class PositionDoc(_Doc):
    """Optional extension: a place officers stand at a post (远端分流 / 中端警示 / 近端查控)."""

    id: Id
    name: Name
    heads: Annotated[StrictInt, Field(ge=1, le=INT_MAX)] = _omittable(
        description="at most this many officers stand here; absent: no cap"
    )


class PostDoc(_Doc):
    id: Id
    name: Name
    kind: Literal[
        "checkpoint", "intersection", "hospital", "isolation_site", "supply_depot", "patrol", "other"
    ]
    unit: Id
    priority: Annotated[StrictInt, Field(ge=1, le=100)] = 1
    coverage: list[CoverageDoc]
    location: LocationDoc | None = Field(default=None, description="v2: the post's position")
    positions: list[PositionDoc] = Field(
        default_factory=list,
        description="optional extension: where officers stand; the roster places each duty at one",
    )
    leader_skill: Id | None = Field(
        default=None,
        description="optional extension: the skill of a slot's duty leader (带班); absent or null: "
        "`leader` where the coverage requires it",
    )


class SpanDoc(_Doc):
    start: DateTimeValue
    end: DateTimeValue
    reason: DocText = ""


class RequestDoc(_Doc):
    kind: Literal["day_off", "shift_off", "shift_on"]
    date: DateValue
    # Required for shift_* and forbidden for day_off: checked by `_check_officers`, so that the
    # request's other fields are still validated.
    shift: Id | None = None
    weight: Annotated[StrictInt, Field(ge=1, le=INT_MAX)]


class HistoryDutyDoc(_Doc):
    shift: Id
    date: DateValue


class WeightsDoc(_Doc):
    shortfall: NonNegative = _omittable()
    request: NonNegative = _omittable()
    fair_duties: NonNegative = _omittable()
    fair_nights: NonNegative = _omittable()
    continuity: NonNegative = _omittable()
    change: NonNegative = _omittable()
    group_split: NonNegative = _omittable(description="v2: duty groups split over posts")
    pattern: NonNegative = _omittable(description="v2: departures from a group's rotation")


class OfficerRulesDoc(V2RulesDoc):
    min_rest_minutes: NonNegative = _omittable()
    max_minutes_per_7_days: NonNegative = _omittable()
    min_days_off_per_7_days: Annotated[StrictInt, Field(ge=0, le=7)] = _omittable()
    max_consecutive_days: NonNegative = _omittable()
    max_consecutive_nights: NonNegative = _omittable()


class RulesDoc(OfficerRulesDoc):
    weights: WeightsDoc = Field(default_factory=WeightsDoc)


class OwedRestDoc(_Doc):
    """v2: at least `days` days off among the horizon dates up to and including `by`."""

    days: Annotated[StrictInt, Field(ge=1)]
    by: DateValue


class OfficerDoc(_Doc):
    id: Id
    name: Name
    unit: Id
    serves: list[Id] = _omittable(description="defaults to [unit]")
    skills: list[Id] = Field(default_factory=list)
    unavailable: list[SpanDoc] = Field(default_factory=list)
    busy: list[SpanDoc] = Field(
        default_factory=list,
        description="optional extension: duties the officer has in other published rosters; "
        "every hard rule treats them as unavailable",
    )
    requests: list[RequestDoc] = Field(default_factory=list)
    history: list[HistoryDutyDoc] = Field(default_factory=list)
    rules: OfficerRulesDoc = Field(default_factory=OfficerRulesDoc)
    owed_rest: list[OwedRestDoc] = Field(default_factory=list, description="v2: compulsory rest owed")
    phone: DocText = Field(default="", description="optional extension: printed on the duty sheet")


class AssignmentDoc(_Doc):
    officer: Id
    post: Id
    shift: Id
    date: DateValue


MAX_PATTERN_DAYS = 56


class PatternDoc(_Doc):
    """v2: a rotation, a cycle of len(days) dates whose first is `start` (null: no duty)."""

    start: DateValue
    days: Annotated[list[Id | None], Field(min_length=1, max_length=MAX_PATTERN_DAYS)]


class GroupDoc(_Doc):
    """v2: a duty group; an officer is a member of at most one."""

    id: Id
    name: Name
    members: list[Id]
    pattern: PatternDoc | None = None


class ScenarioDoc(_Doc):
    """A scenario document, format 1 or 2."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Duty-roster scenario, format 1 or 2",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    format: Annotated[StrictInt, Field(ge=1, le=2)] = Field(
        default=1, description="format version; absent means 1; version-2 fields need 2"
    )
    name: Name
    timezone: ZoneValue = "Asia/Shanghai"
    horizon: HorizonDoc
    shift_types: list[ShiftTypeDoc]
    units: list[UnitDoc]
    skills: list[SkillDoc] = _omittable(description="absent: no catalogue check")
    posts: list[PostDoc]
    officers: list[OfficerDoc]
    rules: RulesDoc = Field(default_factory=RulesDoc)
    pinned: list[AssignmentDoc] = Field(default_factory=list)
    baseline: list[AssignmentDoc] = Field(default_factory=list)
    groups: list[GroupDoc] = Field(default_factory=list, description="v2: duty groups")
    frozen_until: DateTimeValue | None = Field(
        default=None,
        description="optional extension: no duty may start before this local time unless it is pinned",
    )


def scenario_json_schema(ref_template: str = "#/$defs/{model}") -> dict[str, Any]:
    """The JSON Schema of a scenario document; `ref_template` places its definitions elsewhere
    (the OpenAPI document keeps them under components/schemas)."""
    return ScenarioDoc.model_json_schema(ref_template=ref_template)
