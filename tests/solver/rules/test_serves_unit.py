from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "serves_unit"


def test_officer_of_another_unit_cannot_staff_the_post(kind):
    roster = [duty("c", "p1", "D", 0)]
    assert referee(world(), roster, RULE)
    assert not feasible(kind, world(), roster, RULE)


def test_serves_list_lets_an_officer_staff_another_unit(kind):
    doc = officer(world(), "c", serves=["u"])
    roster = [duty("c", "p1", "D", 0)]
    assert not referee(doc, roster, RULE)
    assert feasible(kind, doc, roster, RULE)


def test_home_unit_is_not_implied_once_serves_is_given(kind):
    doc = officer(world(), "c", serves=["u"])
    assert not feasible(kind, doc, [duty("c", "q", "D", 0)], RULE)


def test_own_unit_by_default(kind):
    assert feasible(kind, world(), [duty("c", "q", "D", 3), duty("a", "p2", "N", 3)], RULE)
