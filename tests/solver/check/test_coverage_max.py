"""coverage_max: a slot may not have more than `max` officers (`max` defaults to `min`)."""

from tests.solver.builders import build, coverage, day, duty, found, post, report

RULE = "coverage_max"


def one_slot(**cov: int) -> list[dict]:
    return [post("p1", cover=[coverage("D", **cov)])]


def test_more_officers_than_max_breaks_the_slot_once():
    s = build(posts=one_slot(min=0, max=2))
    roster = [duty("o1", "p1", "D", 0), duty("o2", "p1", "D", 0), duty("o3", "p1", "D", 0)]
    assert found(s, roster) == [(RULE, None, "p1", day(0))]
    (v,) = report(s, roster).violations
    assert v.shift == "D"
    assert "3 officers assigned, at most 2" in v.message


def test_exactly_max_is_allowed():
    s = build(posts=one_slot(min=0, max=2))
    assert found(s, [duty("o1", "p1", "D", 0), duty("o2", "p1", "D", 0)]) == []


def test_max_defaults_to_min():
    s = build(posts=one_slot(min=1, max=None))
    assert found(s, [duty("o1", "p1", "D", 0)]) == []
    assert found(s, [duty("o1", "p1", "D", 0), duty("o2", "p1", "D", 0)]) == [(RULE, None, "p1", day(0))]


def test_each_slot_counts_alone():
    s = build(posts=one_slot(min=0, max=1))
    assert found(s, [duty("o1", "p1", "D", 0), duty("o2", "p1", "D", 1), duty("o3", "p1", "D", 2)]) == []


def test_a_slot_with_max_zero_takes_nobody():
    s = build(posts=one_slot(min=0, max=0))
    assert found(s, [duty("o1", "p1", "D", 3)]) == [(RULE, None, "p1", day(3))]


def test_an_assignment_listed_twice_counts_once():
    s = build(posts=one_slot(min=0, max=1))
    assert found(s, [duty("o1", "p1", "D", 0)] * 2) == [("duplicate_assignment", "o1", "p1", day(0))]
