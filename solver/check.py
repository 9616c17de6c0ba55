"""The referee: every hard rule and every objective term of the spec, recomputed from assignments alone.

Pure Python, no CP-SAT: this is the arbiter the solver is measured against. Each hard rule is one
function `(RosterFacts) -> list[Violation]`, listed in `HARD_RULES`; each objective term one
function `(RosterFacts) -> list[Contribution]`, listed in `OBJECTIVE_TERMS`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import pairwise
from typing import Any

from solver.domain import (
    SCORE_TERMS,
    V2_SCORE_TERMS,
    Assignment,
    Officer,
    Roster,
    Scenario,
    Score,
    Shortfall,
    Slot,
    SlotKey,
)
from solver.facts import fairness_eligible, request_broken, slot_missing
from solver.groups import (
    group_members,
    owed_rest_dates,
    pattern_dates,
    pattern_departs,
    pattern_wants,
    patterned,
)
from solver.timeline import Timeline, minutes_between, overlaps
from solver.workdays import judged_runs, weekends


@dataclass(frozen=True)
class Violation:
    rule: str
    officer: str | None
    post: str | None
    date: date | None
    message: str
    shift: str | None = None
    params: Mapping[str, str | int] = field(default_factory=dict, compare=False, hash=False)
    """The message's values by name (e.g. min_rest: gap_minutes, rest_minutes, other_shift,
    other_date, other_post), for a page to word it in its own language."""

    def __str__(self) -> str:
        parts = [self.rule]
        parts += [f"officer={self.officer}"] if self.officer else []
        parts += [f"post={self.post}"] if self.post else []
        parts += [f"date={self.date}"] if self.date else []
        return " ".join(parts) + f": {self.message}"


@dataclass(frozen=True)
class Contribution:
    """One item of the objective: which term, how much, and whom or what it belongs to."""

    term: str
    amount: int
    detail: str
    officer: str | None = None
    post: str | None = None
    unit: str | None = None
    date: date | None = None
    shift: str | None = None


@dataclass(frozen=True)
class TimedDuty:
    """A duty in real time; `post` is None for history."""

    officer: str
    shift: str
    date: date
    post: str | None
    start: datetime
    end: datetime

    @property
    def history(self) -> bool:
        return self.post is None


@dataclass
class RosterFacts:
    """What the rules need, derived once from a scenario and a list of assignments."""

    scenario: Scenario
    assignments: tuple[Assignment, ...]
    timeline: Timeline = field(init=False)
    unknown: list[Assignment] = field(init=False)
    duplicates: list[Assignment] = field(init=False)
    unique: list[Assignment] = field(init=False)

    def __post_init__(self) -> None:
        s = self.scenario
        self.timeline = Timeline(s)
        counts = Counter(self.assignments)
        self.duplicates = [a for a, n in counts.items() if n > 1]  # unknown ones too: listed twice
        self.unknown = [
            a
            for a in counts
            if not (s.has_officer(a.officer) and s.has_post(a.post) and s.has_shift(a.shift))
        ]
        unknown = set(self.unknown)
        self.unique = sorted(a for a in counts if a not in unknown)

    @cached_property
    def slots(self) -> dict[SlotKey, Slot]:
        return {slot.key: slot for slot in self.scenario.slots()}

    @cached_property
    def by_slot(self) -> dict[SlotKey, list[Assignment]]:
        out: dict[SlotKey, list[Assignment]] = defaultdict(list)
        for a in self.unique:
            out[a.slot_key].append(a)
        return out

    @cached_property
    def duties(self) -> dict[str, list[TimedDuty]]:
        """Per officer, history and horizon duties sorted by start instant (then post)."""
        out: dict[str, list[TimedDuty]] = {o.id: [] for o in self.scenario.officers}
        for o in self.scenario.officers:
            for h in o.history:
                out[o.id].append(TimedDuty(o.id, h.shift, h.date, None, *self.timeline.duty(h.shift, h.date)))
        for a in self.unique:
            out[a.officer].append(
                TimedDuty(a.officer, a.shift, a.date, a.post, *self.timeline.duty(a.shift, a.date))
            )
        for duties in out.values():
            duties.sort(key=lambda d: (d.start, d.post or "", d.shift))
        return out

    def horizon_duties(self, officer_id: str) -> list[TimedDuty]:
        """The officer's roster duties (not history), including any wrongly dated outside the horizon."""
        return [d for d in self.duties[officer_id] if not d.history]

    def scored_duties(self, officer_id: str) -> list[TimedDuty]:
        """The officer's roster duties dated inside the horizon: what fairness and continuity count."""
        return [d for d in self.horizon_duties(officer_id) if self.scenario.in_horizon(d.date)]

    def officers(self) -> Iterable[Officer]:
        return self.scenario.officers


# --------------------------------------------------------------------------- hard rules


def unknown_reference(f: RosterFacts) -> list[Violation]:
    s = f.scenario
    out = []
    for a in f.unknown:
        missing = [
            f"{kind} {value!r}"
            for kind, value, known in (
                ("officer", a.officer, s.has_officer(a.officer)),
                ("post", a.post, s.has_post(a.post)),
                ("shift type", a.shift, s.has_shift(a.shift)),
            )
            if not known
        ]
        out.append(Violation("unknown_reference", a.officer, a.post, a.date, "unknown " + ", ".join(missing)))
    return out


def duplicate_assignment(f: RosterFacts) -> list[Violation]:
    return [
        Violation("duplicate_assignment", a.officer, a.post, a.date, f"{a.shift} duty listed more than once")
        for a in f.duplicates
    ]


def no_coverage_slot(f: RosterFacts) -> list[Violation]:
    return [
        Violation(
            "no_coverage_slot",
            a.officer,
            a.post,
            a.date,
            f"post has no {a.shift} slot on {a.date}"
            + ("" if f.scenario.in_horizon(a.date) else " (outside the horizon)"),
            a.shift,
        )
        for a in f.unique
        if a.slot_key not in f.slots
    ]


def coverage_max(f: RosterFacts) -> list[Violation]:
    out = []
    for key, assigned in f.by_slot.items():
        slot = f.slots.get(key)
        if slot is not None and len(assigned) > slot.max:
            out.append(
                Violation(
                    "coverage_max",
                    None,
                    key.post,
                    key.date,
                    f"{key.shift}: {len(assigned)} officers assigned, at most {slot.max} allowed",
                    key.shift,
                    {"assigned": len(assigned), "max": slot.max},
                )
            )
    return out


def serves_unit(f: RosterFacts) -> list[Violation]:
    s = f.scenario
    out = []
    for a in f.unique:
        unit = s.post(a.post).unit
        if unit not in s.officer(a.officer).serves:
            out.append(
                Violation(
                    "serves_unit", a.officer, a.post, a.date, f"officer does not serve unit {unit!r}", a.shift
                )
            )
    return out


def unavailable(f: RosterFacts) -> list[Violation]:
    out = []
    for o in f.officers():
        spans = f.timeline.away(o)
        if not spans:
            continue
        for d in f.horizon_duties(o.id):
            for span, interval in spans:
                if overlaps((d.start, d.end), interval):
                    why = f" ({span.reason})" if span.reason else ""
                    out.append(
                        Violation(
                            "unavailable",
                            o.id,
                            d.post,
                            d.date,
                            f"{d.shift} duty overlaps unavailability {span.start:%Y-%m-%dT%H:%M}.."
                            f"{span.end:%Y-%m-%dT%H:%M}{why}",
                            d.shift,
                            {
                                "start": f"{span.start:%Y-%m-%dT%H:%M}",
                                "end": f"{span.end:%Y-%m-%dT%H:%M}",
                                "reason": span.reason or "",
                            },
                        )
                    )
                    break
    return out


def _close_pairs(f: RosterFacts, officer: Officer) -> Iterable[tuple[TimedDuty, TimedDuty, float]]:
    """Pairs (a, b), a starting no later than b, at least one in the horizon, with b starting
    before a's end plus the officer's minimum rest; with the gap in minutes (negative: overlap)."""
    rest = f.scenario.rules_for(officer).min_rest_minutes
    duties = f.duties[officer.id]
    for i, a in enumerate(duties):
        limit = a.end + timedelta(minutes=rest)
        for b in duties[i + 1 :]:
            if b.start >= limit:
                break
            if a.history and b.history:
                continue
            yield a, b, minutes_between(a.end, b.start)


def overlap(f: RosterFacts) -> list[Violation]:
    out = []
    for o in f.officers():
        for a, b, _gap in _close_pairs(f, o):
            if overlaps((a.start, a.end), (b.start, b.end)):
                first = "history" if a.history else a.post
                out.append(
                    Violation(
                        "overlap",
                        o.id,
                        b.post,
                        b.date,
                        f"{b.shift} duty overlaps the {a.shift} duty of {a.date} ({first})",
                        b.shift,
                        {
                            "other_shift": a.shift,
                            "other_date": a.date.isoformat(),
                            "other_post": a.post or "",
                        },
                    )
                )
    return out


def min_rest(f: RosterFacts) -> list[Violation]:
    out = []
    for o in f.officers():
        rest = f.scenario.rules_for(o).min_rest_minutes
        for a, b, gap in _close_pairs(f, o):
            if 0 <= gap < rest:
                first = "history" if a.history else a.post
                out.append(
                    Violation(
                        "min_rest",
                        o.id,
                        b.post,
                        b.date,
                        f"{b.shift} duty starts {_hours(gap)} after the {a.shift} duty of {a.date} ({first}) "
                        f"ends; at least {_hours(rest)} of rest required",
                        b.shift,
                        {
                            "gap_minutes": round(gap),
                            "rest_minutes": rest,
                            "other_shift": a.shift,
                            "other_date": a.date.isoformat(),
                            "other_post": a.post or "",
                        },
                    )
                )
    return out


def _hours(minutes: float) -> str:
    h, m = divmod(round(minutes), 60)
    return f"{h}h{m:02d}" if m else f"{h}h"


def _start_dates(f: RosterFacts, officer_id: str, night_only: bool = False) -> set[date]:
    return {d.date for d in f.duties[officer_id] if not night_only or f.scenario.shift(d.shift).night}


def max_minutes_per_7_days(f: RosterFacts) -> list[Violation]:
    s = f.scenario
    out = []
    for o in f.officers():
        limit = s.rules_for(o).max_minutes_per_7_days
        minutes: Counter[date] = Counter()
        for d in f.duties[o.id]:
            minutes[d.date] += s.shift(d.shift).minutes
        horizon_dates = sorted({d.date for d in f.horizon_duties(o.id)})
        windows = sorted({w for day in horizon_dates for w in _window_starts(day)})
        for w in windows:
            total = sum(minutes[w + timedelta(days=i)] for i in range(7))
            if total > limit:
                out.append(
                    Violation(
                        "max_minutes_per_7_days",
                        o.id,
                        None,
                        w,
                        f"{total} minutes of duty starting {w}..{w + timedelta(days=6)}, at most {limit}",
                        params={"minutes": total, "limit": limit, "end": (w + timedelta(days=6)).isoformat()},
                    )
                )
    return out


def _window_starts(day: date) -> list[date]:
    return [day - timedelta(days=i) for i in range(7)]


def min_days_off_per_7_days(f: RosterFacts) -> list[Violation]:
    s = f.scenario
    out: list[Violation] = []
    if s.days < 7:
        return out
    day_bounds = [(day, f.timeline.day(day)) for day in s.dates]
    for o in f.officers():
        need = s.rules_for(o).min_days_off_per_7_days
        if need == 0:
            continue
        busy: dict[date, bool] = {}  # date -> True when a horizon duty makes it busy
        for d in f.duties[o.id]:
            for day, bounds in day_bounds:
                if overlaps((d.start, d.end), bounds):
                    busy[day] = busy.get(day, False) or not d.history
        for i in range(s.days - 6):
            window = s.dates[i : i + 7]
            busy_days = [day for day in window if day in busy]
            if 7 - len(busy_days) < need and any(busy[day] for day in busy_days):
                out.append(
                    Violation(
                        "min_days_off_per_7_days",
                        o.id,
                        None,
                        window[0],
                        f"{7 - len(busy_days)} day(s) off in {window[0]}..{window[-1]}, "
                        f"at least {need} required",
                        params={"off": 7 - len(busy_days), "need": need, "end": window[-1].isoformat()},
                    )
                )
    return out


def _runs(f: RosterFacts, rule: str, night_only: bool, limit_of: Callable[[Officer], int]) -> list[Violation]:
    s = f.scenario
    out = []
    for o in f.officers():
        limit = limit_of(o)
        worked = _start_dates(f, o.id, night_only)
        horizon = {d.date for d in f.horizon_duties(o.id) if not night_only or s.shift(d.shift).night}
        for day in sorted(horizon):
            run = 1
            while day - timedelta(days=run) in worked:
                run += 1
            if run > limit:
                what = "night duties" if night_only else "duty days"
                message = f"day {run} in a row of {what}, at most {limit}"
                out.append(Violation(rule, o.id, None, day, message, params={"run": run, "limit": limit}))
    return out


def max_consecutive_days(f: RosterFacts) -> list[Violation]:
    return _runs(f, "max_consecutive_days", False, lambda o: f.scenario.rules_for(o).max_consecutive_days)


def max_consecutive_nights(f: RosterFacts) -> list[Violation]:
    return _runs(f, "max_consecutive_nights", True, lambda o: f.scenario.rules_for(o).max_consecutive_nights)


def pinned_missing(f: RosterFacts) -> list[Violation]:
    present = set(f.unique)
    return [
        Violation("pinned_missing", a.officer, a.post, a.date, f"pinned {a.shift} duty is missing", a.shift)
        for a in dict.fromkeys(f.scenario.pinned)
        if a not in present
    ]


def frozen_until(f: RosterFacts) -> list[Violation]:
    """Optional extension: no duty starts before `frozen_until` unless it is pinned."""
    s = f.scenario
    if s.frozen_until is None:
        return []
    cutoff = f.timeline.instant(s.frozen_until)
    pins = set(s.pinned)
    return [
        Violation(
            "frozen_until",
            a.officer,
            a.post,
            a.date,
            f"{a.shift} duty starts before {s.frozen_until:%Y-%m-%dT%H:%M}"
            " (the frozen past) and is not pinned",
            a.shift,
        )
        for a in f.unique
        if a not in pins and f.timeline.duty(a.shift, a.date)[0] < cutoff
    ]


# --------------------------------------------------------------------------- version 2 hard rules


def _horizon_dates_of(f: RosterFacts, officer_id: str) -> list[TimedDuty]:
    return [d for d in f.horizon_duties(officer_id) if f.scenario.in_horizon(d.date)]


def max_duties_per_day(f: RosterFacts) -> list[Violation]:
    """v2: at most `max_duties_per_day` duties of the officer start on any horizon date."""
    out = []
    for o in f.officers():
        limit = f.scenario.rules_for(o).max_duties_per_day
        if limit is None:
            continue
        per_day = Counter(d.date for d in _horizon_dates_of(f, o.id))
        for day, n in sorted(per_day.items()):
            if n > limit:
                out.append(
                    Violation(
                        "max_duties_per_day", o.id, None, day, f"{n} duties start on {day}, at most {limit}"
                    )
                )
    return out


def forbidden_succession(f: RosterFacts) -> list[Violation]:
    """v2: a duty of shift `first` on date D (history too) forbids one of `then` on D + 1 (dates, not
    instants); reported on the later duty, when at least one of the two is a roster duty."""
    out = []
    for o in f.officers():
        rules = f.scenario.rules_for(o)
        if not rules.forbidden_successions:
            continue
        by_date: dict[date, list[TimedDuty]] = defaultdict(list)
        for d in f.duties[o.id]:
            by_date[d.date].append(d)
        for a in f.duties[o.id]:
            banned = rules.forbidden_after(a.shift)
            for b in by_date.get(a.date + timedelta(days=1), ()):
                if b.shift in banned and not (a.history and b.history):
                    first = "history" if a.history else a.post
                    out.append(
                        Violation(
                            "forbidden_succession",
                            o.id,
                            b.post,
                            b.date,
                            f"{b.shift} duty the day after the {a.shift} duty of {a.date} ({first})",
                            b.shift,
                        )
                    )
    return out


def max_duties_by_shift(f: RosterFacts) -> list[Violation]:
    """v2: the officer's horizon duties of each listed shift type are at most its limit."""
    out = []
    for o in f.officers():
        limits = f.scenario.rules_for(o).max_duties_by_shift
        if not limits:
            continue
        counts = Counter(d.shift for d in _horizon_dates_of(f, o.id))
        for shift, limit in limits.items():
            if counts[shift] > limit:
                out.append(
                    Violation(
                        "max_duties_by_shift",
                        o.id,
                        None,
                        None,
                        f"{counts[shift]} {shift} duties, at most {limit}",
                        shift,
                    )
                )
    return out


def _horizon_minutes(f: RosterFacts, officer_id: str) -> int:
    return sum(f.scenario.shift(d.shift).minutes for d in _horizon_dates_of(f, officer_id))


def min_minutes_per_horizon(f: RosterFacts) -> list[Violation]:
    """v2: the minutes of the officer's horizon duties are at least `min_minutes_per_horizon`."""
    out = []
    for o in f.officers():
        need = f.scenario.rules_for(o).min_minutes_per_horizon
        if need is not None and (total := _horizon_minutes(f, o.id)) < need:
            out.append(
                Violation(
                    "min_minutes_per_horizon", o.id, None, None, f"{total} minutes of duty, at least {need}"
                )
            )
    return out


def max_minutes_per_horizon(f: RosterFacts) -> list[Violation]:
    """v2: the minutes of the officer's horizon duties are at most `max_minutes_per_horizon`."""
    out = []
    for o in f.officers():
        limit = f.scenario.rules_for(o).max_minutes_per_horizon
        if limit is not None and (total := _horizon_minutes(f, o.id)) > limit:
            out.append(
                Violation(
                    "max_minutes_per_horizon", o.id, None, None, f"{total} minutes of duty, at most {limit}"
                )
            )
    return out


def min_consecutive_days(f: RosterFacts) -> list[Violation]:
    """v2: every maximal run of consecutive duty dates that includes neither the horizon's first nor
    its last date has at least `min_consecutive_days` dates."""
    s = f.scenario
    out = []
    for o in f.officers():
        need = s.rules_for(o).min_consecutive_days
        if need <= 1:
            continue
        worked = {d.date for d in _horizon_dates_of(f, o.id)}
        for i, length in judged_runs([day in worked for day in s.dates]):
            if length < need:
                out.append(
                    Violation(
                        "min_consecutive_days",
                        o.id,
                        None,
                        s.dates[i],
                        f"{length} duty day(s) in a row from {s.dates[i]}, at least {need}",
                    )
                )
    return out


def days_off(f: RosterFacts, officer_id: str) -> list[bool]:
    """Per horizon date, whether it is a day off: a calendar day overlapping none of the officer's
    duties (history duties running into the horizon included)."""
    duties = f.duties[officer_id]
    return [
        not any(overlaps((d.start, d.end), f.timeline.day(day)) for d in duties) for day in f.scenario.dates
    ]


def min_consecutive_days_off(f: RosterFacts) -> list[Violation]:
    """v2: likewise for maximal runs of days off (`min_consecutive_days_off`)."""
    s = f.scenario
    out = []
    for o in f.officers():
        need = s.rules_for(o).min_consecutive_days_off
        if need <= 1:
            continue
        for i, length in judged_runs(days_off(f, o.id)):
            if length < need:
                out.append(
                    Violation(
                        "min_consecutive_days_off",
                        o.id,
                        None,
                        s.dates[i],
                        f"{length} day(s) off in a row from {s.dates[i]}, at least {need}",
                    )
                )
    return out


def max_weekends(f: RosterFacts) -> list[Violation]:
    """v2: weekends with a horizon duty starting on the Saturday or the Sunday are at most
    `max_weekends` (a weekend counts when either of its dates is a horizon date)."""
    s = f.scenario
    out = []
    for o in f.officers():
        limit = s.rules_for(o).max_weekends
        if limit is None:
            continue
        worked = {d.date for d in _horizon_dates_of(f, o.id)}
        used = [w for w in weekends(s) if any(day in worked for day in w)]
        if len(used) > limit:
            out.append(
                Violation(
                    "max_weekends",
                    o.id,
                    None,
                    used[limit][0],
                    f"duty on {len(used)} weekends, at most {limit}",
                )
            )
    return out


def owed_rest(f: RosterFacts) -> list[Violation]:
    """v2: each owed-rest entry has at least `days` days off among the horizon dates up to `by`
    (a day off overlaps no duty, history included; history alone is never a violation)."""
    s = f.scenario
    out = []
    for o in f.officers():
        for entry in o.owed_rest:
            dates = owed_rest_dates(s, entry)
            if not dates:
                continue
            busy: dict[date, bool] = {}  # date -> True when a horizon duty makes it busy
            for d in f.duties[o.id]:
                for day in dates:
                    if overlaps((d.start, d.end), f.timeline.day(day)):
                        busy[day] = busy.get(day, False) or not d.history
            off = len(dates) - len(busy)
            if off < entry.days and any(busy.values()):
                out.append(
                    Violation(
                        "owed_rest",
                        o.id,
                        None,
                        dates[-1],
                        f"{off} day(s) off in {dates[0]}..{dates[-1]}, {entry.days} owed by {entry.by}",
                    )
                )
    return out


HARD_RULES: dict[str, Callable[[RosterFacts], list[Violation]]] = {
    "unknown_reference": unknown_reference,
    "duplicate_assignment": duplicate_assignment,
    "no_coverage_slot": no_coverage_slot,
    "coverage_max": coverage_max,
    "serves_unit": serves_unit,
    "unavailable": unavailable,
    "overlap": overlap,
    "min_rest": min_rest,
    "max_minutes_per_7_days": max_minutes_per_7_days,
    "min_days_off_per_7_days": min_days_off_per_7_days,
    "max_consecutive_days": max_consecutive_days,
    "max_consecutive_nights": max_consecutive_nights,
    "pinned_missing": pinned_missing,
    "frozen_until": frozen_until,
    "max_duties_per_day": max_duties_per_day,
    "forbidden_succession": forbidden_succession,
    "max_duties_by_shift": max_duties_by_shift,
    "min_minutes_per_horizon": min_minutes_per_horizon,
    "max_minutes_per_horizon": max_minutes_per_horizon,
    "min_consecutive_days": min_consecutive_days,
    "min_consecutive_days_off": min_consecutive_days_off,
    "max_weekends": max_weekends,
    "owed_rest": owed_rest,
}


# --------------------------------------------------------------------------- objective terms


def shortfall(f: RosterFacts) -> list[Contribution]:
    s = f.scenario
    weight = s.weights.shortfall
    out = []
    for key, slot in f.slots.items():
        staff = [s.officer(a.officer) for a in f.by_slot.get(key, [])]
        priority = s.post(key.post).priority
        for skill, need, missing in slot_missing(slot, staff):
            what = "officer(s)" if skill is None else f"officer(s) with skill {skill!r}"
            out.append(
                Contribution(
                    "shortfall",
                    priority * weight * missing,
                    f"{missing} of {need} {what} missing",
                    post=key.post,
                    unit=s.post(key.post).unit,
                    date=key.date,
                    shift=key.shift,
                )
            )
    return out


def overstaffing(f: RosterFacts) -> list[Contribution]:
    """v2: Σ over slots of `over_weight × max(0, assigned − min)`."""
    out = []
    for key, slot in f.slots.items():
        extra = len(f.by_slot.get(key, ())) - slot.min
        if slot.over_weight and extra > 0:
            out.append(
                Contribution(
                    "overstaffing",
                    slot.over_weight * extra,
                    f"{extra} officer(s) above the minimum of {slot.min}",
                    post=key.post,
                    unit=f.scenario.post(key.post).unit,
                    date=key.date,
                    shift=key.shift,
                )
            )
    return out


def requests(f: RosterFacts) -> list[Contribution]:
    s = f.scenario
    weight = s.weights.request
    out = []
    for o in s.officers:
        duties = f.horizon_duties(o.id)
        for r in o.requests:
            if not s.in_horizon(r.date):
                continue
            if request_broken(r, [d.shift for d in duties if d.date == r.date]):
                what = r.kind.value + (f" {r.shift}" if r.shift else "")
                out.append(
                    Contribution(
                        "requests",
                        r.weight * weight,
                        f"{what} request (weight {r.weight}) not granted",
                        officer=o.id,
                        unit=o.unit,
                        date=r.date,
                        shift=r.shift,
                    )
                )
    return out


def fairness(f: RosterFacts) -> list[Contribution]:
    s = f.scenario
    out = []
    for unit, officers in fairness_eligible(s, f.timeline).items():
        if not officers:
            continue
        duties = {o.id: len(f.scored_duties(o.id)) for o in officers}
        nights = {o.id: sum(1 for d in f.scored_duties(o.id) if s.shift(d.shift).night) for o in officers}
        for name, counts, weight in (
            ("duties", duties, s.weights.fair_duties),
            ("night duties", nights, s.weights.fair_nights),
        ):
            spread = max(counts.values()) - min(counts.values())
            if spread and weight:
                most = max(counts, key=lambda k: (counts[k], k))
                least = min(counts, key=lambda k: (counts[k], k))
                out.append(
                    Contribution(
                        "fairness",
                        weight * spread,
                        f"{name} range from {counts[least]} ({least}) to {counts[most]} ({most})",
                        unit=unit,
                    )
                )
    return out


def continuity(f: RosterFacts) -> list[Contribution]:
    weight = f.scenario.weights.continuity
    out: list[Contribution] = []
    if not weight:
        return out
    for o in f.officers():
        duties = f.scored_duties(o.id)
        for a, b in pairwise(duties):
            if a.post != b.post:
                out.append(
                    Contribution(
                        "continuity",
                        weight,
                        f"moves from {a.post} ({a.date} {a.shift}) to {b.post}",
                        officer=o.id,
                        unit=o.unit,
                        post=b.post,
                        date=b.date,
                        shift=b.shift,
                    )
                )
    return out


def changes(f: RosterFacts) -> list[Contribution]:
    s = f.scenario
    present = set(f.assignments)  # baseline may name unknown ids: listed in the roster, it is not absent
    return [
        Contribution(
            "changes",
            s.weights.change,
            f"baseline {a.shift} duty removed",
            officer=a.officer,
            post=a.post,
            date=a.date,
            shift=a.shift,
        )
        for a in dict.fromkeys(s.baseline)
        if s.in_horizon(a.date) and a not in present and s.weights.change
    ]


def group_split(f: RosterFacts) -> list[Contribution]:
    """v2: per group and date, `weights.group_split × max(0, k − 1)` where k is the number of distinct
    (post, shift) pairs among the members' horizon duties starting that date."""
    s = f.scenario
    weight = s.weights.group_split
    out: list[Contribution] = []
    if not weight:
        return out
    for g in s.groups:
        pairs: dict[date, set[tuple[str, str]]] = defaultdict(set)
        for o in group_members(s, g):
            for d in f.scored_duties(o.id):
                assert d.post is not None
                pairs[d.date].add((d.post, d.shift))
        for day, used in sorted(pairs.items()):
            if len(used) > 1:
                shown = ", ".join(f"{post} {shift}" for post, shift in sorted(used))
                out.append(
                    Contribution(
                        "group_split",
                        weight * (len(used) - 1),
                        f"group {g.id} works at {len(used)} post-shifts: {shown}",
                        date=day,
                    )
                )
    return out


def pattern(f: RosterFacts) -> list[Contribution]:
    """v2: per member of a group with a pattern and horizon date without unavailability that day,
    `weights.pattern` when the shifts of the member's duties starting that date differ from the
    pattern's."""
    s = f.scenario
    weight = s.weights.pattern
    out: list[Contribution] = []
    if not weight:
        return out
    for g, o in patterned(s):
        shifts: dict[date, list[str]] = defaultdict(list)
        for d in f.scored_duties(o.id):
            shifts[d.date].append(d.shift)
        for day in pattern_dates(s, f.timeline, o):
            worked = shifts.get(day, [])
            if pattern_departs(g, day, worked):
                wants = "/".join(sorted(pattern_wants(g, day))) or "no duty"
                has = "/".join(sorted(set(worked))) or "no duty"
                out.append(
                    Contribution(
                        "pattern",
                        weight,
                        f"group {g.id}'s pattern says {wants}, has {has}",
                        officer=o.id,
                        unit=o.unit,
                        date=day,
                        shift=g.pattern.shift_on(day) if g.pattern else None,
                    )
                )
    return out


OBJECTIVE_TERMS: dict[str, Callable[[RosterFacts], list[Contribution]]] = {
    "shortfall": shortfall,
    "overstaffing": overstaffing,
    "requests": requests,
    "fairness": fairness,
    "continuity": continuity,
    "changes": changes,
    "group_split": group_split,
    "pattern": pattern,
}
assert tuple(OBJECTIVE_TERMS) == SCORE_TERMS


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class CheckReport:
    violations: tuple[Violation, ...]
    score: Score
    contributions: tuple[Contribution, ...]
    shortfalls: tuple[Shortfall, ...]
    mismatches: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.violations and not self.mismatches

    def by_term(self, term: str) -> list[Contribution]:
        return [c for c in self.contributions if c.term == term]


def shortfall_slots(f: RosterFacts) -> list[Shortfall]:
    s = f.scenario
    return [
        Shortfall(key.post, key.shift, key.date, missing, skill)
        for key, slot in f.slots.items()
        for skill, _need, missing in slot_missing(
            slot, [s.officer(a.officer) for a in f.by_slot.get(key, [])]
        )
    ]


def check_assignments(
    scenario: Scenario,
    assignments: Iterable[Assignment],
    rules: Iterable[str] | None = None,
) -> CheckReport:
    """Every hard violation (or only those of `rules`) and the score of a set of assignments."""
    facts = RosterFacts(scenario, tuple(assignments))
    chosen = HARD_RULES if rules is None else {r: HARD_RULES[r] for r in rules}
    violations = [v for fn in chosen.values() for v in fn(facts)]
    contributions = [c for fn in OBJECTIVE_TERMS.values() for c in fn(facts)]
    totals = {term: sum(c.amount for c in contributions if c.term == term) for term in SCORE_TERMS}
    return CheckReport(
        violations=tuple(violations),
        score=Score(**totals),
        contributions=tuple(contributions),
        shortfalls=tuple(shortfall_slots(facts)),
    )


def check_roster(scenario: Scenario, roster: Roster, claimed: dict[str, Any] | None = None) -> CheckReport:
    """`roster check`: violations, the recomputed score, and any difference from what the roster claims."""
    report = check_assignments(scenario, roster.assignments)
    mismatches = []
    recomputed = report.score.as_dict()
    if claimed is not None:
        for term, value in recomputed.items():
            if claimed.get(term, 0 if term in V2_SCORE_TERMS else None) != value:
                mismatches.append(f"score.{term}: roster claims {claimed.get(term)}, recomputed {value}")
    if roster.objective is not None and roster.objective != report.score.total:
        mismatches.append(f"objective: roster claims {roster.objective}, recomputed {report.score.total}")
    if roster.bound is not None and roster.bound > report.score.total:
        mismatches.append(
            f"bound: roster claims a lower bound {roster.bound} above the score {report.score.total}"
        )
    return CheckReport(
        report.violations, report.score, report.contributions, report.shortfalls, tuple(mismatches)
    )
