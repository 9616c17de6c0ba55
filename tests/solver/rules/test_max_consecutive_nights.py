from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "max_consecutive_nights"


def test_one_night_too_many_is_infeasible(kind):
    doc = world(rules={"max_consecutive_nights": 2})
    roster = [duty("a", "p1", "N", n) for n in range(3)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)


def test_exactly_the_limit_then_a_day_duty_is_feasible(kind):
    doc = world(rules={"max_consecutive_nights": 2})
    roster = [duty("a", "p1", "N", 0), duty("a", "p1", "N", 1), duty("a", "p1", "D", 2)]
    assert not referee(doc, roster, RULE)
    assert feasible(kind, doc, roster, RULE)


def test_history_nights_continue_the_run(kind):
    doc = officer(
        world(rules={"max_consecutive_nights": 2}), "a", history=[{"shift": "X", "date": "2021-11-07"}]
    )
    roster = [duty("a", "p1", "N", 1), duty("a", "p1", "N", 2)]
    assert feasible(kind, doc, roster, RULE)  # 11-08 has no night start: the run is broken
    roster = [duty("a", "p2", "N", 0), duty("a", "p1", "N", 1)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)


def test_per_officer_override(kind):
    doc = officer(world(rules={"max_consecutive_nights": 3}), "b", rules={"max_consecutive_nights": 1})
    assert not feasible(kind, doc, [duty("b", "p1", "N", 0), duty("b", "p1", "N", 1)], RULE)
    assert feasible(kind, doc, [duty("a", "p1", "N", 0), duty("a", "p1", "N", 1)], RULE)
