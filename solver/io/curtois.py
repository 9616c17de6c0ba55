"""The Curtois & Qu shift-scheduling benchmark (schedulingbenchmarks.org, Instances 1-24): parser,
converter to a scenario document of format version 2, and the benchmark's own solution text.

File format (as in the benchmark's README): comment lines start with `#`; a section
is its `SECTION_...` keyword line, then its lines up to the first empty line; a trailing `\\r` is
stripped. `SECTION_HORIZON` (days; day 0 is a Monday), `SECTION_SHIFTS` (`id,minutes,ids that
cannot follow it, |-separated`), `SECTION_STAFF` (`id,MaxShifts as S=n|...,MaxTotalMinutes,
MinTotalMinutes,MaxConsecutiveShifts,MinConsecutiveShifts,MinConsecutiveDaysOff,MaxWeekends`),
`SECTION_DAYS_OFF` (`id,day,day,...`), `SECTION_SHIFT_ON_REQUESTS` and `SECTION_SHIFT_OFF_REQUESTS`
(`id,day,shift,weight`), `SECTION_COVER` (`day,shift,requirement,weight under,weight over`).
HORIZON, SHIFTS and STAFF are required, the others optional. Trailing empty fields are ignored
(`E,480,` is a shift nothing is forbidden after; `A,0,` a days-off line), as are empty parts of
`|` lists. A malformed file raises `CurtoisFormatError` listing every problem with its line number.

Mapping onto scenario format version 2 (`to_scenario`); the scenario's objective equals the
benchmark's exactly, for every roster, and a roster breaks a hard rule of the scenario exactly
when its schedule breaks a rule of the benchmark:

- Calendar: `timezone` "UTC", `horizon.start` 2014-01-06 (a Monday) = day 0, `horizon.days` =
  the horizon (at most 366, the format's limit). Day d is the date start + d.
- Shift types: the benchmark's ids and minutes, all starting "00:00", `night: false`. Minutes
  must be 1..1440, so a duty of day d occupies [d 00:00, d 00:00 + minutes) inside its own date:
  it never overlaps the next date, and the "days off" of the spec (calendar days overlapping no
  duty) are exactly the benchmark's days without a shift.
- One unit (`ward`); one officer per employee (id and name = the staff id, serving that unit).
- Cover: one post per shift type, `cover-<shift>` (kind `other`), with one coverage entry per day
  (`days: [date]`): `min` = requirement, `max` = max(requirement, number of staff) (never binding:
  an officer works at most one duty a day), `over_weight` = weight over. A (day, shift) without a
  COVER line gets min 0, over_weight 0 (no cost, as in the benchmark's objective). The spec's
  shortfall is `priority × weights.shortfall × missing`, so `weights.shortfall` = g, the gcd of the
  positive under-weights (of lines with a positive requirement), and a line of under-weight w
  needs priority q = w / g. A post has one priority: when a shift's lines have different
  under-weights the shift gets one post per distinct under-weight, `cover-<shift>-w<weight>`
  (days without a penalised line go to the first of them). Priorities are 1..100; when
  q > 100 the post gets priority p (the largest divisor of q up to 100) and its coverage asks
  `skills: {k: min}` for m = q / p - 1 catalogue skills `shortfall-x1...` that every officer
  holds: each missing officer is then also missing once per skill, so it costs
  p × g × (1 + m) = w. (A larger global unit cannot help: `weights.shortfall` must divide every
  under-weight.) A line with requirement 0 or under-weight 0 has no shortfall term and becomes
  min 0 (exact: over-cover then counts every assigned officer, which is what the benchmark does
  above requirement 0; with under-weight 0 and weight over 0 the line costs nothing either way).
  The one truly unrepresentable case is under-weight 0, requirement > 0 and weight over > 0 while
  another line has a positive under-weight: `CurtoisConversionError`. Every published instance
  uses under-weight 100 and over-weight 1: g = 100, priority 1, one post per shift, no skills.
- Days off: `unavailable` span [date 00:00, next date 00:00), reason "day off" (no duty may
  overlap it; a duty of the previous date ends at the latest at 00:00, end exclusive).
- Requests: on-requests → `shift_on`, off-requests → `shift_off`, with the benchmark's weight
  (weight-0 lines are left out: they cost nothing and the spec wants weight ≥ 1), `weights.request`
  = 1. The spec's `shift_on` is broken when the officer has no duty of that shift that date "even
  if none is possible", and `shift_off` when they have one: exactly the benchmark's on-requests not
  met and off-requests whose shift is worked. A request on one of the employee's days off is
  therefore always paid (on) or never (off), in both. Two lines of one request section for the
  same employee, day and shift are rejected by the parser (the spec would count both).
- Rules (scenario level): `min_rest_minutes` 0 and `max_minutes_per_7_days` 10080 (= 7 × 1440:
  never binding), `min_days_off_per_7_days` 0, `max_consecutive_nights` 366 (no night shifts
  anyway), `max_consecutive_days` 366 (overridden per officer), `max_duties_per_day` 1 (the
  benchmark's one shift per day), `forbidden_successions` from the cannot-follow lists:
  `X,480,A|B` → `{first: X, then: [A, B]}` (A or B on the day after X). No history, so the spec's
  "history counts" clauses never apply.
- Rules (per officer `rules`): `max_duties_by_shift` = MaxShifts (a shift not listed has no limit),
  `max_minutes_per_horizon` = MaxTotalMinutes, `min_minutes_per_horizon` = MinTotalMinutes,
  `max_consecutive_days` = MaxConsecutiveShifts (runs at the horizon's edges are judged: there
  is no history, in the benchmark as in the spec), `min_consecutive_days` = MinConsecutiveShifts
  and `min_consecutive_days_off` = MinConsecutiveDaysOff (the spec does not judge maximal runs
  that include the horizon's first or last date; the benchmark's minimum rules work the same),
  `max_weekends` = MaxWeekends (a weekend is a Saturday and Sunday, days 5 and 6 mod 7; it counts
  when a duty starts on either; a horizon ending on a Saturday counts that Saturday alone, in both).
- Weights: `shortfall` = g, `request` 1, `fair_duties`, `fair_nights`, `continuity`, `change`,
  `group_split`, `pattern` 0. No pins, baseline, groups or history.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

START = date(2014, 1, 6)
"""Day 0 of every converted instance (a Monday, as in the benchmark)."""
UNIT = "ward"
MAX_DAYS = 366
"""The scenario format's longest horizon."""
MAX_PRIORITY = 100
SKILL_PREFIX = "shortfall-x"

HORIZON, SHIFTS, STAFF = "SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF"
DAYS_OFF, ON_REQUESTS, OFF_REQUESTS, COVER = (
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)
SECTIONS = (HORIZON, SHIFTS, STAFF, DAYS_OFF, ON_REQUESTS, OFF_REQUESTS, COVER)
REQUIRED_SECTIONS = (HORIZON, SHIFTS, STAFF)

_INTEGER = re.compile(r"-?[0-9]+")


# --------------------------------------------------------------------------- errors


class CurtoisError(ValueError):
    """A problem with a benchmark file, a solution or a conversion; `problems` lists every one as
    `(number, message)`: the line number (1-based; 0 = the input as a whole), or for assignments
    their index (`where` says which)."""

    what = "input"

    def __init__(self, problems: list[tuple[int, str]], name: str = "", where: str = "line") -> None:
        self.problems = sorted(problems, key=lambda p: p[0])
        self.name = name
        self.where = where
        label = f"{self.what} {name}".strip()
        lines = [
            f"  {'(input)' if n == 0 and where == 'line' else f'{where} {n}'}: {message}"
            for n, message in self.problems
        ]
        super().__init__(f"invalid {label}: {len(self.problems)} problem(s)\n" + "\n".join(lines))


class CurtoisFormatError(CurtoisError):
    """A malformed instance file or solution text."""

    what = "Curtois instance"


class CurtoisSolutionError(CurtoisError):
    """A malformed benchmark solution (text or assignments)."""

    what = "Curtois solution"


class CurtoisConversionError(CurtoisError):
    """A valid instance that the scenario format cannot express."""

    what = "conversion of Curtois instance"


# --------------------------------------------------------------------------- the instance


@dataclass(frozen=True)
class Shift:
    id: str
    minutes: int
    cannot_follow: tuple[str, ...] = ()
    """The shifts that may not be worked on the day after this one."""


@dataclass(frozen=True)
class Staff:
    id: str
    max_shifts: tuple[tuple[str, int], ...]
    """(shift, most shifts of that type in the horizon); a shift not listed has no limit."""
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive_shifts: int
    min_consecutive_shifts: int
    min_consecutive_days_off: int
    max_weekends: int

    def max_shifts_of(self, shift: str) -> int | None:
        return dict(self.max_shifts).get(shift)


@dataclass(frozen=True)
class DayOff:
    employee: str
    day: int


@dataclass(frozen=True)
class Request:
    employee: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    day: int
    shift: str
    requirement: int
    weight_under: int
    weight_over: int


@dataclass(frozen=True)
class CurtoisInstance:
    name: str
    days: int
    """Horizon length; day 0 is a Monday."""
    shifts: tuple[Shift, ...]
    staff: tuple[Staff, ...]
    days_off: tuple[DayOff, ...] = ()
    on_requests: tuple[Request, ...] = ()
    off_requests: tuple[Request, ...] = ()
    cover: tuple[Cover, ...] = ()

    def shift(self, shift_id: str) -> Shift:
        return next(s for s in self.shifts if s.id == shift_id)

    def employee(self, employee_id: str) -> Staff:
        return next(e for e in self.staff if e.id == employee_id)

    def days_off_of(self, employee_id: str) -> frozenset[int]:
        return frozenset(d.day for d in self.days_off if d.employee == employee_id)


# --------------------------------------------------------------------------- parsing

_SKIP = "(skipped)"


class _Parser:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[tuple[int, str]] = []
        self.days: int | None = None
        self.shift_ids: set[str] | None = None
        self.staff_ids: set[str] | None = None

    def problem(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    # ---- fields

    def fields(self, line: int, text: str, count: int, layout: str, optional_last: bool = False) -> list[str]:
        """The comma-separated fields of a line, exactly `count` of them (trailing empty fields
        dropped; with `optional_last`, the last may be missing), or [] after a problem."""
        fields = [f.strip() for f in text.split(",")]
        while len(fields) > count and fields[-1] == "":
            fields.pop()
        if optional_last and len(fields) == count - 1:
            fields.append("")
        if len(fields) != count:
            self.problem(line, f"expected {count} fields ({layout}), got {len(fields)}")
            return []
        return fields

    def integer(self, line: int, text: str, what: str) -> int | None:
        if not _INTEGER.fullmatch(text):
            self.problem(line, f"{what}: {text!r} is not an integer")
            return None
        value = int(text)
        if value < 0:
            self.problem(line, f"{what}: {value} is negative")
            return None
        return value

    def identifier(self, line: int, text: str, what: str) -> str | None:
        if not text:
            self.problem(line, f"{what} is empty")
            return None
        return text

    def day(self, line: int, text: str) -> int | None:
        value = self.integer(line, text, "day")
        if value is not None and self.days is not None and value >= self.days:
            self.problem(line, f"day {value} is outside the horizon (days 0..{self.days - 1})")
            return None
        return value

    def shift_ref(self, line: int, text: str, what: str = "shift") -> str | None:
        if not self.identifier(line, text, what):
            return None
        if self.shift_ids is not None and text not in self.shift_ids:
            self.problem(line, f"unknown {what} {text!r}")
            return None
        return text

    def employee_ref(self, line: int, text: str) -> str | None:
        if not self.identifier(line, text, "employee id"):
            return None
        if self.staff_ids is not None and text not in self.staff_ids:
            self.problem(line, f"unknown employee {text!r}")
            return None
        return text

    # ---- sections

    def split(self, text: str) -> dict[str, tuple[int, list[tuple[int, str]]]]:
        sections: dict[str, tuple[int, list[tuple[int, str]]]] = {}
        current: str | None = None
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.removesuffix("\r").strip()
            if line.startswith("#"):
                continue
            if not line:
                current = None
                continue
            if line.startswith("SECTION_"):
                if line not in SECTIONS:
                    self.problem(number, f"unknown section {line!r} (expected one of {', '.join(SECTIONS)})")
                    current = _SKIP
                elif line in sections:
                    self.problem(number, f"duplicate section {line} (first on line {sections[line][0]})")
                    current = _SKIP
                else:
                    sections[line] = (number, [])
                    current = line
                continue
            if current is None:
                self.problem(
                    number, f"{line[:40]!r} is outside a section (a section starts with its SECTION_ line)"
                )
            elif current != _SKIP:
                sections[current][1].append((number, line))
        for keyword in REQUIRED_SECTIONS:
            if keyword not in sections:
                self.problem(0, f"missing section {keyword}")
        return sections

    def horizon(self, lines: list[tuple[int, str]], at: int) -> None:
        if not lines:
            self.problem(at, "SECTION_HORIZON has no value")
            return
        for number, _text in lines[1:]:
            self.problem(number, "SECTION_HORIZON has one line, the number of days")
        number, text = lines[0]
        fields = self.fields(number, text, 1, "days")
        if fields:
            days = self.integer(number, fields[0], "horizon")
            if days == 0:
                self.problem(number, "the horizon must be at least 1 day")
            elif days is not None:
                self.days = days

    def shifts(self, lines: list[tuple[int, str]]) -> list[Shift]:
        seen: dict[str, int] = {}
        rows: list[tuple[int, str, int, str]] = []
        for number, text in lines:
            fields = self.fields(number, text, 3, "id, minutes, cannot-follow", optional_last=True)
            if not fields:
                continue
            sid = self.identifier(number, fields[0], "shift id")
            minutes = self.integer(number, fields[1], "shift length in minutes")
            if sid is None:
                continue
            if sid in seen:
                self.problem(number, f"duplicate shift {sid!r} (first on line {seen[sid]})")
                continue
            seen[sid] = number  # known to the other lines even when this one has a problem
            if minutes is not None:
                rows.append((number, sid, minutes, fields[2]))
        self.shift_ids = set(seen)
        shifts = []
        for number, sid, minutes, follow in rows:
            after: list[str] = []
            for part in (p.strip() for p in follow.split("|")):
                if not part:
                    continue
                ref = self.shift_ref(number, part, "shift in cannot-follow")
                if ref is None:
                    continue
                if ref in after:
                    self.problem(number, f"shift {ref!r} is listed twice in cannot-follow")
                    continue
                after.append(ref)
            shifts.append(Shift(sid, minutes, tuple(after)))
        return shifts

    def staff(self, lines: list[tuple[int, str]]) -> list[Staff]:
        layout = (
            "id, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, "
            "MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends"
        )
        names = layout.split(", ")[2:]
        seen: dict[str, int] = {}
        staff = []
        for number, text in lines:
            fields = self.fields(number, text, 8, layout)
            eid = self.identifier(number, text.split(",")[0].strip(), "employee id")
            if eid is not None and eid in seen:
                self.problem(number, f"duplicate employee {eid!r} (first on line {seen[eid]})")
                continue
            if eid is not None:
                seen[eid] = number  # known to the other lines even when this one has a problem
            if not fields or eid is None:
                continue
            limits = self.max_shifts(number, fields[1])
            values = [self.integer(number, f, what) for f, what in zip(fields[2:], names, strict=True)]
            numbers = [v for v in values if v is not None]
            if limits is not None and len(numbers) == len(values):
                staff.append(Staff(eid, limits, *numbers))
        self.staff_ids = set(seen)
        return staff

    def max_shifts(self, number: int, text: str) -> tuple[tuple[str, int], ...] | None:
        limits: dict[str, int] = {}
        ok = True
        for part in (p.strip() for p in text.split("|")):
            if not part:
                continue
            sid, sep, value = (x.strip() for x in part.partition("="))
            if not sep:
                self.problem(number, f"MaxShifts: {part!r} is not SHIFT=NUMBER")
                ok = False
                continue
            ref = self.shift_ref(number, sid, "shift in MaxShifts")
            count = self.integer(number, value, f"MaxShifts of {sid!r}")
            if ref is None or count is None:
                ok = False
            elif ref in limits:
                self.problem(number, f"MaxShifts: shift {ref!r} is listed twice")
                ok = False
            else:
                limits[ref] = count
        return tuple(limits.items()) if ok else None

    def days_off(self, lines: list[tuple[int, str]]) -> list[DayOff]:
        seen: dict[str, int] = {}
        out = []
        for number, text in lines:
            fields = [f.strip() for f in text.split(",")]
            eid = self.employee_ref(number, fields[0])
            if eid is None:
                continue
            if eid in seen:
                self.problem(
                    number, f"duplicate days-off line for employee {eid!r} (first on line {seen[eid]})"
                )
                continue
            seen[eid] = number
            days: list[int] = []
            for field in fields[1:]:
                if not field:
                    continue
                day = self.day(number, field)
                if day is None:
                    continue
                if day in days:
                    self.problem(number, f"day {day} is listed twice")
                    continue
                days.append(day)
            out += [DayOff(eid, d) for d in days]
        return out

    def requests(self, lines: list[tuple[int, str]], kind: str) -> list[Request]:
        seen: dict[tuple[str, int, str], int] = {}
        out = []
        for number, text in lines:
            fields = self.fields(number, text, 4, "employee, day, shift, weight")
            if not fields:
                continue
            eid = self.employee_ref(number, fields[0])
            day = self.day(number, fields[1])
            sid = self.shift_ref(number, fields[2])
            weight = self.integer(number, fields[3], "weight")
            if eid is None or day is None or sid is None or weight is None:
                continue
            key = (eid, day, sid)
            if key in seen:
                self.problem(
                    number, f"duplicate {kind} request {eid},{day},{sid} (first on line {seen[key]})"
                )
                continue
            seen[key] = number
            out.append(Request(eid, day, sid, weight))
        return out

    def cover(self, lines: list[tuple[int, str]]) -> list[Cover]:
        seen: dict[tuple[int, str], int] = {}
        out = []
        for number, text in lines:
            fields = self.fields(number, text, 5, "day, shift, requirement, weight under, weight over")
            if not fields:
                continue
            day = self.day(number, fields[0])
            sid = self.shift_ref(number, fields[1])
            values = [
                self.integer(number, f, what)
                for f, what in zip(fields[2:], ("requirement", "weight under", "weight over"), strict=True)
            ]
            if day is None or sid is None:
                continue
            if (day, sid) in seen:
                self.problem(
                    number, f"duplicate cover for day {day}, shift {sid!r} (first on line {seen[day, sid]})"
                )
                continue
            seen[day, sid] = number
            requirement, under, over = values
            if requirement is not None and under is not None and over is not None:
                out.append(Cover(day, sid, requirement, under, over))
        return out


def parse_instance(text: str, name: str) -> CurtoisInstance:
    """Parse the text of a benchmark file; raise CurtoisFormatError listing every problem."""
    p = _Parser(name)
    sections = p.split(text)

    def body(keyword: str) -> list[tuple[int, str]]:
        return sections[keyword][1] if keyword in sections else []

    if HORIZON in sections:
        p.horizon(body(HORIZON), sections[HORIZON][0])
    shifts = p.shifts(body(SHIFTS)) if SHIFTS in sections else []
    staff = p.staff(body(STAFF)) if STAFF in sections else []
    days_off = p.days_off(body(DAYS_OFF))
    on = p.requests(body(ON_REQUESTS), "on")
    off = p.requests(body(OFF_REQUESTS), "off")
    cover = p.cover(body(COVER))
    if p.problems or p.days is None:
        raise CurtoisFormatError(p.problems, name)
    return CurtoisInstance(
        name=name,
        days=p.days,
        shifts=tuple(shifts),
        staff=tuple(staff),
        days_off=tuple(days_off),
        on_requests=tuple(on),
        off_requests=tuple(off),
        cover=tuple(cover),
    )


def read_instance(path: str | Path) -> CurtoisInstance:
    """Parse a benchmark file; its name is the file name without extension (e.g. `Instance1`)."""
    path = Path(path)
    return parse_instance(path.read_text(encoding="utf-8"), path.stem)


# --------------------------------------------------------------------------- conversion


def day_date(day: int) -> date:
    return START + timedelta(days=day)


@dataclass(frozen=True)
class _CoverPost:
    id: str
    shift: str
    weight_under: int | None
    priority: int
    multipliers: int
    split: bool = False
    """One of several posts of its shift, one per distinct under-weight."""
    """Catalogue skills its coverage asks for (all held by everyone), each adding one more
    `priority × weights.shortfall` per missing officer."""


def _priority(ratio: int) -> tuple[int, int]:
    """(priority 1..100, extra skill count m) with priority × (1 + m) == ratio."""
    if ratio <= MAX_PRIORITY:
        return ratio, 0
    priority = max(d for d in range(1, MAX_PRIORITY + 1) if ratio % d == 0)
    return priority, ratio // priority - 1


def _shortfall_unit(instance: CurtoisInstance) -> int:
    """`weights.shortfall`: the gcd of the under-weights that can ever cost something (0: none)."""
    penalised = [c.weight_under for c in instance.cover if c.requirement > 0 and c.weight_under > 0]
    unit = math.gcd(*penalised) if penalised else 0
    if unit:
        bad = [c for c in instance.cover if c.requirement > 0 and c.weight_under == 0 and c.weight_over > 0]
        if bad:
            raise CurtoisConversionError(
                [
                    (
                        0,
                        f"cover of day {c.day}, shift {c.shift!r}: under-weight 0 with requirement "
                        f"{c.requirement} and over-weight {c.weight_over} cannot be expressed while other "
                        f"cover lines have a positive under-weight (every missing officer costs at least "
                        f"weights.shortfall = {unit})",
                    )
                    for c in bad
                ],
                instance.name,
            )
    return unit


def _cover_posts(instance: CurtoisInstance, unit: int) -> list[_CoverPost]:
    posts = []
    for shift in instance.shifts:
        weights = sorted(
            {
                c.weight_under
                for c in instance.cover
                if c.shift == shift.id and unit and c.requirement > 0 and c.weight_under > 0
            }
        )
        if len(weights) <= 1:
            priority, extra = _priority(weights[0] // unit) if weights else (1, 0)
            posts.append(
                _CoverPost(f"cover-{shift.id}", shift.id, weights[0] if weights else None, priority, extra)
            )
            continue
        for weight in weights:
            priority, extra = _priority(weight // unit)
            posts.append(_CoverPost(f"cover-{shift.id}-w{weight}", shift.id, weight, priority, extra, True))
    return posts


def to_scenario(instance: CurtoisInstance) -> dict[str, Any]:
    """The scenario document (format 2) of an instance, whose objective is the benchmark's."""
    problems: list[tuple[int, str]] = []
    if instance.days > MAX_DAYS:
        problems.append((0, f"horizon of {instance.days} days exceeds the scenario format's {MAX_DAYS}"))
    for s in instance.shifts:
        if not 1 <= s.minutes <= 1440:
            problems.append(
                (0, f"shift {s.id!r} lasts {s.minutes} minutes; the scenario format needs 1..1440")
            )
    if problems:
        raise CurtoisConversionError(problems, instance.name)
    unit = _shortfall_unit(instance)
    posts = _cover_posts(instance, unit)
    multipliers = max((p.multipliers for p in posts), default=0)
    skills = [f"{SKILL_PREFIX}{k}" for k in range(1, multipliers + 1)]
    staff_count = len(instance.staff)
    lines = {(c.day, c.shift): c for c in instance.cover}

    coverage: dict[str, list[dict[str, Any]]] = {p.id: [] for p in posts}
    for shift in instance.shifts:
        own = [p for p in posts if p.shift == shift.id]
        for day in range(instance.days):
            c = lines.get((day, shift.id))
            post, need, over = own[0], 0, 0
            if c is not None:
                over = c.weight_over
                if unit == 0:
                    need = c.requirement  # shortfall costs nothing anywhere (weights.shortfall 0)
                elif c.requirement > 0 and c.weight_under > 0:
                    need = c.requirement
                    post = next(p for p in own if p.weight_under == c.weight_under)
            entry: dict[str, Any] = {
                "shift": shift.id,
                "min": need,
                "max": max(need, staff_count),
                "days": [day_date(day).isoformat()],
                "over_weight": over,
            }
            if need and post.multipliers:
                entry["skills"] = {k: need for k in skills[: post.multipliers]}
            coverage[post.id].append(entry)

    doc: dict[str, Any] = {
        "format": 2,
        "name": instance.name,
        "timezone": "UTC",
        "horizon": {"start": START.isoformat(), "days": instance.days},
        "shift_types": [
            {"id": s.id, "name": s.id, "start": "00:00", "minutes": s.minutes, "night": False}
            for s in instance.shifts
        ],
        "units": [{"id": UNIT, "name": "Ward"}],
    }
    if skills:
        doc["skills"] = [
            {"id": k, "name": f"shortfall multiplier {k.removeprefix(SKILL_PREFIX)}"} for k in skills
        ]
    doc["posts"] = [
        {
            "id": p.id,
            "name": f"Cover {p.shift}" + (f" (under-weight {p.weight_under})" if p.split else ""),
            "kind": "other",
            "unit": UNIT,
            "priority": p.priority,
            "coverage": coverage[p.id],
        }
        for p in posts
    ]
    doc["officers"] = [_officer(instance, e, skills) for e in instance.staff]
    doc["rules"] = {
        "min_rest_minutes": 0,
        "max_minutes_per_7_days": 7 * 1440,
        "min_days_off_per_7_days": 0,
        "max_consecutive_days": MAX_DAYS,
        "max_consecutive_nights": MAX_DAYS,
        "max_duties_per_day": 1,
        "forbidden_successions": [
            {"first": s.id, "then": list(s.cannot_follow)} for s in instance.shifts if s.cannot_follow
        ],
        "weights": {
            "shortfall": unit,
            "request": 1,
            "fair_duties": 0,
            "fair_nights": 0,
            "continuity": 0,
            "change": 0,
            "group_split": 0,
            "pattern": 0,
        },
    }
    return doc


def _officer(instance: CurtoisInstance, e: Staff, skills: list[str]) -> dict[str, Any]:
    requests = [
        {"kind": kind, "date": day_date(r.day).isoformat(), "shift": r.shift, "weight": r.weight}
        for kind, requests in (("shift_on", instance.on_requests), ("shift_off", instance.off_requests))
        for r in requests
        if r.employee == e.id and r.weight > 0
    ]
    officer: dict[str, Any] = {"id": e.id, "name": e.id, "unit": UNIT}
    if skills:
        officer["skills"] = list(skills)
    officer["unavailable"] = [
        {
            "start": f"{day_date(d).isoformat()}T00:00",
            "end": f"{day_date(d + 1).isoformat()}T00:00",
            "reason": "day off",
        }
        for d in sorted(instance.days_off_of(e.id))
    ]
    officer["requests"] = requests
    officer["rules"] = {
        "max_duties_by_shift": dict(e.max_shifts),
        "max_minutes_per_horizon": e.max_total_minutes,
        "min_minutes_per_horizon": e.min_total_minutes,
        "max_consecutive_days": e.max_consecutive_shifts,
        "min_consecutive_days": e.min_consecutive_shifts,
        "min_consecutive_days_off": e.min_consecutive_days_off,
        "max_weekends": e.max_weekends,
    }
    return officer


def convert_file(path: str | Path, out_path: str | Path) -> dict[str, Any]:
    """`roster convert curtois INSTANCE.txt --out SCENARIO.json`: parse, convert, write (UTF-8 JSON)."""
    doc = to_scenario(read_instance(path))
    Path(out_path).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return doc


# --------------------------------------------------------------------------- solutions

Schedule = dict[tuple[str, int], str]
"""(employee, day) → the shift worked; a day off is absent."""


def _get(item: Any, key: str) -> Any:
    return item[key] if isinstance(item, Mapping) else getattr(item, key)


def schedule_from_assignments(instance: CurtoisInstance, assignments: Iterable[Any]) -> Schedule:
    """The schedule of assignments, objects or dicts with `officer`, `shift` and `date` (a date
    or `YYYY-MM-DD`), such as the roster document's `{"officer", "post", "shift", "date"}`; the
    post is ignored. Raise CurtoisSolutionError (numbered by assignment index) on an unknown
    officer or shift, a date outside the horizon, or two duties of one employee on one day."""
    staff = {e.id for e in instance.staff}
    shifts = {s.id for s in instance.shifts}
    schedule: Schedule = {}
    problems: list[tuple[int, str]] = []
    for index, a in enumerate(assignments):
        try:
            officer, shift, when = _get(a, "officer"), _get(a, "shift"), _get(a, "date")
        except (KeyError, AttributeError) as exc:
            problems.append((index, f"missing {exc}"))
            continue
        if isinstance(when, str):
            try:
                when = date.fromisoformat(when)
            except ValueError:
                problems.append((index, f"{when!r} is not a date"))
                continue
        if not isinstance(when, date):
            problems.append((index, f"{when!r} is not a date"))
            continue
        day = (when - START).days
        if officer not in staff:
            problems.append((index, f"unknown employee {officer!r}"))
        elif shift not in shifts:
            problems.append((index, f"unknown shift {shift!r}"))
        elif not 0 <= day < instance.days:
            problems.append((index, f"{when} is outside the horizon"))
        elif (officer, day) in schedule:
            problems.append((index, f"{officer} already works {schedule[officer, day]} on day {day}"))
        else:
            schedule[officer, day] = shift
    if problems:
        raise CurtoisSolutionError(problems, instance.name, where="assignment")
    return schedule


def assignments_from_schedule(
    instance: CurtoisInstance, schedule: Mapping[tuple[str, int], str]
) -> list[dict[str, str]]:
    """The roster-document assignments of a schedule on the scenario `to_scenario` writes (each
    duty on the post that has the slot of its shift and date)."""
    post_of = {
        (entry["shift"], entry["days"][0]): post["id"]
        for post in to_scenario(instance)["posts"]
        for entry in post["coverage"]
    }
    out = []
    for (employee, day), shift in sorted(schedule.items(), key=lambda item: (item[0][1], item[0][0])):
        when = day_date(day).isoformat()
        out.append({"officer": employee, "post": post_of[shift, when], "shift": shift, "date": when})
    return out


def solution_text(
    instance: CurtoisInstance, assignments: Iterable[Any] | Mapping[tuple[str, int], str]
) -> str:
    """The benchmark's solution format: one line per employee (staff order), one tab-separated
    cell per day holding the shift id or nothing. `assignments` as for
    `schedule_from_assignments`, or a schedule `{(employee, day): shift}`."""
    schedule = (
        dict(assignments)
        if isinstance(assignments, Mapping)
        else schedule_from_assignments(instance, assignments)
    )
    rows = ["\t".join(schedule.get((e.id, d), "") for d in range(instance.days)) for e in instance.staff]
    return "\n".join(rows) + "\n"


def parse_solution(text: str, instance: CurtoisInstance) -> Schedule:
    """Read the benchmark's solution format (see `solution_text`); raise CurtoisSolutionError
    with line numbers on a wrong number of lines or cells or an unknown shift."""
    lines = [line.removesuffix("\r") for line in text.removesuffix("\n").split("\n")]
    while len(lines) > len(instance.staff) and lines[-1] == "":
        lines.pop()
    problems: list[tuple[int, str]] = []
    if len(lines) != len(instance.staff):
        problems.append((0, f"expected {len(instance.staff)} lines (one per employee), got {len(lines)}"))
    shifts = {s.id for s in instance.shifts}
    schedule: Schedule = {}
    for number, (employee, line) in enumerate(zip(instance.staff, lines, strict=False), start=1):
        cells = line.split("\t")
        if len(cells) != instance.days:
            problems.append(
                (number, f"expected {instance.days} tab-separated cells (one per day), got {len(cells)}")
            )
            continue
        for day, raw in enumerate(cells):
            cell = raw.strip()
            if not cell:
                continue
            if cell not in shifts:
                problems.append((number, f"day {day} of {employee.id}: unknown shift {cell!r}"))
                continue
            schedule[employee.id, day] = cell
    if problems:
        raise CurtoisSolutionError(problems, instance.name)
    return schedule
