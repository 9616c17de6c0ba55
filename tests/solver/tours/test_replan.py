from __future__ import annotations

from datetime import timedelta

from solver.tours import (
    Interruption,
    MissReason,
    Route,
    TourPlan,
    TourProblem,
    Visit,
    check_plan,
    replan_day,
    solve_tours,
)
from tests.solver.tours.helpers import FAST, at, day, problem

MIN = timedelta(minutes=1)


def busiest(plan: TourPlan, n: int = 0) -> tuple[str, list[str]]:
    route = max((r for r in plan.routes if r.date == day(n)), key=lambda r: (len(r.visits), r.supervisor))
    return route.supervisor, [v.site for v in route.visits]


def checked(p: TourProblem, plan: TourPlan) -> TourPlan:
    report = check_plan(p, plan)
    assert report.ok, report.violations
    return plan


def test_the_rest_of_the_day_moves_to_the_other_supervisor() -> None:
    positions = {"a": 10, "b": 25, "c": 45, "d": -20}
    p = problem(positions, supervisors=("s1", "s2"), days=2)
    plan = checked(p, solve_tours(p, FAST))
    away, sites = busiest(plan)
    other = "s2" if away == "s1" else "s1"
    route = next(r for r in plan.routes if r.supervisor == away and r.date == day(0))
    first = route.visits[0]
    t = first.departure + MIN  # on the road to the second stop
    before = [v for r in plan.routes_of(other, day(0)) for v in r.visits if v.arrival < t]

    new = checked(p, replan_day(p, plan, away, t, FAST))
    assert new.interruptions == (Interruption(away, t),)
    (cut,) = new.routes_of(away, day(0))
    assert cut.interrupted and cut.end == t and cut.visits == (first,)
    assert cut.drive_minutes == abs(positions[first.site])  # no drive home: called away
    taken = [v for r in new.routes_of(other, day(0)) for v in r.visits]
    assert set(sites[1:]) <= {v.site for v in taken}
    assert taken[: len(before)] == before  # the other supervisor's visits under way are facts
    assert all(v.arrival >= t for v in taken if v.site in sites[1:])
    assert new.missed == ()
    # Other days stand.
    assert [r for r in new.routes if r.date == day(1)] == [r for r in plan.routes if r.date == day(1)]


def test_a_visit_under_way_when_called_away_is_not_done() -> None:
    p = problem({"a": 10, "b": 25}, supervisors=("s1", "s2"))
    plan = checked(p, solve_tours(p, FAST))
    away, _ = busiest(plan)
    route = plan.routes_of(away, day(0))[0]
    t = route.visits[0].arrival + 5 * MIN
    new = checked(p, replan_day(p, plan, away, t, FAST))
    assert new.routes_of(away, day(0)) == ()  # nothing finished: no route to report
    assert {v.site for v in new.visits_on(day(0))} == {"a", "b"}


def test_calling_away_the_only_supervisor_leaves_the_rest_unmet() -> None:
    p = problem({"a": 10, "b": 25, "c": 45})
    plan = checked(p, solve_tours(p, FAST))
    _, sites = busiest(plan)
    route = plan.routes[0]
    t = route.visits[0].departure
    new = checked(p, replan_day(p, plan, "s1", t, FAST))
    assert [v.site for v in new.visits_on(day(0))] == sites[:1]
    assert sorted((m.requirement.site, m.reason) for m in new.missed) == [
        (s, MissReason.NO_SUPERVISOR) for s in sorted(sites[1:])
    ]


def test_a_second_call_away_the_same_day() -> None:
    p = problem({"a": 10, "b": 25, "c": 45, "d": -20, "e": -40}, supervisors=("s1", "s2", "s3"))
    plan = checked(p, solve_tours(p, FAST))
    first = checked(p, replan_day(p, plan, "s1", at(0, "08:15"), FAST))
    second = checked(p, replan_day(p, first, "s2", at(0, "08:50"), FAST))
    assert [i.supervisor for i in second.interruptions] == ["s1", "s2"]
    late = [
        v for s in ("s1", "s2") for r in second.routes_of(s) for v in r.visits if v.departure > at(0, "08:50")
    ]
    assert late == []


def test_a_supervisor_on_the_way_home_finishes_the_route_and_sets_out_again() -> None:
    p = problem({"a": 10, "b": 25, "c": -30}, supervisors=("s1", "s2"))
    s1 = Route(
        "s1",
        day(0),
        "hq",
        at(0, "08:00"),
        at(0, "08:40"),
        (Visit("a", at(0, "08:10"), at(0, "08:30")),),
        20,
        20.0,
    )
    s2 = Route(
        "s2", day(0), "hq", at(0, "08:00"), at(0, "10:30"),
        (Visit("b", at(0, "08:25"), at(0, "08:45")), Visit("c", at(0, "09:40"), at(0, "10:00"))), 110, 110.0,
    )  # fmt: skip
    plan = checked(p, TourPlan(routes=(s1, s2), missed=()))
    new = checked(p, replan_day(p, plan, "s2", at(0, "08:35"), FAST))  # s1 left a at 08:30
    first, second = new.routes_of("s1", day(0))
    assert first == s1
    assert second.start == at(0, "08:40") and {v.site for v in second.visits} == {"b", "c"}
    assert new.routes_of("s2") == ()  # b was not finished
