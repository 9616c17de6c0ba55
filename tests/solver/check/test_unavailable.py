"""unavailable: no duty may overlap an unavailable span [start, end) (real instants)."""

from datetime import date

from tests.solver.builders import at, build, day, duty, found, history, officer, report, shift

RULE = "unavailable"


def away(start: str, end: str, reason: str = "") -> list[dict]:
    span = {"start": start, "end": end}
    return [officer("o1", unavailable=[{**span, "reason": reason} if reason else span]), officer("o2")]


def test_a_duty_overlapping_a_span_is_a_violation_of_that_duty():
    s = build(officers=away(at(0, "10:00"), at(0, "12:00"), "court"))
    assert found(s, [duty("o1", "p1", "D", 0)]) == [(RULE, "o1", "p1", day(0))]
    assert found(s, [duty("o2", "p1", "D", 0), duty("o1", "p1", "D", 1)]) == []


def test_spans_touching_the_duty_are_allowed_end_is_exclusive():
    before = build(officers=away(at(0, "00:00"), at(0, "08:00")))  # ends when the D duty starts
    after = build(officers=away(at(0, "16:00"), at(1, "00:00")))  # starts when the D duty ends
    assert found(before, [duty("o1", "p1", "D", 0)]) == []
    assert found(after, [duty("o1", "p1", "D", 0)]) == []


def test_one_minute_of_overlap_at_either_end_is_a_violation():
    early = build(officers=away(at(0, "07:00"), at(0, "08:01")))
    late = build(officers=away(at(0, "15:59"), at(0, "17:00")))
    assert found(early, [duty("o1", "p1", "D", 0)]) == [(RULE, "o1", "p1", day(0))]
    assert found(late, [duty("o1", "p1", "D", 0)]) == [(RULE, "o1", "p1", day(0))]


def test_a_night_duty_is_unavailable_into_the_next_morning_and_belongs_to_its_start_date():
    s = build(officers=away(at(1, "05:59"), at(1, "12:00")))  # N of day 0 runs 22:00 to 06:00 of day 1
    assert found(s, [duty("o1", "p1", "N", 0)]) == [(RULE, "o1", "p1", day(0))]
    clear = build(officers=away(at(1, "06:00"), at(1, "12:00")))
    assert found(clear, [duty("o1", "p1", "N", 0)]) == []


def test_time_past_the_horizon_end_counts():
    s = build(officers=away(at(7, "01:00"), at(7, "02:00")))  # the day after the horizon
    assert found(s, [duty("o1", "p1", "N", 6)]) == [(RULE, "o1", "p1", day(6))]


def test_history_alone_never_violates():
    s = build(
        officers=[
            officer(
                "o1",
                history=history(("N", -1)),
                unavailable=[{"start": at(0, "00:00"), "end": at(0, "07:00")}],
            )
        ]
    )
    assert found(s, []) == []
    assert found(s, [duty("o1", "p1", "E", 1)]) == []


def test_a_local_time_in_the_spring_gap_moves_forward_by_the_gap():
    # Europe/Berlin, 2021-03-28: 02:00 -> 03:00. The span's 02:30 does not exist; it is 03:30 CEST,
    # so the 03:00-03:30 duty ends exactly when the span starts. On wall clocks they would overlap.
    spring = date(2021, 3, 28)
    s = build(
        timezone="Europe/Berlin",
        horizon={"start": "2021-03-22", "days": 7},
        shift_types=[shift("M", "03:00", 30)],
        officers=[officer("o1", unavailable=[{"start": "2021-03-28T02:30", "end": "2021-03-28T05:00"}])],
    )
    assert found(s, [duty("o1", "p1", "M", spring)]) == []
    longer = build(
        timezone="Europe/Berlin",
        horizon={"start": "2021-03-22", "days": 7},
        shift_types=[shift("M", "03:00", 31)],
        officers=[officer("o1", unavailable=[{"start": "2021-03-28T02:30", "end": "2021-03-28T05:00"}])],
    )
    assert found(longer, [duty("o1", "p1", "M", spring)]) == [(RULE, "o1", "p1", spring)]


def test_a_duty_overlapping_a_busy_span_is_an_unavailable_violation_with_its_reason():
    """`busy` (duties in other published rosters) blocks a duty exactly as unavailability does."""
    elsewhere = {"start": at(0, "08:00"), "end": at(0, "16:00"), "reason": "on duty at q9 (roster 4)"}
    s = build(officers=[officer("o1", busy=[elsewhere]), officer("o2")])
    assert found(s, [duty("o1", "p1", "D", 0)]) == [(RULE, "o1", "p1", day(0))]
    [v] = report(s, [duty("o1", "p1", "D", 0)]).violations
    assert v.message.endswith("(on duty at q9 (roster 4))")
    assert found(s, [duty("o1", "p1", "E", 0), duty("o2", "p1", "D", 0)]) == []
