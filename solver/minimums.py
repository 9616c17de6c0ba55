"""When the minimum rules of version 2 admit no roster: which officers, and which rules conflict.

Without pins the empty roster keeps every hard rule but `min_minutes_per_horizon`, and pins that
hold together (see `solver.solve.checks.pin_conflicts`) leave only the minimum rules to conflict
(`min_minutes_per_horizon`, `min_consecutive_days`, `min_consecutive_days_off`: more duties can
mend each of them, so the pins alone are not judged on them). Two checks name the conflicts:

- `precheck`, before solving, in arithmetic per officer: the minutes the officer could work at
  most (eligible duty starts, at most `max_duties_per_day` a date, `max_duties_by_shift`,
  `max_minutes_per_horizon`) against `min_minutes_per_horizon`;
- `diagnose`, after CP-SAT proved a part infeasible: per officer, a model of that officer alone
  with every hard rule; where it is infeasible, the rules whose removal makes it feasible.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from ortools.sat.python import cp_model

from solver.domain import Officer, Scenario
from solver.model.base import Infeasible, RosterModel
from solver.model.shift import ShiftModel
from solver.rules import HARD_RULES, build
from solver.timeline import Timeline, overlaps

MINIMUM_RULES = ("min_minutes_per_horizon", "min_consecutive_days", "min_consecutive_days_off")


@dataclass(frozen=True)
class OfficerConflict:
    """An officer for whom no roster keeps every hard rule, and the rules that conflict."""

    officer: str
    rules: tuple[str, ...]
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"officer": self.officer, "rules": list(self.rules), "message": self.message}

    def __str__(self) -> str:
        return f"officer {self.officer}: {self.message} (rules: {', '.join(self.rules)})"


def has_minimum_rule(s: Scenario, o: Officer) -> bool:
    """Whether the officer has a v2 minimum rule (one that dropping a duty can break)."""
    r = s.rules_for(o)
    return bool(r.min_minutes_per_horizon) or r.min_consecutive_days > 1 or r.min_consecutive_days_off > 1


def precheck(s: Scenario) -> list[OfficerConflict]:
    """Officers whose `min_minutes_per_horizon` is out of reach, by arithmetic alone."""
    timeline = Timeline(s)
    slots_at: dict[tuple[str, date], list[str]] = defaultdict(list)
    for slot in s.slots():
        slots_at[(slot.shift, slot.date)].append(slot.post)
    out = []
    for o in s.officers:
        r = s.rules_for(o)
        need = r.min_minutes_per_horizon
        if not need:
            continue
        if r.max_minutes_per_horizon is not None and r.max_minutes_per_horizon < need:
            out.append(
                OfficerConflict(
                    o.id,
                    ("min_minutes_per_horizon", "max_minutes_per_horizon"),
                    f"at least {need} minutes asked, at most {r.max_minutes_per_horizon} allowed",
                )
            )
            continue
        away = timeline.away(o)
        reasons: set[str] = set()
        by_date: dict[date, list[int]] = defaultdict(list)
        by_shift: dict[str, int] = defaultdict(int)
        for (shift, day), posts in slots_at.items():
            if not any(s.post(p).unit in o.serves for p in posts):
                reasons.add("serves_unit")
                continue
            if any(overlaps(timeline.duty(shift, day), interval) for _, interval in away):
                reasons.add("unavailable")
                continue
            by_date[day].append(s.shift(shift).minutes)
            by_shift[shift] += 1
        per_day = r.max_duties_per_day
        by_days = sum(
            sum(sorted(m, reverse=True)[: per_day if per_day is not None else len(m)])
            for m in by_date.values()
        )
        by_shifts = sum(
            s.shift(shift).minutes * min(n, r.max_duties_by_shift.get(shift, n))
            for shift, n in by_shift.items()
        )
        most = min(by_days, by_shifts)
        if most >= need:
            continue
        if per_day is not None and by_days < sum(sum(m) for m in by_date.values()):
            reasons.add("max_duties_per_day")
        if by_shifts < sum(s.shift(shift).minutes * n for shift, n in by_shift.items()):
            reasons.add("max_duties_by_shift")
        out.append(
            OfficerConflict(
                o.id,
                ("min_minutes_per_horizon", *sorted(reasons)),
                f"at least {need} minutes asked, at most {most} possible",
            )
        )
    return out


def _feasible(s: Scenario, rules: list[str], seconds: float) -> bool | None:
    """Whether a ShiftModel of `s` with only `rules` has a solution (None: not decided in time)."""
    model: RosterModel = ShiftModel(s)
    try:
        build(model, only=rules)
    except Infeasible:
        return False
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(model.cp)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    return False if status == cp_model.INFEASIBLE else None


def diagnose(s: Scenario, seconds: float = 1.0) -> list[OfficerConflict]:
    """Per officer with a minimum rule: alone, with every hard rule, is there a roster? Where not,
    the rules whose removal alone makes one exist (all of the officer's active rules when none
    does). When every officer has a roster alone, they conflict together: `coverage_max`."""
    hard = [r.id for r in HARD_RULES]
    out = []
    suspects = [o for o in s.officers if has_minimum_rule(s, o)]
    for o in suspects:
        alone = replace(s, officers=(o,), pinned=tuple(a for a in s.pinned if a.officer == o.id), baseline=())
        if _feasible(alone, hard, seconds) is not False:
            continue
        culprits = tuple(rule for rule in hard if _feasible(alone, [r for r in hard if r != rule], seconds))
        if not culprits:
            culprits = tuple(r for r in MINIMUM_RULES if _rule_active(s, o, r))
        out.append(OfficerConflict(o.id, culprits, "no roster keeps these rules together for this officer"))
    if not out and suspects:
        names = ", ".join(o.id for o in suspects)
        for o in suspects:
            rules = (*(r for r in MINIMUM_RULES if _rule_active(s, o, r)), "coverage_max")
            out.append(
                OfficerConflict(
                    o.id,
                    rules,
                    f"the officers with minimum rules ({names}) cannot all reach them in the seats there are",
                )
            )
    return out


def _rule_active(s: Scenario, o: Officer, rule: str) -> bool:
    r = s.rules_for(o)
    if rule == "min_minutes_per_horizon":
        return bool(r.min_minutes_per_horizon)
    return bool(getattr(r, rule) > 1)
