"""pinned_missing: every pinned duty must be in the roster."""

from tests.solver.builders import build, day, duty, found, iso

RULE = "pinned_missing"
PIN = {"officer": "o1", "post": "p1", "shift": "D", "date": iso(0)}


def test_a_missing_pinned_duty_is_a_violation():
    s = build(pinned=[PIN])
    assert found(s, []) == [(RULE, "o1", "p1", day(0))]
    assert found(s, [duty("o1", "p1", "D", 1), duty("o1", "p2", "D", 2)]) == [(RULE, "o1", "p1", day(0))]


def test_the_pinned_duty_present_is_enough():
    s = build(pinned=[PIN])
    assert found(s, [duty("o1", "p1", "D", 0)]) == []


def test_a_pin_listed_twice_is_reported_once():
    s = build(pinned=[PIN, PIN])
    assert found(s, []) == [(RULE, "o1", "p1", day(0))]
