"""The shared part of both CP-SAT models: officers' duty starts, history, per-day helpers, the
objective's terms. See `solver.model` for the vocabulary the rules are written in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeAlias

from ortools.sat.python import cp_model

from solver.domain import Assignment, Officer, Scenario, Slot, SlotKey
from solver.timeline import Timeline, overlaps

Literal: TypeAlias = cp_model.IntVar
Expr: TypeAlias = cp_model.LinearExprT
TimeKey: TypeAlias = tuple[str, date]  # (shift type id, start date)
FixedWork: TypeAlias = Mapping[str, Iterable[TimeKey]]
"""Per officer, the only duty starts the model may use (placement after the ShiftModel decided)."""


@dataclass(frozen=True)
class TimePoint:
    """A duty start an officer could have: shift type and date, in real time."""

    shift: str
    date: date
    start: datetime
    end: datetime
    minutes: int
    night: bool

    @property
    def key(self) -> TimeKey:
        return (self.shift, self.date)


@dataclass(frozen=True)
class Penalty:
    """One objective item: `weight * expr`, and whom it belongs to (for the score analysis)."""

    term: str
    weight: int
    expr: Expr
    detail: str = ""
    officer: str | None = None
    post: str | None = None
    unit: str | None = None
    date: date | None = None
    shift: str | None = None


class Infeasible(Exception):
    """Forced duties that the model cannot hold (no variable exists for them)."""


class RosterModel:
    """The shared part: officers' duty starts, history, the per-day helpers and the objective."""

    places_officers = True
    """Whether `placement` is a real decision (False: a ShiftModel, which only counts kinds)."""

    def __init__(
        self, scenario: Scenario, *, plain: bool = False, fixed_work: FixedWork | None = None
    ) -> None:
        self.scenario = scenario
        self.plain = plain
        self.fixed_work = None if fixed_work is None else {o: frozenset(ts) for o, ts in fixed_work.items()}
        self.cp = cp_model.CpModel()
        self.timeline = Timeline(scenario)
        self.slots: list[Slot] = scenario.slots()
        self.slot_index: dict[SlotKey, Slot] = {s.key: s for s in self.slots}
        self.slots_at: dict[TimeKey, list[Slot]] = defaultdict(list)
        for slot in self.slots:
            self.slots_at[(slot.shift, slot.date)].append(slot)
        self.officers: tuple[Officer, ...] = scenario.officers
        self._time_point: dict[TimeKey, TimePoint] = {}
        self.times: dict[str, list[TimePoint]] = {}
        self.history: dict[str, list[TimePoint]] = {}
        self._work: dict[tuple[str, TimeKey], Literal] = {}
        self._works: dict[str, list[tuple[TimePoint, Literal]]] = {}
        self.cache: dict[object, object] = {}  # per-model memo for rules (e.g. post families)
        self._started: dict[tuple[str, date, bool], Literal | None] = {}
        self._busy: dict[tuple[str, date], Literal | None] = {}
        self.penalties: list[Penalty] = []
        self.objective: Expr = 0
        self.constant = 0  # objective items that no decision can change
        for o in self.officers:
            self.history[o.id] = sorted(
                (self.time_point(h.shift, h.date) for h in o.history), key=lambda t: t.start
            )
            self.times[o.id] = sorted(self._candidate_times(o), key=lambda t: (t.start, t.shift))
            for t in self.times[o.id]:
                self._work[(o.id, t.key)] = self.cp.new_bool_var(f"w[{o.id},{t.shift},{t.date}]")

    # ------------------------------------------------------------------ time

    def time_point(self, shift_id: str, day: date) -> TimePoint:
        key = (shift_id, day)
        tp = self._time_point.get(key)
        if tp is None:
            shift = self.scenario.shift(shift_id)
            start, end = self.timeline.duty(shift_id, day)
            tp = TimePoint(shift_id, day, start, end, shift.minutes, shift.night)
            self._time_point[key] = tp
        return tp

    def eligible(self, officer: Officer, slot: Slot) -> bool:
        """Whether `officer` may staff `slot` at all (serves its unit, is not away)."""
        if self.scenario.post(slot.post).unit not in officer.serves:
            return False
        duty = self.timeline.duty(slot.shift, slot.date)
        return not any(overlaps(duty, interval) for _, interval in self.timeline.away(officer))

    def _candidate_times(self, officer: Officer) -> Iterator[TimePoint]:
        fixed = None if self.fixed_work is None else self.fixed_work.get(officer.id, frozenset())
        for key, slots in self.slots_at.items():
            if fixed is not None and key not in fixed:
                continue
            if self.plain or any(self.eligible(officer, s) for s in slots):
                yield self.time_point(*key)

    def work(self, officer_id: str, key: TimeKey) -> Literal | None:
        return self._work.get((officer_id, key))

    def works(self, officer_id: str) -> list[tuple[TimePoint, Literal]]:
        """The officer's possible duty starts with their literals, by start (cached)."""
        cached = self._works.get(officer_id)
        if cached is None:
            cached = [(t, self._work[(officer_id, t.key)]) for t in self.times[officer_id]]
            self._works[officer_id] = cached
        return cached

    def started_on(self, officer_id: str, day: date, night_only: bool = False) -> Literal | None:
        """1 when the officer has a (night) duty starting on `day`; None when they cannot."""
        cache_key = (officer_id, day, night_only)
        if cache_key not in self._started:
            lits = [lit for t, lit in self.works(officer_id) if t.date == day and (t.night or not night_only)]
            self._started[cache_key] = self._any(
                lits, f"start[{officer_id},{day},{night_only}]", self._one_a_day(officer_id)
            )
        return self._started[cache_key]

    def _one_a_day(self, officer_id: str) -> bool:
        """Whether the officer's rules allow at most one duty start per date (v2 `max_duties_per_day`
        1): then "a duty starts on D" is the sum of the starts on D, which the LP relaxation sees
        far better than an or (the runs, weekends and requests built on it get real bounds)."""
        officer = self.scenario.officer(officer_id)
        return self.scenario.rules_for(officer).max_duties_per_day == 1

    def busy_on(self, officer_id: str, day: date) -> Literal | None:
        """1 when a horizon duty of the officer overlaps the local calendar day."""
        cache_key = (officer_id, day)
        if cache_key not in self._busy:
            bounds = self.timeline.day(day)
            touching = [(t, lit) for t, lit in self.works(officer_id) if overlaps((t.start, t.end), bounds)]
            lits = [lit for _, lit in touching]
            if lits and all(t.date == day for t, _ in touching):  # the day's own duties only
                self._busy[cache_key] = self.started_on(officer_id, day)
            else:
                self._busy[cache_key] = self._any(lits, f"busy[{officer_id},{day}]")
        return self._busy[cache_key]

    def any_of(self, lits: Sequence[Literal], name: str) -> Literal | None:
        """A literal that is 1 exactly when any of `lits` is (None when `lits` is empty)."""
        return self._any(lits, name)

    def _any(self, lits: Sequence[Literal], name: str, exclusive: bool = False) -> Literal | None:
        """A literal that is 1 exactly when any of `lits` is; with `exclusive` (the hard rules allow at
        most one of `lits`), their sum."""
        if not lits:
            return None
        if len(lits) == 1:
            return lits[0]
        var = self.cp.new_bool_var(name)
        if exclusive:
            self.cp.add(sum(lits) == var)
            return var
        for lit in lits:
            self.cp.add_implication(lit, var)
        self.cp.add_bool_or(lits).only_enforce_if(var)
        return var

    # ------------------------------------------------------------------ coverage (per model)

    def staffing(self, slot: Slot) -> Expr:
        raise NotImplementedError

    def skilled(self, slot: Slot, skill: str) -> Expr:
        raise NotImplementedError

    def placement(self, officer_id: str, key: SlotKey) -> Literal | None:
        raise NotImplementedError

    def placements(self) -> Iterator[tuple[Officer, Slot, Literal]]:
        raise NotImplementedError

    def force(self, assignments: Iterable[Assignment]) -> None:
        """Require these duties (pinned duties; tests force whole rosters). Raises Infeasible."""
        raise NotImplementedError

    def assignments(self, solver: cp_model.CpSolver) -> list[Assignment]:
        raise NotImplementedError

    # ------------------------------------------------------------------ objective

    def add_penalties(self, penalties: Iterable[Penalty]) -> None:
        self.penalties.extend(p for p in penalties if p.weight)

    def objective_expr(self) -> Expr:
        return sum((p.weight * p.expr for p in self.penalties), start=self.constant)
