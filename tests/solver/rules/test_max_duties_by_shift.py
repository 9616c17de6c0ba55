from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "max_duties_by_shift"


def test_one_more_than_the_limit_is_infeasible(kind):
    doc = world(format=2, rules={RULE: {"N": 2}})
    roster = [duty("a", "p1", "N", n) for n in (0, 3, 6)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)


def test_exactly_the_limit_is_feasible(kind):
    doc = world(format=2, rules={RULE: {"N": 2}})
    roster = [duty("a", "p1", "N", n) for n in (0, 6)] + [duty("a", "p1", "D", n) for n in range(7)]
    assert not referee(doc, roster, RULE)
    assert feasible(kind, doc, roster, RULE)


def test_zero_means_never(kind):
    doc = officer(world(format=2), "a", rules={RULE: {"E": 0}})
    assert not feasible(kind, doc, [duty("a", "p1", "E", 6)], RULE)
    assert feasible(kind, doc, [duty("b", "p1", "E", 6)], RULE)
