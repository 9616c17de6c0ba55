from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "max_duties_per_day"


def test_one_duty_too_many_on_a_date_is_infeasible(kind):
    doc = world(format=2, rules={RULE: 1})
    roster = [duty("a", "p1", "N", 6), duty("a", "p1", "D", 6)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)


def test_exactly_the_limit_is_feasible(kind):
    doc = world(format=2, rules={RULE: 2})
    roster = [duty("a", "p1", "N", 0), duty("a", "p2", "D", 0)]
    assert not referee(doc, roster, RULE)
    assert feasible(kind, doc, roster, RULE)


def test_an_officer_override(kind):
    doc = officer(world(format=2, rules={RULE: 1}), "a", rules={RULE: 3})
    roster = [duty("a", "p1", "N", 3), duty("a", "p1", "D", 3), duty("a", "p1", "E", 3)]
    assert feasible(kind, doc, roster, RULE) and not referee(doc, roster, RULE)
    assert not feasible(kind, doc, [duty("b", "p1", "N", 3), duty("b", "p1", "D", 3)], RULE)
