"""max_minutes_per_7_days: every 7-date window containing a horizon duty of the officer holds at most
this many minutes of the officer's duties starting in it (history included), counted in full."""

from tests.solver.builders import build, day, duty, found, history, officer, report

RULE = "max_minutes_per_7_days"
TWO_DUTIES = {"max_minutes_per_7_days": 960}  # two 480-minute duties


def on_days(officer_id: str, shift_id: str, *days: int) -> list:
    return [duty(officer_id, "p1", shift_id, n) for n in days]


def test_every_window_over_the_limit_is_reported_by_its_first_date():
    s = build(rules=TWO_DUTIES)
    # Day 0, 2 and 4 lie together in the windows starting on days -2, -1 and 0 only.
    assert found(s, on_days("o1", "D", 0, 2, 4)) == [
        (RULE, "o1", None, day(-2)),
        (RULE, "o1", None, day(-1)),
        (RULE, "o1", None, day(0)),
    ]
    assert "1440 minutes" in report(s, on_days("o1", "D", 0, 2, 4)).violations[0].message


def test_exactly_the_limit_is_allowed():
    s = build(rules=TWO_DUTIES)
    assert found(s, on_days("o1", "D", 0, 6)) == []
    assert found(s, on_days("o1", "D", 0, 2, 6)) == [(RULE, "o1", None, day(0))]


def test_a_night_counts_in_full_on_its_start_date_even_past_the_horizon_end():
    s = build(rules=TWO_DUTIES)
    assert found(s, [*on_days("o1", "D", 0, 2), *on_days("o1", "N", 6)]) == [(RULE, "o1", None, day(0))]


def test_default_limit_is_2880_minutes():
    s = build(rules={"max_consecutive_days": 7, "min_days_off_per_7_days": 0})
    assert found(s, on_days("o1", "D", 0, 1, 2, 3, 4, 5)) == []  # 6 x 480 = 2880
    assert found(s, on_days("o1", "D", 0, 1, 2, 3, 4, 5, 6)) == [(RULE, "o1", None, day(0))]


def test_history_counts_in_windows_that_contain_a_horizon_duty():
    s = build(rules=TWO_DUTIES, officers=[officer("o1", history=history(("D", -3), ("D", -1)))])
    assert found(s, on_days("o1", "D", 0)) == [(RULE, "o1", None, day(n)) for n in (-6, -5, -4, -3)]
    at_limit = build(rules=TWO_DUTIES, officers=[officer("o1", history=history(("D", -1)))])
    assert found(at_limit, on_days("o1", "D", 0)) == []


def test_history_alone_never_violates():
    s = build(rules=TWO_DUTIES, officers=[officer("o1", history=history(("D", -7), ("D", -6), ("D", -5)))])
    assert found(s, []) == []
    assert found(s, on_days("o1", "D", 2)) == []  # no window holds both day 2 and the history


def test_per_officer_override():
    s = build(officers=[officer("o1", rules=TWO_DUTIES), officer("o2")])
    roster = on_days("o1", "D", 0, 2, 4) + [duty("o2", "p2", "D", n) for n in (0, 2, 4)]
    assert [v[:2] for v in found(s, roster)] == [(RULE, "o1")] * 3


def test_an_assignment_listed_twice_counts_once():
    s = build(rules={"max_minutes_per_7_days": 480})
    assert found(s, on_days("o1", "D", 0, 0)) == [("duplicate_assignment", "o1", "p1", day(0))]
