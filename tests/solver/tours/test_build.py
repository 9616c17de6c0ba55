from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from solver.domain import Assignment, Scenario
from solver.tours import Location, RequirementKind, TourProblem, TourSettings, tour_problem
from tests.solver.builders import at, build, coverage, day, duty, officer, post

LOCATIONS = {
    "p1": Location(38.95, 100.50),
    "p2": Location(39.10, 100.20),
    "q1": Location(38.80, 101.10),
}


def local(n: int, hhmm: str) -> datetime:
    return datetime.fromisoformat(at(n, hhmm))


def windows(problem: TourProblem, supervisor: str, n: int) -> list[tuple[datetime, datetime]]:
    return [(w.start, w.end) for w in problem.windows if w.supervisor == supervisor and w.date == day(n)]


def scenario(**officers: dict[str, Any]) -> Scenario:
    return build(
        skills=[{"id": "supervisor", "name": "supervisor"}],
        officers=[
            officer("o1", skills=["supervisor"], **officers.get("o1", {})),
            officer("o2"),
            officer("o3", skills=["supervisor"]),
        ],
    )


def test_a_duty_cuts_the_window_and_unavailability_removes_the_day() -> None:
    s = scenario(o1={"unavailable": [{"start": at(1, "00:00"), "end": at(2, "00:00"), "reason": "leave"}]})
    roster = [
        duty("o1", "p1", "D", 0),  # 08:00-16:00: free from 16:30
        duty("o1", "p1", "E", 2),  # 16:00-24:00: free until 15:30
        duty("o1", "p1", "N", 3),  # 22:00-06:00 next day: no cut on either day
    ]
    p = tour_problem(s, roster, TourSettings(), locations=LOCATIONS)
    assert [sup.id for sup in p.supervisors] == ["o1", "o3"]  # the skill holders
    assert windows(p, "o1", 0) == [(local(0, "16:30"), local(0, "20:00"))]
    assert windows(p, "o1", 1) == []
    assert windows(p, "o1", 2) == [(local(2, "08:00"), local(2, "15:30"))]
    assert windows(p, "o1", 3) == [(local(3, "08:00"), local(3, "20:00"))]
    assert windows(p, "o1", 4) == [(local(4, "08:00"), local(4, "20:00"))]
    assert windows(p, "o3", 1) == [(local(1, "08:00"), local(1, "20:00"))]


def test_a_mid_day_duty_splits_the_window_and_short_pieces_are_dropped() -> None:
    s = build(
        shift_types=[
            {"id": "M", "name": "mid", "start": "11:00", "minutes": 120},
            {"id": "L", "name": "late", "start": "19:00", "minutes": 120},
        ],
        officers=[officer("o1")],
    )
    roster = [duty("o1", "p1", "M", 0), duty("o1", "p1", "L", 0)]
    p = tour_problem(s, roster, TourSettings(min_window_minutes=60), locations=LOCATIONS, supervisors=["o1"])
    # 08:00-10:30, 13:30-18:30; 20:00-20:00 is gone (L runs to 21:00).
    assert windows(p, "o1", 0) == [
        (local(0, "08:00"), local(0, "10:30")),
        (local(0, "13:30"), local(0, "18:30")),
    ]


def test_periodic_shortfall_and_new_post_requirements() -> None:
    s = build(
        posts=[
            {**post("p1"), "priority": 95},  # daily (priority >= 90)
            post("p2"),  # every 2 days
            post("q1", "u2", cover=[coverage("D", min=1)]),  # every 2 days; short on day 5
        ],
        officers=[officer("o1"), officer("o2", unit="u2")],
    )
    roster = [duty("o2", "q1", "D", n) for n in range(7) if n != 5]
    previous = [Assignment(date=day(-1), shift="D", post="p1", officer="o1")]
    p = tour_problem(s, roster, locations=LOCATIONS, supervisors=["o1"], previous=previous)
    reqs: dict[tuple[str, RequirementKind], list[tuple[date, date]]] = {}
    for r in p.requirements:
        reqs.setdefault((r.site, r.kind), []).append((r.first, r.deadline))
    assert reqs[("p1", RequirementKind.PERIODIC)] == [(day(n), day(n)) for n in range(7)]
    # Blocks of 2 days; the seventh day starts a block the next horizon finishes.
    assert reqs[("p2", RequirementKind.PERIODIC)] == [(day(0), day(1)), (day(2), day(3)), (day(4), day(5))]
    assert reqs[("q1", RequirementKind.SHORTFALL)] == [(day(5), day(5))]
    # q1 has duties now and none in the previous roster: seen daily on its first 2 days.
    assert reqs[("q1", RequirementKind.NEW_POST)] == [(day(0), day(0)), (day(1), day(1))]
    assert ("p1", RequirementKind.NEW_POST) not in reqs


def test_the_last_visit_anchors_the_blocks_and_the_horizon_can_be_narrowed() -> None:
    s = build(officers=[officer("o1")])
    p = tour_problem(
        s,
        [],
        TourSettings(post_interval_days={"p2": 3}),
        locations=LOCATIONS,
        supervisors=["o1"],
        horizon=[day(n) for n in range(2, 7)],
        last_visits={"p2": day(0)},
    )
    assert p.dates == tuple(day(n) for n in range(2, 7))
    p2 = [(r.first, r.deadline) for r in p.requirements if r.site == "p2"]
    assert p2 == [(day(2), day(3)), (day(4), day(6))]


def test_clear_errors() -> None:
    s = build(officers=[officer("o1")])
    with pytest.raises(ValueError, match="no location: q1"):
        tour_problem(s, [], locations={"p1": LOCATIONS["p1"], "p2": LOCATIONS["p2"]}, supervisors=["o1"])
    with pytest.raises(ValueError, match="unknown supervisor officer id"):
        tour_problem(s, [], locations=LOCATIONS, supervisors=["nobody"])
    with pytest.raises(ValueError, match="no officer holds skill 'supervisor'"):
        tour_problem(s, [], locations=LOCATIONS)
    with pytest.raises(ValueError, match="consecutive"):
        tour_problem(
            s, [], locations=LOCATIONS, supervisors=["o1"], horizon=[date(2021, 11, 8), date(2021, 11, 10)]
        )
