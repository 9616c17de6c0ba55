"""serves_unit: an officer may only staff posts of the units in `serves` (default: the home unit)."""

from tests.solver.builders import build, day, duty, found, officer

RULE = "serves_unit"


def test_by_default_an_officer_serves_the_home_unit_only():
    s = build()
    assert found(s, [duty("o1", "p1", "D", 0)]) == []
    assert found(s, [duty("o1", "q1", "D", 0)]) == [(RULE, "o1", "q1", day(0))]


def test_serves_is_the_complete_list_and_does_not_imply_the_home_unit():
    s = build(officers=[officer("o1", serves=["u2"])])
    assert found(s, [duty("o1", "q1", "D", 0)]) == []
    assert found(s, [duty("o1", "p1", "D", 1)]) == [(RULE, "o1", "p1", day(1))]


def test_empty_serves_means_no_post():
    s = build(officers=[officer("o1", serves=[])])
    assert found(s, [duty("o1", "p1", "D", 0), duty("o1", "q1", "D", 2)]) == [
        (RULE, "o1", "p1", day(0)),
        (RULE, "o1", "q1", day(2)),
    ]


def test_an_officer_may_serve_several_units():
    s = build(officers=[officer("h1", unit="u2", serves=["u1", "u2"])])
    assert found(s, [duty("h1", "p1", "D", 0), duty("h1", "q1", "D", 2)]) == []
