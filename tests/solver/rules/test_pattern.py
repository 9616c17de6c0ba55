from tests.solver.rules.harness import duty, officer, penalty, referee_term, world

RULE = "pattern"


def patterned(days, start="2021-11-08", **fields):
    doc = world(
        format=2,
        groups=[{"id": "g", "name": "g", "members": ["a", "b"], "pattern": {"start": start, "days": days}}],
    )
    return officer(doc, "b", **fields) if fields else doc


def both(kind, doc, roster):
    exact = referee_term(doc, roster, RULE)
    assert penalty(kind, doc, roster, RULE) == exact
    return exact


def test_on_pattern_costs_nothing(kind):
    doc = patterned(["N", "N", "D", "D", "E", "E", None, None])
    wanted = ["N", "N", "D", "D", "E", "E", None]
    roster = [duty(o, "p1", sh, n) for o in ("a", "b") for n, sh in enumerate(wanted) if sh]
    assert both(kind, doc, roster) == 0


def test_every_departure_costs_the_weight(kind):
    doc = patterned(["D", None])  # D on days 0, 2, 4, 6
    assert both(kind, doc, []) == 2 * 4 * 5
    roster = [duty("a", "p1", "D", n) for n in (0, 2, 4, 6)] + [duty("b", "p1", "D", n) for n in (0, 2, 4, 6)]
    assert both(kind, doc, roster) == 0
    assert both(kind, doc, [*roster[1:], duty("a", "p1", "E", 0)]) == 5  # wrong shift
    assert both(kind, doc, [*roster, duty("a", "p1", "E", 1)]) == 5  # duty on a null day
    assert both(kind, doc, [*roster, duty("a", "p2", "E", 0)]) == 5  # D and E: {D, E} ≠ {D}


def test_a_pattern_from_before_the_horizon_and_unavailable_days(kind):
    # start 2021-11-05 (FRI), a cycle of 3: MON is index 3 mod 3 = 0, so X on MON, THU and SUN
    away = [{"start": "2021-11-11T12:00", "end": "2021-11-12T00:00"}]  # b, THU afternoon
    roster = [duty("a", "p1", "X", n) for n in (0, 3, 6)] + [duty("b", "p1", "X", n) for n in (0, 6)]
    assert both(kind, patterned(["X", None, None], start="2021-11-05", unavailable=away), roster) == 0
    assert both(kind, patterned(["X", None, None], start="2021-11-05"), roster) == 5  # b's THU is judged
