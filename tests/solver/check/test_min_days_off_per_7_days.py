"""min_days_off_per_7_days: in every 7-date window wholly inside the horizon, at least this many
calendar days (local 00:00-24:00) overlap no duty; history running into the horizon included."""

from tests.solver.builders import at, build, day, duty, found, history, officer

RULE = "min_days_off_per_7_days"


def nights(officer_id: str, *days: int) -> list:
    return [duty(officer_id, "p1", "N", n) for n in days]


def test_night_duties_crossing_midnight_take_two_calendar_days():
    # Nights start on days 0, 2, 4 and 6 only, but each runs to 06:00 the next day: no day is off.
    s = build()
    assert found(s, nights("o1", 0, 2, 4, 6)) == [(RULE, "o1", None, day(0))]


def test_exactly_the_minimum_is_allowed():
    s = build()
    assert found(s, nights("o1", 0, 2, 4)) == []  # day 6 is off: exactly 1
    assert found(s, [duty("o1", "p1", "D", n) for n in (0, 2, 4, 6)]) == []  # day duties: 3 days off


def test_per_officer_override():
    s = build(officers=[officer("o1", rules={"min_days_off_per_7_days": 2}), officer("o2")])
    assert found(s, nights("o1", 0, 2, 4) + [duty("o2", "p2", "N", n) for n in (0, 2, 4)]) == [
        (RULE, "o1", None, day(0))
    ]


def test_horizons_shorter_than_seven_days_have_no_window():
    s = build(horizon={"start": day(0).isoformat(), "days": 6})
    assert found(s, [duty("o1", "p1", "D", n) for n in range(6)]) == []


def test_every_window_inside_the_horizon_is_checked():
    s = build(
        horizon={"start": day(0).isoformat(), "days": 8},
        rules={"max_consecutive_days": 7, "max_minutes_per_7_days": 4000},
    )
    # Days 1..7 busy: the window from day 0 has day 0 off; the window from day 1 has none.
    assert found(s, [duty("o1", "p1", "D", n) for n in range(1, 8)]) == [(RULE, "o1", None, day(1))]


def test_history_running_into_the_horizon_makes_its_day_busy():
    roster = [duty("o1", "p1", "D", 1), *nights("o1", 2, 4, 6)]
    without = build()
    assert found(without, roster) == []  # day 0 is off
    s = build(officers=[officer("o1", history=history(("N", -1)))])  # 22:00 Sunday to 06:00 Monday
    assert found(s, roster) == [(RULE, "o1", None, day(0))]


def test_history_alone_never_violates():
    s = build(officers=[officer("o1", history=history(("N", -1)), rules={"min_days_off_per_7_days": 7})])
    assert found(s, []) == []  # day 0 is busy, but only by history
    assert found(s, [duty("o1", "p1", "D", 3)]) == [(RULE, "o1", None, day(0))]


def test_a_day_on_leave_without_duty_is_a_day_off():
    s = build(officers=[officer("o1", unavailable=[{"start": at(6, "00:00"), "end": at(7, "00:00")}])])
    assert found(s, [duty("o1", "p1", "D", n) for n in range(6)]) == []


def test_zero_days_off_required():
    s = build(rules={"min_days_off_per_7_days": 0})
    assert found(s, nights("o1", 0, 2, 4, 6)) == []
