"""frozen_until (optional extension): no duty starts before it unless pinned."""

from tests.solver.builders import at, build, day, duty, found, iso

RULE = "frozen_until"
PIN = {"officer": "o1", "post": "p1", "shift": "D", "date": iso(1)}


def test_a_new_duty_in_the_frozen_past_is_a_violation():
    s = build(frozen_until=at(1, "12:00"), pinned=[PIN])
    assert (RULE, "o2", "p1", day(1)) in found(s, [duty("o1", "p1", "D", 1), duty("o2", "p1", "D", 1)])


def test_pinned_duties_and_duties_starting_at_the_cut_are_allowed():
    s = build(frozen_until=at(1, "16:00"), pinned=[PIN])
    assert found(s, [duty("o1", "p1", "D", 1), duty("o2", "p1", "E", 1)]) == []


def test_without_the_field_nothing_is_frozen():
    assert found(build(), [duty("o2", "p1", "D", 0)]) == []
