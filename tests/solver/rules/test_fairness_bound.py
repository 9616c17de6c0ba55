"""The fairness rule's implied constraints (`implied_spread`): the caps they count with, that they
never change an optimum, and that a large single-unit part whose duties cannot be shared out
equally reports a bound above 0 through the pipeline."""

from __future__ import annotations

from typing import Any

import pytest
from ortools.sat.python import cp_model

from solver.check import check_roster
from solver.io.load import scenario_from_dict
from solver.model.post import PostModel
from solver.model.shift import ShiftModel
from solver.rules import build, fairness
from solver.solve import SolveOptions, solve
from tests.solver.builders import build as scenario
from tests.solver.builders import coverage, officer, post, scenario_doc, shift
from tests.solver.random_scenarios import random_scenario

SHIFTS = [shift("N", "00:00", 480, night=True), shift("D", "08:00", 480), shift("E", "16:00", 480)]


def _fixed_staff(posts: int, officers: int) -> dict[str, Any]:
    """One unit; each post needs exactly 1 night and 2 + 2 day officers every date."""
    return {
        "shift_types": SHIFTS,
        "posts": [
            post(f"p{i}", cover=[coverage("N", 1, 1), coverage("D", 2, 2), coverage("E", 2, 2)])
            for i in range(posts)
        ],
        "officers": [officer(f"o{i:03d}") for i in range(officers)],
    }


def test_caps_count_days_off_consecutive_nights_and_rest() -> None:
    s = scenario(**_fixed_staff(1, 2))
    m = ShiftModel(s)
    o = s.officers[0]
    # one start a date (11 h of rest between any two of N, D, E); 6 dates of 7 (a day off)
    assert fairness.duty_cap(m, o, nights_only=False) == 6
    # nights: at most 3 in a row, so 3 of the first 4 dates and all 3 of the last 3
    assert fairness.duty_cap(m, o, nights_only=True) == 6
    assert fairness.duty_floor(m, o, nights_only=False) == 0


def test_caps_read_the_officer_s_own_rules() -> None:
    doc = _fixed_staff(1, 2)
    doc["officers"] = [
        officer("o1", rules={"max_minutes_per_7_days": 1440, "max_consecutive_nights": 1}),
        officer("o2"),
    ]
    s = scenario(**doc)
    m = ShiftModel(s)
    assert fairness.duty_cap(m, s.officer("o1"), nights_only=False) == 3  # 1440 / 480
    assert fairness.duty_cap(m, s.officer("o1"), nights_only=True) == 3  # not nights on 2 dates in a row
    assert fairness.duty_cap(m, s.officer("o2"), nights_only=True) == 6


def test_equal_shares_ruled_out_by_counting_add_the_constraint() -> None:
    # 14 x 7 = 98 nights for 150 officers (0 or 1 each), 490 duties (3 or 4 each): neither equal
    s = scenario(**_fixed_staff(14, 150))
    m = build(ShiftModel(s))
    assert m.cache["implied_spread", False] == 1
    assert m.cache["implied_spread", True] == 1
    # with 98 officers, one night each is an equal share: no constraint for nights
    m = build(ShiftModel(scenario(**_fixed_staff(14, 98))))
    assert m.cache["implied_spread", True] == 0


def _optimum(doc: dict[str, Any]) -> int:
    s = scenario_from_dict(doc)
    m = build(PostModel(s))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 20
    assert solver.solve(m.cp) == cp_model.OPTIMAL
    return round(solver.objective_value)


FAST_SEEDS = (900, 902, 905, 908, 912, 916, 920, 926, 928, 940)
"""Random scenarios (every feature) where the constraints fire and CP-SAT proves the optimum in
well under a second (found by trying seeds 900-959)."""


def test_the_optimum_is_the_same_with_and_without_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small random scenarios and small fixed-staff ones, each solved to optimality with and
    without `implied_spread`."""
    docs = [random_scenario(seed) for seed in FAST_SEEDS] + [_fixed_doc(1, 4), _fixed_doc(1, 3)]
    fired = []
    for doc in docs:
        m = build(PostModel(scenario_from_dict(doc)))
        fired.append(sum(int(m.cache.get(("implied_spread", n), 0)) for n in (False, True)))  # type: ignore[call-overload]
    assert all(fired)
    with_them = [_optimum(doc) for doc in docs]
    monkeypatch.setattr(fairness, "implied_spread", lambda *args: 0)
    without = [_optimum(doc) for doc in docs]
    assert with_them == without


def _fixed_doc(posts: int, officers: int) -> dict[str, Any]:
    """`_fixed_staff` as a 4-day document (small enough to solve to optimality)."""
    doc = scenario_doc(**_fixed_staff(posts, officers))
    doc["horizon"] = {"start": doc["horizon"]["start"], "days": 4}
    return doc


def test_a_large_single_unit_part_reports_a_bound_above_zero() -> None:
    # 150 officers x 294 slots: a part the pipeline solves with the ShiftModel; without the implied
    # constraints its bound stays 0 (the linear relaxation shares the duties out fractionally)
    s = scenario(**_fixed_staff(14, 150))
    roster = solve(s, SolveOptions(time_limit=3, workers=2))
    assert roster.score is not None and roster.bound is not None
    assert roster.objective is not None
    assert 0 < roster.bound <= roster.objective
    assert roster.bound >= 2 + 5  # a spread of duties and one of nights, or a missing officer
    assert check_roster(s, roster, roster.score.as_dict()).ok
