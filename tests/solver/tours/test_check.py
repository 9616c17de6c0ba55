"""The referee catches each kind of violation in hand-broken plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from solver.tours import (
    RULES,
    FreeWindow,
    Interruption,
    MissedVisit,
    MissReason,
    Requirement,
    Route,
    TourPlan,
    Visit,
    check_plan,
    plan_from_dict,
    plan_to_dict,
    problem_from_dict,
    problem_to_dict,
)
from tests.solver.tours.helpers import at, day, problem

P = problem({"a": 10, "b": 25}, days=2)
MIN = timedelta(minutes=1)


def good_route(n: int = 0) -> Route:
    return Route(
        supervisor="s1",
        date=day(n),
        depot="hq",
        start=at(n, "08:00"),
        end=at(n, "09:30"),
        visits=(Visit("a", at(n, "08:10"), at(n, "08:30")), Visit("b", at(n, "08:45"), at(n, "09:05"))),
        drive_minutes=50,
        km=50.0,
    )


GOOD = TourPlan(routes=(good_route(0), good_route(1)), missed=())


def rules(plan: TourPlan) -> set[str]:
    return check_plan(P, plan).rules()


def with_route(route: Route) -> TourPlan:
    return replace(GOOD, routes=(route, good_route(1)))


def test_the_hand_made_plan_is_valid() -> None:
    report = check_plan(P, GOOD)
    assert report.ok, report.violations
    assert report.metrics.share_met == 1.0
    assert (report.metrics.drive_minutes, report.metrics.visits, report.metrics.required) == (100, 4, 4)


def test_every_rule_has_a_description() -> None:
    assert set(RULES) >= {
        "depot",
        "window",
        "visit_duration",
        "travel",
        "overlap",
        "metrics",
        "unmet",
        "reason",
    }


def test_route_rules() -> None:
    r = good_route()
    a, b = r.visits
    assert rules(with_route(replace(r, depot="elsewhere"))) == {"unknown"}
    assert rules(with_route(replace(r, visits=(a, replace(b, site="zz"))))) == {"unknown", "unmet"}
    assert rules(with_route(replace(r, start=at(0, "07:50")))) == {"window"}
    assert rules(with_route(replace(r, end=at(0, "20:10"), drive_minutes=50))) == {"window"}
    # A visit cut short by five minutes.
    assert rules(with_route(replace(r, visits=(a, replace(b, departure=b.departure - 5 * MIN))))) == {
        "visit_duration"
    }
    # Arriving at b before the drive from a could take (14 of 15 minutes).
    early = replace(b, arrival=b.arrival - MIN)
    assert "travel" in rules(with_route(replace(r, visits=(a, early))))
    # Back at the depot too soon (24 of 25 minutes).
    assert rules(with_route(replace(r, end=r.end - 6 * MIN))) == {"travel"}
    assert rules(with_route(replace(r, drive_minutes=40))) == {"metrics"}
    assert rules(with_route(replace(r, km=12.0))) == {"metrics"}


def test_overlapping_routes_of_one_supervisor() -> None:
    second = replace(good_route(), start=at(0, "09:00"), end=at(0, "10:30"))
    second = replace(
        second,
        visits=tuple(
            replace(v, arrival=v.arrival + 60 * MIN, departure=v.departure + 60 * MIN) for v in second.visits
        ),
    )
    assert rules(replace(GOOD, routes=(*GOOD.routes, second))) == {"overlap"}


def test_the_depot_of_another_supervisor() -> None:
    from solver.tours import Depot, Location, Supervisor

    p = replace(
        P,
        depots=(*P.depots, Depot("hq2", "HQ 2", Location(39.0, 100.0))),
        supervisors=(Supervisor("s1", "s1", "hq2"),),
        travel=replace(P.travel, minutes_matrix=None, km_matrix=None),
    )
    assert "depot" in check_plan(p, GOOD).rules()


def test_requirement_rules() -> None:
    # Day 1 not visited and not listed.
    assert rules(replace(GOOD, routes=(good_route(0),))) == {"unmet"}
    listed = tuple(
        MissedVisit(Requirement(s, day(1), day(1)), day(1), MissReason.DROPPED_FOR_TIME) for s in "ab"
    )
    assert rules(TourPlan(routes=(good_route(0),), missed=listed)) == set()
    # A wrong reason: s1 was free on day 1, and the sites are near.
    for reason in (MissReason.NO_SUPERVISOR, MissReason.TOO_FAR):
        wrong = tuple(replace(m, reason=reason) for m in listed)
        assert rules(TourPlan(routes=(good_route(0),), missed=wrong)) == {"reason"}
    # Listed as missed though visited.
    assert rules(replace(GOOD, missed=listed)) == {"missed_met"}
    # Not a requirement of the problem at all.
    stray = MissedVisit(Requirement("a", day(0), day(1)), day(0), MissReason.DROPPED_FOR_TIME)
    assert rules(replace(GOOD, missed=(stray,))) == {"missed_met"}


def test_the_reasons_no_supervisor_and_too_far_hold_when_true() -> None:
    p = replace(P, windows=tuple(w for w in P.windows if w.date == day(0)))
    listed = tuple(
        MissedVisit(Requirement(s, day(1), day(1)), day(1), MissReason.NO_SUPERVISOR) for s in "ab"
    )
    assert check_plan(p, TourPlan(routes=(good_route(0),), missed=listed)).ok
    short = (FreeWindow("s1", day(1), at(1, "08:00"), at(1, "08:30")),)
    p = replace(P, windows=(*(w for w in P.windows if w.date == day(0)), *short))
    too_far = tuple(replace(m, reason=MissReason.TOO_FAR) for m in listed)
    assert check_plan(p, TourPlan(routes=(good_route(0),), missed=too_far)).ok


def test_interruptions() -> None:
    r = good_route()
    cut = replace(r, end=at(0, "08:40"), visits=r.visits[:1], drive_minutes=10, km=10.0, interrupted=True)
    missed_b = MissedVisit(Requirement("b", day(0), day(0)), day(0), MissReason.DROPPED_FOR_TIME)
    called = Interruption("s1", at(0, "08:40"))
    ok = TourPlan(routes=(cut, good_route(1)), missed=(missed_b,), interruptions=(called,))
    assert check_plan(P, ok).ok
    # Marked interrupted with no call-away on record.
    assert rules(replace(ok, interruptions=())) == {"interrupted"}
    # Still touring after being called away.
    assert rules(replace(ok, interruptions=(Interruption("s1", at(0, "08:20")),))) == {"interrupted"}


@pytest.mark.parametrize("plan", [GOOD, replace(GOOD, interruptions=(Interruption("s1", at(1, "12:00")),))])
def test_storage_round_trip(plan: TourPlan) -> None:
    assert plan_from_dict(plan_to_dict(plan)) == plan
    assert problem_from_dict(problem_to_dict(P)) == P
