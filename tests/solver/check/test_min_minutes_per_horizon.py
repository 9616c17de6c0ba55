"""min_minutes_per_horizon (v2): the minutes of the officer's horizon duties are at least this."""

from tests.solver.builders import build, duty, found, history, officer

RULE = "min_minutes_per_horizon"
QUIET = {"min_rest_minutes": 0, "min_days_off_per_7_days": 0}


def test_fewer_minutes_than_the_minimum_is_reported_even_with_no_duty():
    s = build(format=2, rules=QUIET, officers=[officer("o1", rules={RULE: 960}), officer("o2")])
    assert found(s, [duty("o1", "p1", "D", 0)]) == [(RULE, "o1", None, None)]
    assert found(s, []) == [(RULE, "o1", None, None)]


def test_exactly_the_minimum_is_enough_with_duties_on_the_horizon_s_edges():
    s = build(format=2, rules=QUIET, officers=[officer("o1", rules={RULE: 960}), officer("o2")])
    assert found(s, [duty("o1", "p1", "D", 0), duty("o1", "p1", "N", 6)]) == []


def test_history_does_not_count():
    s = build(format=2, rules=QUIET, officers=[officer("o1", rules={RULE: 480}, history=history(("D", -1)))])
    assert found(s, []) == [(RULE, "o1", None, None)]
