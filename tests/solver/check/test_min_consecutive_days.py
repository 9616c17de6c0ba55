"""min_consecutive_days (v2): every maximal run of consecutive duty dates that includes neither the
horizon's first nor its last date has at least this many dates; runs at the edges are not judged."""

from tests.solver.builders import build, day, duty, found, history, officer

RULE = "min_consecutive_days"
QUIET = {"min_rest_minutes": 0, "min_days_off_per_7_days": 0}


def days(*n: int, oid: str = "o1") -> list:
    return [duty(oid, "p1", "D", k) for k in n]


def test_an_inner_run_shorter_than_the_minimum_is_reported_at_its_first_date():
    s = build(format=2, rules={**QUIET, RULE: 3})
    assert found(s, days(2, 3)) == [(RULE, "o1", None, day(2))]


def test_exactly_the_minimum_is_enough():
    s = build(format=2, rules={**QUIET, RULE: 3})
    assert found(s, days(2, 3, 4)) == []


def test_runs_touching_the_first_or_last_date_are_not_judged():
    s = build(format=2, rules={**QUIET, RULE: 3})
    assert found(s, days(0, 6)) == []
    assert found(s, days(0, 3, 6)) == [(RULE, "o1", None, day(3))]


def test_history_does_not_make_an_inner_run():
    s = build(format=2, rules={**QUIET, RULE: 3}, officers=[officer("o1", history=history(("D", -1)))])
    assert found(s, days(0)) == []  # the run continues outside the horizon
    assert found(s, []) == []
