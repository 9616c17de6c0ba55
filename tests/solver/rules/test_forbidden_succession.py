from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "forbidden_succession"
E_THEN_N = {"forbidden_successions": [{"first": "E", "then": ["N", "D"]}]}


def test_a_forbidden_shift_the_next_date_is_infeasible(kind):
    doc = world(format=2, rules=E_THEN_N)
    roster = [duty("a", "p1", "E", 2), duty("a", "p1", "D", 3)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)


def test_the_edge_two_dates_later_or_an_allowed_shift_is_feasible(kind):
    doc = world(format=2, rules=E_THEN_N)
    for roster in (
        [duty("a", "p1", "E", 2), duty("a", "p1", "D", 4)],
        [duty("a", "p1", "E", 2), duty("a", "p1", "E", 3)],
        [duty("a", "p1", "N", 2), duty("a", "p1", "E", 2)],
    ):
        assert not referee(doc, roster, RULE)
        assert feasible(kind, doc, roster, RULE)


def test_history_the_day_before_the_horizon_counts(kind):
    doc = officer(world(format=2, rules=E_THEN_N), "a", history=[{"shift": "E", "date": "2021-11-07"}])
    assert referee(doc, [duty("a", "p1", "N", 0)], RULE)
    assert not feasible(kind, doc, [duty("a", "p1", "N", 0)], RULE)
    assert feasible(kind, doc, [duty("a", "p1", "E", 0)], RULE)
