from tests.solver.rules.harness import duty, feasible, referee, world

RULE = "max_minutes_per_horizon"


def test_more_minutes_are_infeasible(kind):
    doc = world(format=2, rules={RULE: 1200})
    roster = [duty("a", "p1", "L", 0), duty("a", "p1", "D", 6), duty("a", "r", "A", 3)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)


def test_exactly_the_maximum_is_feasible(kind):
    doc = world(format=2, rules={RULE: 1200})
    roster = [duty("a", "p1", "L", 0), duty("a", "p1", "D", 6)]
    assert not referee(doc, roster, RULE)
    assert feasible(kind, doc, roster, RULE)
