from tests.solver.rules.harness import duty, penalty, referee_term, world

RULE = "overstaffing"


def _doc():
    doc = world(format=2)
    doc["posts"][0]["coverage"] = [{"shift": "D", "min": 1, "max": 3, "over_weight": 7, "days": ["mon"]}]
    return doc


def test_each_officer_above_min_costs_over_weight(kind):
    roster = [duty("a", "p1", "D", 0), duty("b", "p1", "D", 0)]
    assert penalty(kind, _doc(), roster, RULE) == 7
    assert referee_term(_doc(), roster, RULE) == 7


def test_exactly_min_and_below_cost_nothing(kind):
    for roster in ([duty("a", "p1", "D", 0)], []):
        assert penalty(kind, _doc(), roster, RULE) == 0
        assert referee_term(_doc(), roster, RULE) == 0
