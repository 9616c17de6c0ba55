"""min_consecutive_days_off (v2): every maximal run of days off (calendar days overlapping no duty,
history running in included) that includes neither the horizon's first nor its last date has at
least this many days."""

from tests.solver.builders import at, build, day, duty, found, history, officer

RULE = "min_consecutive_days_off"
QUIET = {"min_rest_minutes": 0, "min_days_off_per_7_days": 0}


def test_a_single_day_off_between_duties_breaks_a_minimum_of_two():
    s = build(format=2, rules={**QUIET, RULE: 2})
    assert found(s, [duty("o1", "p1", "D", n) for n in (1, 3)]) == [(RULE, "o1", None, day(2))]


def test_exactly_the_minimum_is_enough():
    s = build(format=2, rules={**QUIET, RULE: 2})
    assert found(s, [duty("o1", "p1", "D", n) for n in (1, 4)]) == []


def test_a_night_makes_the_next_calendar_day_busy():
    s = build(format=2, rules={**QUIET, RULE: 2})
    # N of day 1 runs to 06:00 on day 2: day 2 is no day off; days 3 and 4 are (2 days), D on day 5
    assert found(s, [duty("o1", "p1", "N", 1), duty("o1", "p1", "D", 5)]) == []
    # D on day 4: only day 3 off between them
    assert found(s, [duty("o1", "p1", "N", 1), duty("o1", "p1", "D", 4)]) == [(RULE, "o1", None, day(3))]


def test_history_running_into_the_horizon_takes_the_first_day_and_edge_runs_are_not_judged():
    s = build(format=2, rules={**QUIET, RULE: 2}, officers=[officer("o1", history=history(("N", -1)))])
    # day 0 busy from history, day 1 off, D on day 2: an inner run of 1 day off
    assert found(s, [duty("o1", "p1", "D", 2)]) == [(RULE, "o1", None, day(1))]
    # without the history, day 0 and 1 are off and touch the first date: not judged
    plain = build(format=2, rules={**QUIET, RULE: 2})
    assert found(plain, [duty("o1", "p1", "D", 2), duty("o1", "p1", "D", 5)]) == []


def test_a_day_on_leave_with_no_duty_is_a_day_off():
    s = build(
        format=2,
        rules={**QUIET, RULE: 2},
        officers=[officer("o1", unavailable=[{"start": at(2, "00:00"), "end": at(3, "00:00")}])],
    )
    assert found(s, [duty("o1", "p1", "D", 1), duty("o1", "p1", "D", 4)]) == []
