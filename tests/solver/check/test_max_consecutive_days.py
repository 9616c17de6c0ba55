"""max_consecutive_days: no horizon date may be the (limit + 1)-th or later date of a run of dates on
which the officer has a duty start; history counts, however far back."""

from tests.solver.builders import build, day, duty, found, history, officer

RULE = "max_consecutive_days"
ONLY_THIS_RULE = {"max_minutes_per_7_days": 10000, "min_days_off_per_7_days": 0}


def days_of(officer_id: str, *days: int, shift_id: str = "D") -> list:
    return [duty(officer_id, "p1", shift_id, n) for n in days]


def test_the_seventh_day_in_a_row_breaks_the_default_limit_of_six():
    s = build(rules=ONLY_THIS_RULE)
    assert found(s, days_of("o1", *range(7))) == [(RULE, "o1", None, day(6))]


def test_exactly_the_limit_is_allowed():
    s = build(rules=ONLY_THIS_RULE)
    assert found(s, days_of("o1", *range(6))) == []


def test_every_date_past_the_limit_is_reported():
    s = build(
        rules=ONLY_THIS_RULE, officers=[officer("o1", rules={"max_consecutive_days": 2}), officer("o2")]
    )
    roster = days_of("o1", 0, 1, 2, 3) + days_of("o2", 0, 1, 2, 3)
    assert found(s, roster) == [(RULE, "o1", None, day(2)), (RULE, "o1", None, day(3))]


def test_a_gap_restarts_the_run():
    s = build(rules={**ONLY_THIS_RULE, "max_consecutive_days": 2})
    assert found(s, days_of("o1", 0, 1, 3, 4, 6)) == []


def test_history_counts_across_the_horizon_start():
    s = build(
        rules=ONLY_THIS_RULE, officers=[officer("o1", history=history(("D", -3), ("D", -2), ("D", -1)))]
    )
    assert found(s, days_of("o1", 0, 1, 2)) == []  # day 2 is the 6th in a row
    assert found(s, days_of("o1", 0, 1, 2, 3)) == [(RULE, "o1", None, day(3))]


def test_history_counts_however_far_back():
    s = build(
        rules=ONLY_THIS_RULE, officers=[officer("o1", history=history(*(("D", -n) for n in range(1, 11))))]
    )
    assert found(s, days_of("o1", 0)) == [(RULE, "o1", None, day(0))]  # the 11th day in a row
    assert found(s, days_of("o1", 1)) == []  # day 0 off: a new run


def test_history_alone_never_violates():
    s = build(
        rules=ONLY_THIS_RULE, officers=[officer("o1", history=history(*(("D", -n) for n in range(1, 11))))]
    )
    assert found(s, []) == []


def test_a_night_counts_on_its_start_date_only():
    # Nights starting on days 0..5 occupy 7 calendar days but only 6 start dates.
    s = build(rules={**ONLY_THIS_RULE, "max_consecutive_nights": 7})
    assert found(s, days_of("o1", *range(6), shift_id="N")) == []
