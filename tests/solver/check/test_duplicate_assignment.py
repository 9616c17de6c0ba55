"""duplicate_assignment: a roster may not list the same assignment twice."""

from tests.solver.builders import build, day, duty, found

RULE = "duplicate_assignment"


def test_an_assignment_listed_twice_is_one_violation_and_counts_once_elsewhere():
    s = build()
    assert found(s, [duty("o1", "p1", "D", 0)] * 2) == [(RULE, "o1", "p1", day(0))]
    assert found(s, [duty("o1", "p1", "D", 0)] * 3) == [(RULE, "o1", "p1", day(0))]


def test_same_officer_post_and_date_with_another_shift_is_not_a_duplicate():
    s = build()
    assert found(s, [duty("o1", "p1", "D", 0), duty("o1", "p1", "D", 1)]) == []
    assert [v[0] for v in found(s, [duty("o1", "p1", "D", 0), duty("o1", "p1", "E", 0)])] == ["min_rest"]


def test_an_unknown_assignment_listed_twice_is_also_a_duplicate():
    s = build()
    assert found(s, [duty("ghost", "p1", "D", 0)] * 2) == [
        ("unknown_reference", "ghost", "p1", day(0)),
        (RULE, "ghost", "p1", day(0)),
    ]
