from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "min_rest"


def test_eight_hours_between_evening_and_day_is_too_short(kind):
    doc = world(rules={"min_rest_minutes": 660})
    roster = [duty("a", "p1", "E", 0), duty("a", "p1", "D", 1)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)


def test_rest_exactly_at_the_minimum_is_feasible(kind):
    doc = world(rules={"min_rest_minutes": 480})
    roster = [duty("a", "p1", "E", 0), duty("a", "p1", "D", 1)]
    assert not referee(doc, roster, RULE)
    assert feasible(kind, doc, roster, RULE)


def test_history_duty_before_the_horizon_counts(kind):
    doc = officer(world(rules={"min_rest_minutes": 660}), "a", history=[{"shift": "E", "date": "2021-11-07"}])
    assert referee(doc, [duty("a", "p1", "D", 0)], RULE)
    assert not feasible(kind, doc, [duty("a", "p1", "D", 0)], RULE)
    assert feasible(kind, doc, [duty("a", "p1", "E", 0)], RULE)


def test_officer_override_wins(kind):
    doc = officer(world(rules={"min_rest_minutes": 660}), "a", rules={"min_rest_minutes": 480})
    assert feasible(kind, doc, [duty("a", "p1", "E", 0), duty("a", "p1", "D", 1)], RULE)
    assert not feasible(kind, doc, [duty("b", "p1", "E", 0), duty("b", "p1", "D", 1)], RULE)
