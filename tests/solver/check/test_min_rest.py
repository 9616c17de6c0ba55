"""min_rest: at least `min_rest_minutes` (default 660) between the end of a duty and the start of the next."""

from datetime import date

from tests.solver.builders import SHIFT_TYPES, build, day, duty, found, history, officer, report, shift

RULE = "min_rest"
LATE = shift("L", "11:00", 480)  # starts exactly 11 hours after an E duty (16:00-24:00) ends
EARLIER = shift("K", "10:59", 480)  # one minute earlier


def test_evening_then_day_duty_is_eight_hours_of_rest():
    s = build()
    roster = [duty("o1", "p1", "E", 0), duty("o1", "p1", "D", 1)]
    assert found(s, roster) == [(RULE, "o1", "p1", day(1))]
    message = report(s, roster).violations[0].message
    assert "8h after" in message
    assert "at least 11h" in message


def test_rest_of_exactly_min_rest_minutes_is_allowed_one_minute_less_is_not():
    s = build(shift_types=[*SHIFT_TYPES, LATE, EARLIER])
    assert found(s, [duty("o1", "p1", "E", 0), duty("o1", "p1", "L", 1)]) == []
    assert found(s, [duty("o1", "p1", "E", 0), duty("o1", "p1", "K", 1)]) == [(RULE, "o1", "p1", day(1))]


def test_rest_runs_from_the_real_end_of_a_night_duty():
    s = build()
    # N of day 0 ends at 06:00 of day 1: E at 16:00 leaves 10h, N at 22:00 leaves 16h.
    assert found(s, [duty("o1", "p1", "N", 0), duty("o1", "p1", "E", 1)]) == [(RULE, "o1", "p1", day(1))]
    assert found(s, [duty("o1", "p1", "N", 0), duty("o1", "p1", "N", 1)]) == []


def test_other_officer_or_other_day_is_not_affected():
    s = build()
    assert found(s, [duty("o1", "p1", "E", 0), duty("o2", "p1", "D", 1)]) == []
    assert found(s, [duty("o1", "p1", "E", 0), duty("o1", "p1", "D", 2)]) == []


def test_history_counts_across_the_horizon_start():
    s = build(shift_types=[*SHIFT_TYPES, LATE], officers=[officer("o1", history=history(("E", -1)))])
    assert found(s, [duty("o1", "p1", "D", 0)]) == [(RULE, "o1", "p1", day(0))]
    assert found(s, [duty("o1", "p1", "L", 0)]) == []  # exactly 11 hours after the history duty


def test_history_alone_never_violates():
    s = build(officers=[officer("o1", history=history(("E", -2), ("D", -1)))])  # 8h between them
    assert found(s, []) == []
    assert found(s, [duty("o1", "p1", "D", 1)]) == []


def test_scenario_rule_and_per_officer_override():
    s = build(
        rules={"min_rest_minutes": 480},
        officers=[officer("o1"), officer("o2", rules={"min_rest_minutes": 600}), officer("o3")],
    )
    roster = [duty(o, "p1", "E", 0) for o in ("o1", "o2")] + [duty(o, "p2", "D", 1) for o in ("o1", "o2")]
    assert found(s, roster) == [(RULE, "o2", "p2", day(1))]
    relaxed = build(officers=[officer("o1", rules={"min_rest_minutes": 480}), officer("o2")])
    assert found(relaxed, roster) == [(RULE, "o2", "p2", day(1))]


def test_rest_is_computed_on_real_instants_across_dst():
    # Europe/Berlin, autumn 2021-10-31 (03:00 CEST -> 02:00 CET): from 24:00 on Oct 30 to 10:00 on
    # Oct 31 is 10 wall-clock hours but 11 real hours: exactly the minimum.
    autumn = build(
        timezone="Europe/Berlin",
        horizon={"start": "2021-10-25", "days": 7},
        shift_types=[*SHIFT_TYPES, shift("T", "10:00", 480)],
    )
    assert (
        found(autumn, [duty("o1", "p1", "E", date(2021, 10, 30)), duty("o1", "p1", "T", date(2021, 10, 31))])
        == []
    )
    # Spring 2021-03-28 (02:00 CET -> 03:00 CEST): from 24:00 to 11:00 is 11 wall-clock hours but 10 real.
    spring = build(
        timezone="Europe/Berlin",
        horizon={"start": "2021-03-22", "days": 7},
        shift_types=[*SHIFT_TYPES, LATE],
    )
    roster = [duty("o1", "p1", "E", date(2021, 3, 27)), duty("o1", "p1", "L", date(2021, 3, 28))]
    assert found(spring, roster) == [(RULE, "o1", "p1", date(2021, 3, 28))]
