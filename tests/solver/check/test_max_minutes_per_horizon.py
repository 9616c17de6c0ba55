"""max_minutes_per_horizon (v2): the minutes of the officer's horizon duties are at most this."""

from tests.solver.builders import build, duty, found, history, officer

RULE = "max_minutes_per_horizon"
QUIET = {"min_rest_minutes": 0, "min_days_off_per_7_days": 0}


def test_more_minutes_than_the_maximum_is_reported():
    s = build(format=2, rules={**QUIET, RULE: 960})
    assert found(s, [duty("o1", "p1", "D", n) for n in (0, 3, 6)]) == [(RULE, "o1", None, None)]


def test_exactly_the_maximum_is_allowed():
    s = build(format=2, rules={**QUIET, RULE: 960})
    assert found(s, [duty("o1", "p1", "D", 0), duty("o1", "p1", "N", 6)]) == []


def test_history_does_not_count():
    s = build(format=2, rules=QUIET, officers=[officer("o1", rules={RULE: 480}, history=history(("D", -1)))])
    assert found(s, [duty("o1", "p1", "D", 0)]) == []
