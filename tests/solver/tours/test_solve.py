from __future__ import annotations

from dataclasses import replace

from solver.tours import (
    FreeWindow,
    MissReason,
    Requirement,
    TourPlan,
    TourProblem,
    TourSettings,
    check_plan,
    nearest_neighbour,
    solve_tours,
)
from tests.solver.tours.helpers import FAST, at, day, problem


def solved(p: TourProblem, settings: TourSettings = FAST) -> TourPlan:
    """The routing plan, which must pass the referee (and so must the baseline's)."""
    plan = solve_tours(p, settings)
    report = check_plan(p, plan)
    assert report.ok, report.violations
    baseline = check_plan(p, nearest_neighbour(p, settings))
    assert baseline.ok, baseline.violations
    return plan


def stops(plan: TourPlan) -> list[tuple[str, str, str]]:
    return [(v.site, f"{v.arrival:%H:%M}", f"{v.departure:%H:%M}") for r in plan.routes for v in r.visits]


def test_three_sites_on_a_line_one_supervisor() -> None:
    p = problem({"a": 10, "b": 25, "c": 45})  # hq-a 10 min, a-b 15, b-c 20, c-hq 45
    plan = solved(p)
    assert len(plan.routes) == 1
    route = plan.routes[0]
    # Either direction drives 90 minutes; each stop is 20 minutes.
    forward = [("a", "08:10", "08:30"), ("b", "08:45", "09:05"), ("c", "09:25", "09:45")]
    backward = [("c", "08:45", "09:05"), ("b", "09:25", "09:45"), ("a", "10:00", "10:20")]
    assert stops(plan) in (forward, backward)
    assert (route.start, route.end) == (at(0, "08:00"), at(0, "10:30"))
    assert route.drive_minutes == 90 and route.km == 90
    assert plan.missed == ()


def test_the_baseline_drives_to_the_nearest_site_first() -> None:
    p = problem({"c": 45, "a": 10, "b": 25})
    plan = nearest_neighbour(p, FAST)
    assert check_plan(p, plan).ok
    assert stops(plan) == [("a", "08:10", "08:30"), ("b", "08:45", "09:05"), ("c", "09:25", "09:45")]


def test_a_site_out_of_reach_of_every_window_is_unmet_as_too_far() -> None:
    p = problem({"near": 10, "far": 400})  # 2 × 400 + 20 minutes > the 12-hour window
    plan = solved(p)
    assert [v.site for v in plan.visits_on(day(0))] == ["near"]
    assert [(m.requirement.site, m.date, m.reason) for m in plan.missed] == [
        ("far", day(0), MissReason.TOO_FAR)
    ]


def test_a_day_without_a_free_supervisor() -> None:
    windows = [FreeWindow("s1", day(0), at(0, "08:00"), at(0, "20:00"))]
    plan = solved(problem({"a": 10}, days=2, windows=windows))
    assert [(m.requirement.site, m.date, m.reason) for m in plan.missed] == [
        ("a", day(1), MissReason.NO_SUPERVISOR)
    ]


def test_when_time_runs_short_the_higher_priority_site_is_kept() -> None:
    windows = [FreeWindow("s1", day(0), at(0, "08:00"), at(0, "10:00"))]
    p = problem({"x": 30, "y": -30}, windows=windows, priorities={"x": 40, "y": 90})
    plan = solved(p)  # either alone takes 80 minutes, both 160
    assert [v.site for v in plan.visits_on(day(0))] == ["y"]
    assert [(m.requirement.site, m.reason) for m in plan.missed] == [("x", MissReason.DROPPED_FOR_TIME)]


def test_every_two_days_over_four_days() -> None:
    every_2 = [Requirement("a", day(0), day(1)), Requirement("a", day(2), day(3))]
    p = problem({"a": 10}, days=4, requirements=every_2)
    # Visiting early is worth a small bonus (optional penalty): day 0 and day 2.
    plan = solved(p)
    assert [r.date for r in plan.routes] == [day(0), day(2)]
    # Without it, visits wait for their deadlines: days 1 and 3.
    lazy = solved(p, replace(FAST, optional_penalty=0))
    assert [r.date for r in lazy.routes] == [day(1), day(3)]
    assert lazy.missed == ()


def test_two_supervisors_share_the_load_when_one_window_is_too_short() -> None:
    windows = [FreeWindow(s, day(0), at(0, "08:00"), at(0, "10:00")) for s in ("s1", "s2")]
    p = problem({"x": 30, "y": -30}, supervisors=("s1", "s2"), windows=windows)
    plan = solved(p)
    assert sorted(v.site for v in plan.visits_on(day(0))) == ["x", "y"]
    assert sorted(r.supervisor for r in plan.routes) == ["s1", "s2"]


def test_deterministic_with_a_solution_limit() -> None:
    p = problem({"a": 10, "b": 25, "c": 45, "d": -20, "e": -35}, supervisors=("s1", "s2"), days=2)
    settings = TourSettings(time_limit_per_day=5, solution_limit=50)
    first, second = solve_tours(p, settings), solve_tours(p, settings)
    assert first.routes == second.routes
    assert check_plan(p, first).ok
