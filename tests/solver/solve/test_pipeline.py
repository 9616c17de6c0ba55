"""The solver end to end: every roster it returns passes the referee with the objective as its score."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from solver.check import check_assignments
from solver.io.load import load_scenario, scenario_from_dict
from solver.model.post import PostModel
from solver.rules import build
from solver.solve import SolveOptions, solve
from solver.solve.checks import pin_conflicts
from solver.solve.cpsat import STRONG_LP_IGNORED, run_cp_sat
from solver.solve.options import Progress
from tests.solver.builders import SMALL, assert_checked, iso, officer, scenario_doc, shift
from tests.solver.random_scenarios import random_scenario


@pytest.mark.parametrize("method", ["decomposed", "plain"])
def test_small_example_is_solved_and_checked(method):
    s = load_scenario(SMALL)
    roster = solve(s, SolveOptions(time_limit=3, method=method))
    assert_checked(s, roster)
    if method == "decomposed":  # (the plain model may not get there in 3 s on a busy machine)
        assert roster.score.shortfall == 0
    assert any(a == s.pinned[0] for a in roster.assignments)


@pytest.mark.parametrize("seed", range(12))
def test_random_scenarios_pass_the_referee(seed):
    s = scenario_from_dict(random_scenario(seed))
    if pin_conflicts(s):
        pytest.skip("pins conflict")
    for method in ("decomposed", "plain"):
        roster = solve(s, SolveOptions(time_limit=1.0, method=method, seed=seed))
        assert_checked(s, roster)


def test_decomposed_matches_plain_optimum_on_small_random_scenarios():
    # each part's ShiftModel bound is a true lower bound: never above the plain model's best roster
    for seed in range(4):
        s = scenario_from_dict(random_scenario(100 + seed))
        ours = solve(s, SolveOptions(time_limit=1.5))
        plain = solve(s, SolveOptions(time_limit=3, method="plain"))
        assert ours.bound <= plain.objective
        assert plain.bound <= ours.objective


def test_same_seed_and_one_worker_give_the_same_roster():
    s = load_scenario(SMALL)
    first = solve(s, SolveOptions(time_limit=1, workers=1, seed=7))
    second = solve(s, SolveOptions(time_limit=1, workers=1, seed=7))
    assert first.assignments == second.assignments
    assert first.objective == second.objective


def test_progress_is_reported_and_stop_returns_the_best_so_far():
    s = load_scenario(SMALL)
    seen: list[Progress] = []
    stop = threading.Event()

    def on_progress(p: Progress) -> None:
        seen.append(p)
        stop.set()

    roster = solve(s, SolveOptions(time_limit=30), on_progress=on_progress, should_stop=stop.is_set)
    assert seen and seen[0].objective is not None
    assert roster.solve_seconds < 10
    assert_checked(s, roster)


def test_shortfalls_carry_reasons():
    s = load_scenario(SMALL)
    few = replace(s, officers=s.officers[:4], pinned=())
    roster = solve(few, SolveOptions(time_limit=2))
    assert_checked(few, roster)
    assert roster.shortfalls
    for sf in roster.shortfalls:
        assert sf.reason and sf.reason_zh
        assert sum(sf.causes.values()) >= 0
    report = check_assignments(few, roster.assignments)
    assert {(x.post, x.shift, x.date, x.skill) for x in report.shortfalls} == {
        (x.post, x.shift, x.date, x.skill) for x in roster.shortfalls
    }


def _grouped_doc() -> dict:
    """Two groups on a 2-on-2-off day pattern at one post needing two officers a day, and an officer
    outside any group; the exact cover is on pattern and together."""
    return scenario_doc(
        format=2,
        shift_types=[shift("D", "08:00", 480)],
        posts=[
            {
                "id": "p1",
                "name": "p1",
                "kind": "checkpoint",
                "unit": "u1",
                "coverage": [{"shift": "D", "min": 2}],
            },
            {
                "id": "p2",
                "name": "p2",
                "kind": "checkpoint",
                "unit": "u1",
                "coverage": [{"shift": "D", "min": 0, "max": 2}],
            },
        ],
        officers=[officer(o) for o in ("a1", "a2", "b1", "b2", "x")],
        groups=[
            {
                "id": "A",
                "name": "A",
                "members": ["a1", "a2"],
                "pattern": {"start": iso(0), "days": ["D", "D", None, None]},
            },
            {
                "id": "B",
                "name": "B",
                "members": ["b1", "b2"],
                "pattern": {"start": iso(2), "days": ["D", "D", None, None]},
            },
        ],
        rules={"weights": {"fair_duties": 0, "continuity": 0}},
    )


@pytest.mark.parametrize("method", ["decomposed", "plain"])
def test_groups_on_an_exact_cover_solve_on_pattern_and_together(method):
    s = scenario_from_dict(_grouped_doc())
    roster = solve(s, SolveOptions(time_limit=5, workers=1, method=method))
    assert_checked(s, roster)
    assert roster.score.total == 0 and roster.score.pattern == 0 and roster.score.group_split == 0
    assert not any(a.officer == "x" for a in roster.assignments)


def test_a_strong_lp_search_on_two_workers_leaves_out_the_weak_subsolvers():
    model = build(PostModel(load_scenario(SMALL)))
    # (the parameters are the point: a first solution is enough, and 0.5 s was not always enough
    # for one under the suite's parallel load)
    out = run_cp_sat(model, 20, SolveOptions(workers=2), strong_lp=True, first_only=True)
    assert out.solver is not None
    p = out.solver.parameters
    assert list(p.subsolvers) == ["max_lp"]
    assert set(STRONG_LP_IGNORED) <= set(p.ignore_subsolvers)
    # one worker (deterministic) keeps its single full search with the strong relaxation
    alone = run_cp_sat(model, 20, SolveOptions(workers=1), strong_lp=True, first_only=True).solver
    assert alone is not None and alone.parameters.linearization_level == 2
    assert not list(alone.parameters.ignore_subsolvers)
