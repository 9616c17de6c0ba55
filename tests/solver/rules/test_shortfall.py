from tests.solver.rules.harness import duty, penalty, referee_term, world

RULE = "shortfall"


def _doc():
    doc = world()
    doc["posts"][0]["priority"] = 3
    doc["posts"][0]["coverage"] = [
        {"shift": "D", "min": 2, "max": 3, "skills": {"leader": 1}, "days": ["mon"]}
    ]
    return doc


def test_missing_officer_and_missing_leader_both_count(kind):
    roster = [duty("b", "p1", "D", 0)]
    assert penalty(kind, _doc(), roster, RULE) == 3 * 1000 * (1 + 1)
    assert referee_term(_doc(), roster, RULE) == 6000


def test_leader_counts_for_head_count_and_skill(kind):
    roster = [duty("a", "p1", "D", 0)]
    assert penalty(kind, _doc(), roster, RULE) == 3000
    assert referee_term(_doc(), roster, RULE) == 3000


def test_fully_staffed_slot_costs_nothing(kind):
    roster = [duty("a", "p1", "D", 0), duty("b", "p1", "D", 0)]
    assert penalty(kind, _doc(), roster, RULE) == 0


def test_empty_slot_on_a_day_without_coverage_costs_nothing(kind):
    doc = _doc()
    assert penalty(kind, doc, [], RULE) == 3 * 1000 * 3  # only Monday has the slot
    doc["rules"]["weights"] = {"shortfall": 7}
    assert penalty(kind, doc, [], RULE) == 3 * 7 * 3
