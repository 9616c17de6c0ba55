from tests.solver.rules.harness import MODELS, duty, officer, penalty, referee_term, world

RULE = "group_split"


def grouped(*members: str):
    doc = world(format=2, groups=[{"id": "g", "name": "g", "members": list(members)}])
    doc["officers"].append({"id": "d", "name": "Officer D", "unit": "u"})
    return doc


def test_together_costs_nothing(kind):
    doc = grouped("a", "b", "d")
    roster = [duty(o, "p1", "D", 0) for o in ("a", "b")] + [duty(o, "p2", "E", 1) for o in ("a", "d")]
    assert penalty(kind, doc, roster, RULE) == referee_term(doc, roster, RULE) == 0


def test_each_extra_post_shift_pair_costs_the_weight_exactly_on_the_post_models(kind):
    doc = grouped("a", "b", "d")
    roster = [duty("a", "p1", "D", 0), duty("b", "p2", "D", 0), duty("d", "p1", "E", 0)]
    assert referee_term(doc, roster, RULE) == 20
    # the ShiftModel does not place officers: it counts distinct shifts (D, E), a lower bound
    assert penalty(kind, doc, roster, RULE) == (10 if kind == "shift" else 20)


def test_different_shifts_are_split_on_every_model(kind):
    doc = grouped("a", "b")
    roster = [duty("a", "p1", "N", 2), duty("b", "p1", "E", 2)]
    assert penalty(kind, doc, roster, RULE) == referee_term(doc, roster, RULE) == 10


def test_a_member_outside_the_unit_and_non_members(kind):
    doc = officer(grouped("a", "c"), "c", serves=["u", "v"])
    roster = [duty("a", "p1", "D", 4), duty("c", "q", "D", 4), duty("b", "p2", "D", 4)]
    expected = 0 if kind == "shift" else 10
    assert referee_term(doc, roster, RULE) == 10
    assert penalty(kind, doc, roster, RULE) == expected


def test_models_are_the_catalogue():
    assert set(MODELS) == {"post", "plain", "shift"}
