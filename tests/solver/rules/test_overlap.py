from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "overlap"


def test_overlapping_duties_are_infeasible(kind):
    roster = [duty("a", "p1", "L", 0), duty("a", "p2", "D", 0)]  # 06:00-18:00 and 08:00-16:00
    assert referee(world(), roster, RULE)
    assert not feasible(kind, world(), roster, RULE)


def test_touching_duties_are_feasible(kind):
    roster = [duty("a", "p1", "N", 1), duty("a", "p2", "D", 1)]  # 00:00-08:00 then 08:00-16:00
    assert not referee(world(), roster, RULE)
    assert feasible(kind, world(), roster, RULE)


def test_history_duty_running_into_the_horizon(kind):
    doc = officer(world(), "a", history=[{"shift": "X", "date": "2021-11-07"}])  # until Monday 08:00
    assert referee(doc, [duty("a", "p1", "N", 0)], RULE)
    assert not feasible(kind, doc, [duty("a", "p1", "N", 0)], RULE)
    assert feasible(kind, doc, [duty("a", "p1", "D", 0)], RULE)


def test_other_officer_unaffected(kind):
    assert feasible(kind, world(), [duty("a", "p1", "L", 0), duty("b", "p2", "D", 0)], RULE)
