"""max_weekends (v2): weekends (Saturday and Sunday) with a horizon duty starting on either date are at
most this; a weekend counts when either of its dates is a horizon date."""

from tests.solver.builders import build, day, duty, found, iso

RULE = "max_weekends"
QUIET = {"min_rest_minutes": 0, "min_days_off_per_7_days": 0}
TWO_WEEKS = {"start": iso(0), "days": 14}  # day 0 is a Monday: weekends on days 5-6 and 12-13


def test_a_second_weekend_breaks_a_limit_of_one():
    s = build(format=2, horizon=TWO_WEEKS, rules={**QUIET, RULE: 1})
    assert found(s, [duty("o1", "p1", "D", 5), duty("o1", "p1", "D", 13)]) == [(RULE, "o1", None, day(12))]


def test_both_days_of_one_weekend_count_once_exactly_at_the_limit():
    s = build(format=2, horizon=TWO_WEEKS, rules={**QUIET, RULE: 1})
    assert found(s, [duty("o1", "p1", "D", 5), duty("o1", "p1", "D", 6)]) == []


def test_a_weekend_cut_by_the_horizon_counts():
    # horizon Sunday (day 6) .. Saturday (day 12): both cut weekends count
    s = build(format=2, horizon={"start": iso(6), "days": 7}, rules={**QUIET, RULE: 1})
    assert found(s, [duty("o1", "p1", "D", 6), duty("o1", "p1", "D", 12)]) == [(RULE, "o1", None, day(12))]
    assert found(s, [duty("o1", "p1", "D", 6), duty("o1", "p1", "D", 11)]) == []


def test_zero_weekends():
    s = build(format=2, rules={**QUIET, RULE: 0})
    assert found(s, [duty("o1", "p1", "N", 4)]) == []  # a Friday night starts on Friday
    assert found(s, [duty("o1", "p1", "D", 6)]) == [(RULE, "o1", None, day(5))]
