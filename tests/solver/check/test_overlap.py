"""overlap: two duties of one officer may never share an instant (real time), whatever the rest rule."""

from datetime import date

from tests.solver.builders import SHIFT_TYPES, build, day, duty, found, history, officer, report, shift

RULE = "overlap"
EARLY = shift("M", "05:00", 120)  # 05:00-07:00: overlaps the end of the previous night's N (22:00-06:00)


def test_two_duties_at_the_same_time_overlap():
    s = build()
    roster = [duty("o1", "p1", "D", 0), duty("o1", "p2", "D", 0)]
    assert found(s, roster) == [(RULE, "o1", "p2", day(0))]  # reported on the later-sorted duty
    assert "overlaps the D duty of" in report(s, roster).violations[0].message


def test_a_night_duty_overlaps_a_duty_of_the_next_morning():
    s = build(shift_types=[*SHIFT_TYPES, EARLY])
    assert found(s, [duty("o1", "p1", "N", 0), duty("o1", "p2", "M", 1)]) == [(RULE, "o1", "p2", day(1))]


def test_partial_overlap_on_the_same_day():
    s = build()
    assert found(s, [duty("o1", "p1", "E", 0), duty("o1", "p2", "N", 0)]) == [(RULE, "o1", "p2", day(0))]


def test_back_to_back_duties_do_not_overlap():
    # With no rest required, D (08:00-16:00) then E (16:00-24:00) is the limit: end == start.
    s = build(rules={"min_rest_minutes": 0})
    assert found(s, [duty("o1", "p1", "D", 0), duty("o1", "p2", "E", 0)]) == []


def test_other_officers_do_not_overlap_each_other():
    s = build()
    assert found(s, [duty("o1", "p1", "D", 0), duty("o2", "p1", "D", 0)]) == []


def test_a_horizon_duty_overlapping_a_history_duty_is_a_violation():
    s = build(shift_types=[*SHIFT_TYPES, EARLY], officers=[officer("o1", history=history(("N", -1)))])
    assert found(s, [duty("o1", "p1", "M", 0)]) == [(RULE, "o1", "p1", day(0))]


def test_history_duties_overlapping_each_other_are_not_a_violation():
    s = build(officers=[officer("o1", history=history(("E", -2), ("N", -2)))])
    assert found(s, []) == []
    assert found(s, [duty("o1", "p1", "D", 1)]) == []


def test_overlap_is_computed_on_real_instants_across_dst():
    # Europe/Berlin. Spring 2021-03-28 (02:00 -> 03:00): the night from 22:00 CET lasts 480 real
    # minutes, so it ends at 07:00 CEST, not 06:00, and overlaps a duty starting at 06:30.
    spring = build(
        timezone="Europe/Berlin",
        horizon={"start": "2021-03-22", "days": 7},
        rules={"min_rest_minutes": 0},
        shift_types=[shift("N", "22:00", 480, night=True), shift("M", "06:30", 60)],
    )
    roster = [duty("o1", "p1", "N", date(2021, 3, 27)), duty("o1", "p2", "M", date(2021, 3, 28))]
    assert found(spring, roster) == [(RULE, "o1", "p2", date(2021, 3, 28))]
    # Autumn 2021-10-31 (03:00 -> 02:00): the night from 22:00 CEST ends at 05:00 CET, before 05:30.
    autumn = build(
        timezone="Europe/Berlin",
        horizon={"start": "2021-10-25", "days": 7},
        rules={"min_rest_minutes": 0},
        shift_types=[shift("N", "22:00", 480, night=True), shift("M", "05:30", 60)],
    )
    roster = [duty("o1", "p1", "N", date(2021, 10, 30)), duty("o1", "p2", "M", date(2021, 10, 31))]
    assert found(autumn, roster) == []
