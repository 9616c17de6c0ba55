"""A tiny world for rule tests: two units, three posts, a few officers, one week from MON.

`feasible(...)` asks a model with only the rule under test whether a roster can hold;
`penalty(...)` fixes a whole roster and reads the rule's share of the objective.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from ortools.sat.python import cp_model

from solver.check import check_assignments
from solver.domain import Assignment, Scenario
from solver.io.load import scenario_from_dict
from solver.model.base import Infeasible, RosterModel
from solver.model.post import PostModel
from solver.model.shift import ShiftModel
from solver.rules import build

MON = date(2021, 11, 8)

BASE: dict[str, Any] = {
    "name": "rule test",
    "timezone": "Asia/Shanghai",
    "horizon": {"start": MON.isoformat(), "days": 7},
    "shift_types": [
        {"id": "N", "name": "night", "start": "00:00", "minutes": 480, "night": True},
        {"id": "D", "name": "day", "start": "08:00", "minutes": 480},
        {"id": "E", "name": "evening", "start": "16:00", "minutes": 480},
        {"id": "L", "name": "long day", "start": "06:00", "minutes": 720},
        {"id": "X", "name": "long night", "start": "20:00", "minutes": 720, "night": True},
        {"id": "A", "name": "morning peak", "start": "07:00", "minutes": 300},
    ],
    "units": [{"id": "u", "name": "Unit U"}, {"id": "v", "name": "Unit V"}],
    "skills": [{"id": "leader", "name": "duty leader"}],
    "posts": [
        {
            "id": "p1",
            "name": "Post 1",
            "kind": "checkpoint",
            "unit": "u",
            "coverage": [{"shift": s, "min": 0, "max": 2} for s in ("N", "D", "E", "L", "X")],
        },
        {
            "id": "p2",
            "name": "Post 2",
            "kind": "checkpoint",
            "unit": "u",
            "coverage": [{"shift": s, "min": 0, "max": 2} for s in ("N", "D", "E")],
        },
        {
            "id": "r",
            "name": "Crossing R",
            "kind": "intersection",
            "unit": "u",
            "coverage": [{"shift": "A", "min": 0, "max": 1}],
        },
        {
            "id": "q",
            "name": "Post Q",
            "kind": "intersection",
            "unit": "v",
            "coverage": [{"shift": "D", "min": 0, "max": 1}],
        },
    ],
    "officers": [
        {"id": "a", "name": "Officer A", "unit": "u", "skills": ["leader"]},
        {"id": "b", "name": "Officer B", "unit": "u"},
        {"id": "c", "name": "Officer C", "unit": "v"},
    ],
    "rules": {
        "min_rest_minutes": 0,
        "max_minutes_per_7_days": 100000,
        "min_days_off_per_7_days": 0,
        "max_consecutive_days": 100,
        "max_consecutive_nights": 100,
    },
}

MODELS = {
    "post": lambda s: PostModel(s),
    "plain": lambda s: PostModel(s, plain=True),
    "shift": lambda s: ShiftModel(s),
}


def world(**changes: Any) -> dict[str, Any]:
    """A copy of BASE with top-level keys replaced; `rules` entries are merged."""
    doc = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key == "rules":
            doc["rules"] = {**doc["rules"], **value}
        else:
            doc[key] = value
    return doc


def officer(doc: dict[str, Any], officer_id: str, **fields: Any) -> dict[str, Any]:
    """Set fields of one officer in `doc` (returns doc)."""
    for o in doc["officers"]:
        if o["id"] == officer_id:
            o.update(fields)
    return doc


def day(n: int) -> date:
    return MON + timedelta(days=n)


def duty(officer_id: str, post: str, shift: str, n: int) -> Assignment:
    return Assignment(date=day(n), shift=shift, post=post, officer=officer_id)


def load(doc: dict[str, Any]) -> Scenario:
    return scenario_from_dict(doc)


def _model(kind: str, s: Scenario, rules: Iterable[str]) -> RosterModel:
    return build(MODELS[kind](s), only=rules)


def _solve(m: RosterModel) -> tuple[int, cp_model.CpSolver]:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    return solver.solve(m.cp), solver


def _exactly(m: RosterModel, roster: Sequence[Assignment]) -> None:
    """Force the roster and nothing else."""
    m.force(roster)
    chosen = {(a.officer, (a.shift, a.date)) for a in roster}
    for o in m.officers:
        for t, lit in m.works(o.id):
            if (o.id, t.key) not in chosen:
                m.cp.add(lit == 0)


def feasible(kind: str, doc: dict[str, Any], roster: Sequence[Assignment], rule: str | list[str]) -> bool:
    """Whether a model holding only `rule` accepts `roster` (it may add duties, never remove)."""
    s = load(doc)
    m = _model(kind, s, [rule] if isinstance(rule, str) else rule)
    try:
        m.force(roster)
    except Infeasible:
        return False
    status, _ = _solve(m)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE), status
    return status != cp_model.INFEASIBLE


def holds(kind: str, doc: dict[str, Any], roster: Sequence[Assignment], rule: str | list[str]) -> bool:
    """Whether a model holding only `rule` accepts exactly `roster` (no duty added or removed): the
    check for minimum rules, which a larger roster could meet."""
    s = load(doc)
    m = _model(kind, s, [rule] if isinstance(rule, str) else rule)
    try:
        _exactly(m, roster)
    except Infeasible:
        return False
    status, _ = _solve(m)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE), status
    return status != cp_model.INFEASIBLE


def penalty(kind: str, doc: dict[str, Any], roster: Sequence[Assignment], rule: str) -> int:
    """The objective of a model holding only `rule`, with exactly `roster`."""
    s = load(doc)
    m = _model(kind, s, [rule])
    _exactly(m, roster)
    status, solver = _solve(m)
    assert status == cp_model.OPTIMAL, status
    return round(solver.objective_value)


def referee(doc: dict[str, Any], roster: Sequence[Assignment], rule: str) -> list[Any]:
    """The referee's violations of `rule` for `roster`."""
    return list(check_assignments(load(doc), roster, rules=[rule]).violations)


def referee_term(doc: dict[str, Any], roster: Sequence[Assignment], term: str) -> int:
    return int(getattr(check_assignments(load(doc), roster).score, term))
