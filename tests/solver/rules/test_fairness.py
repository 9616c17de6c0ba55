from tests.solver.rules.harness import duty, officer, penalty, referee_term, world

RULE = "fairness"


def test_spread_of_duties_and_nights_within_a_unit(kind):
    roster = [
        duty("a", "p1", "N", 0),
        duty("a", "p1", "D", 2),
        duty("a", "p1", "D", 3),
        duty("b", "p2", "D", 1),
    ]
    # a: 3 duties, 1 night; b: 1 duty, 0 nights -> 2 * 2 + 5 * 1
    assert penalty(kind, world(), roster, RULE) == 9
    assert referee_term(world(), roster, RULE) == 9


def test_officer_without_duty_counts_zero(kind):
    roster = [duty("a", "p1", "D", 0), duty("a", "p1", "D", 1)]
    assert penalty(kind, world(), roster, RULE) == 4


def test_officer_on_leave_in_the_horizon_is_left_out(kind):
    doc = officer(world(), "b", unavailable=[{"start": "2021-11-14T20:00", "end": "2021-11-20T00:00"}])
    roster = [duty("a", "p1", "D", 0), duty("a", "p1", "D", 1)]
    assert penalty(kind, doc, roster, RULE) == 0
    assert referee_term(doc, roster, RULE) == 0


def test_officer_busy_elsewhere_in_the_horizon_is_left_out(kind):
    doc = officer(world(), "b", busy=[{"start": "2021-11-14T20:00", "end": "2021-11-15T04:00"}])
    roster = [duty("a", "p1", "D", 0), duty("a", "p1", "D", 1)]
    assert penalty(kind, doc, roster, RULE) == 0
    assert referee_term(doc, roster, RULE) == 0


def test_units_are_compared_separately(kind):
    roster = [
        duty("a", "p1", "D", 0),
        duty("b", "p1", "D", 0),
        duty("c", "q", "D", 0),
        duty("c", "q", "D", 1),
    ]
    assert penalty(kind, world(), roster, RULE) == 0  # c is alone in unit v
