"""Duty groups as an API resource: a group of a unit, its members, its rotation pattern; the
preview of a unit's patterns over the coming weeks."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from app.core.schemas import Id, Name, ReadSchema, Schema

PATTERN_DAYS = 56
"""The longest cycle (scenario format v2: 1 ≤ len(days) ≤ 56)."""


class PatternIn(Schema):
    """A rotation: a cycle of `len(days)` dates whose first is `start` (which may lie in the past);
    each day a shift type id, or null for no duty."""

    start: date = Field(description="the first date of a cycle (YYYY-MM-DD)")
    days: list[Id | None] = Field(
        min_length=1,
        max_length=PATTERN_DAYS,
        description="per day of the cycle: a shift type id, or null (a day off); 1 to 56 days",
    )


class GroupCreate(Schema):
    id: Id
    name: Name
    unit: Id = Field(description="the unit whose group it is (its dispatchers manage it)")
    members: list[Id] = Field(
        default_factory=list,
        max_length=500,
        description="officer ids, in order; each in no other group, at home in or serving the unit",
    )
    pattern: PatternIn | None = None


class GroupUpdate(Schema):
    """Rename, or set the pattern (null: no pattern). Omitted fields stay."""

    name: Name | None = None
    pattern: PatternIn | None = Field(default=None, description="the new pattern; null removes it")


class MembersIn(Schema):
    officers: list[Id] = Field(min_length=1, max_length=500, description="officer ids to add, in order")


class MemberRead(Schema):
    id: str
    name: str


class PatternRead(ReadSchema):
    start: date
    days: list[str | None]


class GroupRead(Schema):
    id: str
    name: str
    unit: str
    members: list[MemberRead]
    pattern: PatternRead | None


class PlanDayRead(Schema):
    date: date
    shift: str | None


class MyGroupRead(GroupRead):
    """My group, and what its pattern says on each day asked for."""

    plan: list[PlanDayRead] = Field(default_factory=list, description="the pattern's shift per day")


class PreviewGroupRead(Schema):
    id: str
    name: str
    members: list[MemberRead]
    pattern: PatternRead | None
    days: list[str | None] = Field(description="per date of the preview: the pattern's shift, or null")
    away: dict[str, list[date]] = Field(
        default_factory=dict, description="member id -> the preview dates they are unavailable"
    )


class PreviewCell(Schema):
    date: date
    shift: str
    groups: list[str] = Field(description="the groups whose pattern works this shift on this date")
    officers: int = Field(description="their members free that day")
    min: int = Field(description="officers the unit's posts need in this shift on this date")
    max: int = Field(description="seats the unit's posts have in this shift on this date")


class PreviewWarning(Schema):
    kind: str = Field(
        description="uncovered: no group's pattern reaches these slots; too_many: more officers "
        "than seats; short: fewer officers than the posts need"
    )
    date: date
    shift: str
    posts: list[str] = Field(default_factory=list, description="the posts with a slot in this shift")
    officers: int
    min: int
    max: int


class ShiftRead(Schema):
    id: str
    name: str
    start: str


class PreviewRead(Schema):
    unit: str
    start: date
    days: int
    dates: list[date]
    shifts: list[ShiftRead]
    groups: list[PreviewGroupRead]
    cells: list[PreviewCell]
    warnings: list[PreviewWarning]
