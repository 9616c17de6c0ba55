"""The rostering domain: frozen value objects shared by the solver, the referee and the service.

Everything here is plain data. Times are kept as the scenario states them (local wall-clock
dates and times); `solver.timeline` turns them into real instants.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Any

WEEKDAY_TOKENS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class PostKind(StrEnum):
    CHECKPOINT = "checkpoint"
    INTERSECTION = "intersection"
    HOSPITAL = "hospital"
    ISOLATION_SITE = "isolation_site"
    SUPPLY_DEPOT = "supply_depot"
    PATROL = "patrol"
    OTHER = "other"


class RequestKind(StrEnum):
    DAY_OFF = "day_off"
    SHIFT_OFF = "shift_off"
    SHIFT_ON = "shift_on"


def frozen_map(items: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    """A read-only mapping, so that frozen dataclasses stay immutable all the way down."""
    return MappingProxyType(dict(items or {}))


@dataclass(frozen=True)
class ShiftType:
    id: str
    name: str
    start: time
    minutes: int
    night: bool = False


@dataclass(frozen=True)
class Unit:
    id: str
    name: str


@dataclass(frozen=True)
class Skill:
    id: str
    name: str


@dataclass(frozen=True)
class Coverage:
    shift: str
    min: int
    max: int
    skills: Mapping[str, int] = field(default_factory=frozen_map)
    days: tuple[str, ...] | None = None
    over_weight: int = 0
    """v2: the cost of each officer above `min` (the `overstaffing` term)."""

    def selects(self, day: date) -> bool:
        """Whether this coverage entry has a slot on `day` (horizon membership is checked elsewhere)."""
        if self.days is None:
            return True
        weekday = WEEKDAY_TOKENS[day.weekday()]
        iso = day.isoformat()
        return any(token in (weekday, iso) for token in self.days)


@dataclass(frozen=True)
class Location:
    """v2: a post's approximate position (WGS 84 degrees); the roster solver ignores it."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Position:
    """A project extension: a place officers stand at a post (the layered checkpoint layout
    远端分流 / 中端警示 / 近端查控); `heads` caps the officers placed there (None: no cap)."""

    id: str
    name: str
    heads: int | None = None


@dataclass(frozen=True)
class Post:
    id: str
    name: str
    kind: PostKind
    unit: str
    priority: int = 1
    coverage: tuple[Coverage, ...] = ()
    location: Location | None = None
    positions: tuple[Position, ...] = ()
    """A project extension: where officers stand (`solver.roles` places them after the solve)."""
    leader_skill: str | None = None
    """A project extension: the skill a duty leader (带班) of this post holds; None: the skill
    `leader` when the slot's coverage requires it, otherwise no leader is named."""


@dataclass(frozen=True)
class Span:
    """A stretch of time [start, end), local wall-clock times: unavailability, or a duty elsewhere."""

    start: datetime
    end: datetime
    reason: str = ""


@dataclass(frozen=True)
class Request:
    kind: RequestKind
    date: date
    weight: int
    shift: str | None = None


@dataclass(frozen=True)
class HistoryDuty:
    """A duty worked before the horizon (history): only its shift type and date matter."""

    shift: str
    date: date


@dataclass(frozen=True)
class OwedRest:
    """v2: at least `days` days off among the horizon dates up to and including `by` (hard)."""

    days: int
    by: date


@dataclass(frozen=True)
class Pattern:
    """v2: a group's rotation, a cycle of `len(days)` dates whose first is `start`."""

    start: date
    days: tuple[str | None, ...]

    def shift_on(self, day: date) -> str | None:
        """The shift the pattern says for `day` (None: no duty)."""
        return self.days[(day - self.start).days % len(self.days)]


@dataclass(frozen=True)
class Group:
    """v2: a duty group (执勤组): members work together, on the group's pattern when it has one."""

    id: str
    name: str
    members: tuple[str, ...]
    pattern: Pattern | None = None


@dataclass(frozen=True)
class Weights:
    shortfall: int = 1000
    request: int = 10
    fair_duties: int = 2
    fair_nights: int = 5
    continuity: int = 1
    change: int = 20
    group_split: int = 10
    """v2 (duty groups): read so that format-2 documents load; scored by the groups terms."""
    pattern: int = 5
    """v2 (rotation patterns): as `group_split`."""


@dataclass(frozen=True)
class Succession:
    """v2 `forbidden_successions` entry: a duty of `first` on date D forbids any of `then` on D + 1."""

    first: str
    then: frozenset[str]


@dataclass(frozen=True)
class WorkRules:
    """The working-time rules (hard). Defaults are the spec's; every v2 default means "no such rule"."""

    min_rest_minutes: int = 660
    max_minutes_per_7_days: int = 2880
    min_days_off_per_7_days: int = 1
    max_consecutive_days: int = 6
    max_consecutive_nights: int = 3
    # version 2 (scenario format "More working-time rules")
    max_duties_per_day: int | None = None
    forbidden_successions: tuple[Succession, ...] = ()
    max_duties_by_shift: Mapping[str, int] = field(default_factory=frozen_map)
    min_minutes_per_horizon: int | None = None
    max_minutes_per_horizon: int | None = None
    min_consecutive_days: int = 1
    min_consecutive_days_off: int = 1
    max_weekends: int | None = None

    def merged(self, overrides: Mapping[str, Any]) -> WorkRules:
        """These rules with an officer's overrides, key by key (a key replaces the whole field)."""
        return replace(self, **dict(overrides)) if overrides else self

    def forbidden_after(self, shift: str) -> frozenset[str]:
        """The shifts that may not start the day after a duty of `shift`."""
        out: frozenset[str] = frozenset()
        for succession in self.forbidden_successions:
            if succession.first == shift:
                out |= succession.then
        return out

    @property
    def uses_v2(self) -> bool:
        return any(getattr(self, k) != getattr(_DEFAULT_RULES, k) for k in V2_RULE_FIELDS)


WORK_RULE_FIELDS = (
    "min_rest_minutes",
    "max_minutes_per_7_days",
    "min_days_off_per_7_days",
    "max_consecutive_days",
    "max_consecutive_nights",
)
"""The version-1 working-time rules (integers; what the service stores today)."""
V2_RULE_FIELDS = tuple(f.name for f in fields(WorkRules) if f.name not in WORK_RULE_FIELDS)
"""The version-2 working-time rules."""
_DEFAULT_RULES = WorkRules()
WEIGHT_FIELDS = tuple(f.name for f in fields(Weights))


@dataclass(frozen=True)
class Officer:
    id: str
    name: str
    unit: str
    serves: tuple[str, ...]
    skills: frozenset[str] = frozenset()
    unavailable: tuple[Span, ...] = ()
    busy: tuple[Span, ...] = ()
    """Duties the officer has in other published rosters (a project extension of the format)."""
    requests: tuple[Request, ...] = ()
    history: tuple[HistoryDuty, ...] = ()
    rule_overrides: Mapping[str, Any] = field(default_factory=frozen_map)
    owed_rest: tuple[OwedRest, ...] = ()
    """v2: compulsory rest owed (补休), hard."""
    phone: str = ""
    """A project extension: the number the duty sheet prints (empty: none known)."""

    @property
    def away(self) -> tuple[Span, ...]:
        """Every span the officer cannot take a duty in: unavailable, then busy elsewhere. Every hard
        rule, the ledger and fairness look at these (through `Timeline.away`), never at one kind."""
        return self.unavailable + self.busy


@dataclass(frozen=True, order=True)
class Assignment:
    """One officer on one post for one shift starting on one date."""

    date: date
    shift: str
    post: str
    officer: str

    @property
    def slot_key(self) -> SlotKey:
        """The slot this duty staffs."""
        return SlotKey(self.post, self.shift, self.date)


@dataclass(frozen=True)
class SlotKey:
    post: str
    shift: str
    date: date


@dataclass(frozen=True)
class Slot:
    """A (post, shift, date) that needs between `min` and `max` officers."""

    post: str
    shift: str
    date: date
    min: int
    max: int
    skills: Mapping[str, int]
    over_weight: int = 0
    """v2: the cost of each officer above `min`."""

    @cached_property
    def key(self) -> SlotKey:
        """(post, shift, date), built once per slot (the greedy pass and the referee ask for it
        tens of thousands of times); not a field, so equality and hashing ignore it."""
        return SlotKey(self.post, self.shift, self.date)


def id_index(owner: object, attr: str, items: tuple[Any, ...]) -> dict[str, Any]:
    """`items` by id, cached on the frozen dataclass `owner` under `attr` on first use (safe: the
    owner never changes)."""
    cached: dict[str, Any] | None = owner.__dict__.get(attr)
    if cached is None:
        cached = {item.id: item for item in items}
        object.__setattr__(owner, attr, cached)
    return cached


@dataclass(frozen=True)
class Scenario:
    name: str
    timezone: str
    start: date
    days: int
    shift_types: tuple[ShiftType, ...]
    units: tuple[Unit, ...]
    skills: tuple[Skill, ...] | None
    posts: tuple[Post, ...]
    officers: tuple[Officer, ...]
    rules: WorkRules = WorkRules()
    weights: Weights = Weights()
    pinned: tuple[Assignment, ...] = ()
    baseline: tuple[Assignment, ...] = ()
    frozen_until: datetime | None = None
    """Optional (local time): no duty may start before it unless pinned (the past of a re-plan)."""
    format: int = 1
    """The document's `format` (1 or 2); 2 when any version-2 field is used."""
    groups: tuple[Group, ...] = ()
    """v2: duty groups; an officer is a member of at most one."""

    @property
    def end(self) -> date:
        """The first date after the horizon."""
        return self.start + timedelta(days=self.days)

    @property
    def dates(self) -> tuple[date, ...]:
        cached: tuple[date, ...] | None = self.__dict__.get("_dates")
        if cached is None:
            cached = tuple(self.start + timedelta(days=i) for i in range(self.days))
            object.__setattr__(self, "_dates", cached)
        return cached

    def in_horizon(self, day: date) -> bool:
        return self.start <= day < self.end

    def rules_for(self, officer: Officer) -> WorkRules:
        return self.rules.merged(officer.rule_overrides)

    def slots(self) -> list[Slot]:
        """Every slot of the horizon, in post, date, shift-type order (computed once per scenario:
        the dataclass is frozen; each caller gets a list of its own)."""
        cached: tuple[Slot, ...] | None = self.__dict__.get("_slots")
        if cached is None:
            cached = tuple(self._slots())
            object.__setattr__(self, "_slots", cached)
        return list(cached)

    def _slots(self) -> list[Slot]:
        shift_order = {s.id: i for i, s in enumerate(self.shift_types)}
        out = []
        for post in self.posts:
            for day in self.dates:
                for cov in sorted(post.coverage, key=lambda c: shift_order[c.shift]):
                    if cov.selects(day):
                        out.append(
                            Slot(post.id, cov.shift, day, cov.min, cov.max, cov.skills, cov.over_weight)
                        )
        return out

    # Look-ups by id; cached on first use (the dataclass is frozen, so the caches are safe).
    def shift(self, shift_id: str) -> ShiftType:
        return self._index("_shift_index", self.shift_types)[shift_id]

    def post(self, post_id: str) -> Post:
        return self._index("_post_index", self.posts)[post_id]

    def officer(self, officer_id: str) -> Officer:
        return self._index("_officer_index", self.officers)[officer_id]

    def unit(self, unit_id: str) -> Unit:
        return self._index("_unit_index", self.units)[unit_id]

    def group_of(self, officer_id: str) -> Group | None:
        """The officer's duty group, if any (v2)."""
        cached: dict[str, Group] | None = self.__dict__.get("_group_of")
        if cached is None:
            cached = {m: g for g in self.groups for m in g.members}
            object.__setattr__(self, "_group_of", cached)
        return cached.get(officer_id)

    def has_shift(self, shift_id: str) -> bool:
        return shift_id in self._index("_shift_index", self.shift_types)

    def has_post(self, post_id: str) -> bool:
        return post_id in self._index("_post_index", self.posts)

    def has_officer(self, officer_id: str) -> bool:
        return officer_id in self._index("_officer_index", self.officers)

    def _index(self, attr: str, items: tuple[Any, ...]) -> dict[str, Any]:
        return id_index(self, attr, items)


@dataclass(frozen=True)
class Score:
    shortfall: int = 0
    requests: int = 0
    fairness: int = 0
    continuity: int = 0
    changes: int = 0
    overstaffing: int = 0
    """v2; after the v1 terms so that positional construction of those keeps working."""
    group_split: int = 0
    """v2 (duty groups)."""
    pattern: int = 0
    """v2 (rotation patterns)."""

    @property
    def total(self) -> int:
        return sum(getattr(self, term) for term in SCORE_TERMS)

    def as_dict(self) -> dict[str, int]:
        return {**{term: getattr(self, term) for term in SCORE_TERMS}, "total": self.total}


SCORE_TERMS = (
    "shortfall",
    "overstaffing",
    "requests",
    "fairness",
    "continuity",
    "changes",
    "group_split",
    "pattern",
)
V2_SCORE_TERMS = ("overstaffing", "group_split", "pattern")
"""Terms a roster document may lack (compared as 0): introduced by format version 2."""


@dataclass(frozen=True)
class Shortfall:
    post: str
    shift: str
    date: date
    missing: int
    skill: str | None = None
    reason: str | None = None
    reason_zh: str | None = None
    causes: Mapping[str, int] | None = None
    """Candidates for the slot per rule that excludes them (`free`: none does)."""


@dataclass(frozen=True)
class DutyRole:
    """A project extension: what one duty is beyond its slot: its officer leads the slot (带班),
    and/or stands at one of the post's positions. It never changes the score."""

    leader: bool = False
    position: str | None = None


@dataclass(frozen=True)
class Roster:
    scenario: str
    status: str
    assignments: tuple[Assignment, ...]
    objective: int | None = None
    bound: int | None = None
    score: Score | None = None
    shortfalls: tuple[Shortfall, ...] = ()
    solve_seconds: float | None = None
    extra: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    roles: Mapping[Assignment, DutyRole] = field(default_factory=lambda: MappingProxyType({}))
    """Duty leaders and positions (`solver.roles`), for the duties that have one."""
