"""The greedy first roster, on the engine directly: it keeps every hard rule, fills skill seats
first, keeps pins and the frozen past, and repairs around a start roster without moving it."""

from __future__ import annotations

import pytest

from bench.groups_bench import rotation_doc
from solver.check import check_assignments
from solver.domain import Scenario
from solver.greedy import fill, greedy_roster
from solver.io.load import load_scenario, scenario_from_dict
from solver.solve.checks import pin_conflicts
from tests.solver.builders import SMALL, ZHANGYE, at, build, coverage, day, duty, officer, post
from tests.solver.random_scenarios import random_scenario


def test_the_small_example_s_greedy_roster_keeps_every_hard_rule_and_its_pin():
    s = load_scenario(SMALL)
    roster = greedy_roster(s)
    report = check_assignments(s, roster)
    assert report.violations == ()
    assert set(s.pinned) <= set(roster)
    assert roster == sorted(roster)


def test_the_zhangye_week_s_greedy_roster_keeps_every_hard_rule():
    s = load_scenario(ZHANGYE)
    assert check_assignments(s, greedy_roster(s)).violations == ()


@pytest.mark.parametrize("seed", range(12))
def test_random_scenarios_greedy_rosters_keep_every_hard_rule(seed: int):
    s = scenario_from_dict(random_scenario(300 + seed, days=7 + seed % 4))
    if pin_conflicts(s):
        pytest.skip("pins conflict")
    assert check_assignments(s, greedy_roster(s)).violations == ()


def test_skill_seats_are_filled_before_head_counts_of_higher_priority():
    """A leader seat at a low-priority post and a plain seat at a high-priority one, at the same
    time: the leader takes the leader seat first; the officer without the skill the other."""

    def scenario(*officers: dict[str, object]) -> Scenario:
        return build(
            skills=[{"id": "lead", "name": "leader"}],
            posts=[
                {**post("p1", cover=[coverage("D", min=1, max=1)]), "priority": 9},
                post("p2", cover=[coverage("D", min=1, max=1, skills={"lead": 1})]),
            ],
            officers=list(officers),
            horizon={"start": day(0).isoformat(), "days": 1},
        )

    alone = scenario(officer("o1", skills=["lead"]))
    assert greedy_roster(alone) == [duty("o1", "p2", "D", 0)]
    both = scenario(officer("o1", skills=["lead"]), officer("o2"))
    roster = greedy_roster(both)
    assert roster == [duty("o2", "p1", "D", 0), duty("o1", "p2", "D", 0)]
    assert check_assignments(both, roster).score.shortfall == 0


def test_pinned_duties_are_kept_and_their_officer_is_not_placed_twice_at_that_time():
    s = build(
        posts=[
            post("p1", cover=[coverage("D", min=1, max=1)]),
            post("p2", cover=[coverage("D", min=1, max=1)]),
        ],
        officers=[officer("o1"), officer("o2")],
        pinned=[{"officer": "o2", "post": "p1", "shift": "D", "date": day(2).isoformat()}],
    )
    roster = greedy_roster(s)
    assert sorted(a for a in roster if a.date == day(2)) == sorted(
        [duty("o2", "p1", "D", 2), duty("o1", "p2", "D", 2)]
    )
    assert not check_assignments(s, roster).violations


def test_nothing_new_starts_in_the_frozen_past_but_its_pins():
    s = build(
        posts=[post("p1", cover=[coverage("D", min=1, max=2)])],
        officers=[officer("o1"), officer("o2")],
        pinned=[{"officer": "o1", "post": "p1", "shift": "D", "date": day(1).isoformat()}],
        frozen_until=at(3, "00:00"),
    )
    roster = greedy_roster(s)
    assert [a for a in roster if a.date < day(3)] == [duty("o1", "p1", "D", 1)]
    assert {a.date for a in roster} >= {day(3), day(4), day(5), day(6)}
    assert not check_assignments(s, roster).violations


def test_with_a_start_roster_its_duties_stay_and_only_the_empty_seats_are_filled():
    s = build(
        posts=[post("p1", cover=[coverage("D", min=2, max=2)])], officers=[officer(f"o{i}") for i in range(4)]
    )
    start = [duty("o3", "p1", "D", n) for n in (0, 2, 4)]
    roster = greedy_roster(s, start=start)
    assert set(start) <= set(roster)
    per_day = {n: [a.officer for a in roster if a.date == day(n)] for n in range(7)}
    assert all(len(officers) == 2 for officers in per_day.values())  # every seat filled, none over
    assert all("o3" in per_day[n] for n in (0, 2, 4))
    assert not check_assignments(s, roster).violations


def test_days_are_taken_in_the_order_given():
    """`fill` takes the days in the order asked: with one officer and a rest rule that allows only
    every other day, the first day taken gets the duty."""
    s = build(
        posts=[post("p1", cover=[coverage("D", min=1, max=1)])],
        officers=[officer("o1", rules={"max_consecutive_days": 1})],
        horizon={"start": day(0).isoformat(), "days": 2},
    )
    assert [a.date for a in fill(s, s.dates)] == [day(0)]
    assert [a.date for a in fill(s, tuple(reversed(s.dates)))] == [day(1)]


def test_the_greedy_roster_starts_from_the_group_patterns():
    """Four groups on 四班三运转 whose patterns cover every slot exactly: greedy alone is on pattern,
    with every group together and no slot short."""
    s = scenario_from_dict(rotation_doc(days=16))
    report = check_assignments(s, greedy_roster(s))
    assert not report.violations
    assert (report.score.pattern, report.score.group_split, report.score.shortfall) == (0, 0, 0)


def test_the_greedy_roster_keeps_owed_rest():
    owed = [{"days": 3, "by": day(4).isoformat()}]
    s = build(
        format=2,
        posts=[post("p1", cover=[coverage("D", min=1)])],
        officers=[officer("o1", owed_rest=owed), officer("o2")],
    )
    roster = greedy_roster(s)
    assert not check_assignments(s, roster).violations
    assert sum(1 for a in roster if a.officer == "o1" and a.date <= day(4)) <= 2


def test_an_officer_refused_one_post_s_unit_still_takes_another_post_at_the_same_start():
    # o1 serves u2 only and is tried for p1 (u1, higher priority) first at each start: the greedy
    # pass must not carry that serves_unit refusal over to q1 as if it were a rule of time, while
    # o1's rest and day-off refusals do hold for every post of a start
    p1 = {**post("p1", cover=[coverage("D", min=1, max=1)], shifts=("D",)), "priority": 10}
    q1 = post("q1", "u2", cover=[coverage("D", min=1, max=1)], shifts=("D",))
    s = build(posts=[p1, q1], officers=[officer("o1", serves=["u2"]), officer("o2")])
    roster = greedy_roster(s)
    assert check_assignments(s, roster).violations == ()
    assert {a.post for a in roster if a.officer == "o1"} == {"q1"}
    assert len([a for a in roster if a.officer == "o1"]) == 6  # one day off in 7
    assert len([a for a in roster if a.officer == "o2"]) == 6


def _two_groups(**extra: object) -> Scenario:
    """Two posts of two seats on the D shift each; o1+o3 and o2+o4 are duty groups without a
    pattern. By id and duty count alone the greedy pass would pair o1 with o2."""
    doc = {
        "format": 2,
        "posts": [
            post("p1", cover=[coverage("D", min=2, max=2)]),
            post("p2", cover=[coverage("D", min=2, max=2)]),
        ],
        "officers": [officer(f"o{i}") for i in range(1, 5)],
        "groups": [
            {"id": "g1", "name": "group 1", "members": ["o1", "o3"]},
            {"id": "g2", "name": "group 2", "members": ["o2", "o4"]},
        ],
        "horizon": {"start": day(0).isoformat(), "days": 3},
    }
    doc.update(extra)
    return build(**doc)


def test_the_greedy_roster_keeps_duty_groups_together():
    s = _two_groups()
    roster = greedy_roster(s)
    report = check_assignments(s, roster)
    assert not report.violations
    assert (report.score.group_split, report.score.shortfall) == (0, 0)
    for n in range(3):
        at_posts = {
            frozenset(a.officer for a in roster if a.post == p and a.date == day(n)) for p in ("p1", "p2")
        }
        assert at_posts == {frozenset({"o1", "o3"}), frozenset({"o2", "o4"})}


def test_the_greedy_roster_splits_a_group_rather_than_leave_a_seat_empty():
    """Three seats (p1: 1, p2: 2) and three officers, two of them a group: the group has to split
    (a split costs 10, an empty seat 1,000), and the greedy pass does."""
    s = _two_groups(
        posts=[
            post("p1", cover=[coverage("D", min=1, max=1)]),
            post("p2", cover=[coverage("D", min=2, max=2)]),
        ],
        officers=[officer("o1"), officer("o2"), officer("o3")],
        groups=[{"id": "g1", "name": "group 1", "members": ["o1", "o2"]}],
    )
    report = check_assignments(s, greedy_roster(s))
    assert not report.violations
    assert report.score.shortfall == 0
    assert report.score.group_split == 3 * s.weights.group_split


def test_the_greedy_roster_does_not_pull_a_group_mate_onto_a_duty_he_asked_off():
    s = _two_groups(
        officers=[
            officer("o1"),
            officer("o2"),
            officer("o3", requests=[{"kind": "day_off", "date": day(0).isoformat(), "weight": 10}]),
            officer("o4"),
            officer("o5"),
        ]
    )
    roster = greedy_roster(s)
    assert not check_assignments(s, roster).violations
    assert not [a for a in roster if a.officer == "o3" and a.date == day(0)]
