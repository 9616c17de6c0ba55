from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "coverage_max"


def _doc():
    doc = world()
    doc["officers"].append({"id": "d", "name": "Officer D", "unit": "u"})
    return doc


def test_more_officers_than_max_is_infeasible(kind):
    roster = [duty(o, "p1", "D", 0) for o in ("a", "b", "d")]
    assert referee(_doc(), roster, RULE)
    assert not feasible(kind, _doc(), roster, RULE)


def test_exactly_max_is_feasible(kind):
    roster = [duty(o, "p1", "D", 0) for o in ("a", "b")]
    assert not referee(_doc(), roster, RULE)
    assert feasible(kind, _doc(), roster, RULE)


def test_other_slot_or_day_is_unaffected(kind):
    roster = [
        duty("a", "p1", "D", 0),
        duty("b", "p1", "D", 0),
        duty("d", "p1", "D", 1),
        duty("d", "p2", "E", 0),
    ]
    assert feasible(kind, _doc(), roster, RULE)


def test_max_defaults_to_min(kind):
    doc = _doc()
    doc["posts"][1]["coverage"] = [{"shift": "D", "min": 1}]
    officer(doc, "d", skills=[])
    assert not feasible(kind, doc, [duty("a", "p2", "D", 2), duty("b", "p2", "D", 2)], RULE)
    assert feasible(kind, doc, [duty("a", "p2", "D", 2)], RULE)
