"""The solver on version-2 scenarios: every roster passes the referee with its score equal to the
objective, and minimum rules that admit no roster end INFEASIBLE naming the officers and rules."""

from __future__ import annotations

import pytest

from solver.io.load import scenario_from_dict
from solver.minimums import diagnose, precheck
from solver.solve import SolveOptions, solve
from tests.solver.builders import assert_checked, build, coverage, officer, post
from tests.solver.random_scenarios import random_v2_scenario


@pytest.mark.parametrize("seed", range(10))
def test_random_v2_scenarios_pass_the_referee(seed):
    s = scenario_from_dict(random_v2_scenario(seed))
    for method in ("decomposed", "plain"):
        roster = solve(s, SolveOptions(time_limit=1.5, method=method, seed=seed, workers=1))
        if roster.status == "INFEASIBLE":
            assert roster.extra["infeasible_officers"]
            continue
        if roster.status == "UNKNOWN":
            continue  # no roster within the time (plain model); never a wrong one
        assert_checked(s, roster)


def test_most_random_v2_scenarios_have_rosters():
    solved = 0
    for seed in range(10):
        s = scenario_from_dict(random_v2_scenario(seed))
        roster = solve(s, SolveOptions(time_limit=1.5, seed=seed, workers=1))
        solved += roster.status in ("OPTIMAL", "FEASIBLE")
    assert solved >= 6


def test_a_minimum_the_greedy_roster_misses_is_reached_by_cp_sat():
    s = build(
        format=2,
        rules={"min_days_off_per_7_days": 0, "min_rest_minutes": 0},
        posts=[post("p1", cover=[coverage("D", min=0, max=1)])],
        officers=[officer("o1", rules={"min_minutes_per_horizon": 1440, "min_consecutive_days": 3})],
    )
    roster = solve(s, SolveOptions(time_limit=3, workers=1))
    assert_checked(s, roster)
    assert len(roster.assignments) >= 3


def test_an_officer_on_leave_all_week_cannot_reach_the_minimum_minutes():
    leave = [{"start": "2021-11-07T00:00", "end": "2021-11-16T00:00"}]
    s = build(
        format=2,
        officers=[officer("o1", unavailable=leave, rules={"min_minutes_per_horizon": 480}), officer("o2")],
    )
    [conflict] = precheck(s)
    assert conflict.officer == "o1" and conflict.rules == ("min_minutes_per_horizon", "unavailable")
    roster = solve(s, SolveOptions(time_limit=2, workers=1))
    assert roster.status == "INFEASIBLE" and roster.assignments == () and roster.score is None
    assert roster.extra["infeasible_officers"][0]["officer"] == "o1"
    assert "o1" in roster.extra["conflicts"][0]


def test_min_above_max_is_caught_before_solving():
    s = build(
        format=2,
        officers=[officer("o1", rules={"min_minutes_per_horizon": 960, "max_minutes_per_horizon": 480})],
    )
    assert [(c.officer, c.rules) for c in precheck(s)] == [
        ("o1", ("min_minutes_per_horizon", "max_minutes_per_horizon"))
    ]


def test_cp_sat_proves_what_arithmetic_does_not_and_the_rules_are_named():
    # 960 minutes need two D duties; at most one D in total and nothing else to work
    s = build(
        format=2,
        posts=[post("p1", cover=[coverage("D", min=0, max=1)])],
        officers=[officer("o1", rules={"min_minutes_per_horizon": 960, "max_duties_by_shift": {"D": 1}})],
    )
    [early] = precheck(s)
    assert early.rules == ("min_minutes_per_horizon", "max_duties_by_shift")
    s = build(
        format=2,
        rules={"forbidden_successions": [{"first": "D", "then": ["D"]}], "min_days_off_per_7_days": 0},
        horizon={"start": "2021-11-08", "days": 3},
        posts=[post("p1", cover=[coverage("D", min=0, max=1)])],
        officers=[officer("o1", rules={"min_minutes_per_horizon": 1440})],  # D on all 3 days
    )
    assert precheck(s) == []
    [found] = diagnose(s)
    assert found.officer == "o1"
    assert set(found.rules) == {"forbidden_succession", "min_minutes_per_horizon"}
    roster = solve(s, SolveOptions(time_limit=3, workers=1))
    assert roster.status == "INFEASIBLE"
    assert roster.extra["infeasible_officers"] == [found.as_dict()]
