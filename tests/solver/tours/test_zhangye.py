"""The routing solver on a reduced Zhangye problem: 12 checkpoints, 2 supervisors, 2 days."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import cache

from data.zhangye_locations import HQ, LOCATIONS, base_id, location_of, locations_for
from solver.domain import Assignment, PostKind, Scenario
from solver.greedy import greedy_roster
from solver.io.load import load_scenario
from solver.tours import (
    Location,
    TourProblem,
    TourSettings,
    check_plan,
    nearest_neighbour,
    plan_from_dict,
    plan_to_dict,
    problem_from_dict,
    problem_to_dict,
    solve_tours,
    tour_problem,
)
from tests.conftest import REPO

SITES = (
    "gz-g30-dong", "gz-g227-daman", "gz-g312-shajing", "lz-g30-linze", "lz-g312-pingchuan",
    "gt-g30-gaotai", "sd-g30-shandan", "sd-g312-dongle", "ml-g3011-minle", "ml-g227-liuba",
    "sn-s213-mati", "sn-x-kangle",
)  # fmt: skip
SETTINGS = TourSettings(time_limit_per_day=1.0)


@cache
def zhangye() -> tuple[Scenario, tuple[Assignment, ...]]:
    scenario = load_scenario(REPO / "data" / "zhangye-2021-11-08.json")
    return scenario, tuple(greedy_roster(scenario))


def reduced() -> TourProblem:
    scenario, roster = zhangye()
    duties = Counter(a.officer for a in roster)
    # Two headquarters duty leaders who are on the roster these days: their duties cut their windows.
    leaders = sorted(
        (o for o in scenario.officers if o.unit == "hq" and "leader" in o.skills), key=lambda o: o.id
    )
    chosen = [o.id for o in leaders if duties[o.id] > 0][:2]
    locations = {pid: Location(*xy) for pid, xy in locations_for(p.id for p in scenario.posts).items()}
    p = tour_problem(
        scenario, roster, SETTINGS, locations=locations, supervisors=chosen, horizon=scenario.dates[:2]
    )
    return replace(
        p,
        sites=tuple(s for s in p.sites if s.id in SITES),
        requirements=tuple(r for r in p.requirements if r.site in SITES),
    )


def test_every_sample_post_has_a_location() -> None:
    scenario, _ = zhangye()
    assert {p.id for p in scenario.posts} == set(LOCATIONS)
    assert sum(p.kind == PostKind.CHECKPOINT for p in scenario.posts) == 46
    assert (
        base_id("c3-gz-g30-dong") == "gz-g30-dong" and location_of("c12-sn-y-dahe") == LOCATIONS["sn-y-dahe"]
    )
    assert HQ == (38.93, 100.45)


def test_the_routing_plan_passes_the_referee() -> None:
    p = reduced()
    assert len(p.sites) == 12 and len(p.supervisors) == 2 and len(p.dates) == 2
    plan = solve_tours(p, SETTINGS)
    report = check_plan(p, plan)
    assert report.ok, report.violations
    assert report.metrics.visits > 0 and report.metrics.share_met > 0.5
    baseline = check_plan(p, nearest_neighbour(p, SETTINGS))
    assert baseline.ok, baseline.violations
    # Stored and read back, plan and problem are the same.
    assert plan_from_dict(plan_to_dict(plan)) == plan
    assert problem_from_dict(problem_to_dict(p)) == p
