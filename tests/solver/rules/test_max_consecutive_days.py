from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "max_consecutive_days"


def test_one_day_too_many_is_infeasible(kind):
    doc = world(rules={"max_consecutive_days": 3})
    roster = [duty("a", "p1", "D", n) for n in range(4)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)


def test_exactly_the_limit_is_feasible(kind):
    doc = world(rules={"max_consecutive_days": 3})
    roster = [duty("a", "p1", "D", n) for n in (0, 1, 2, 4, 5, 6)]
    assert not referee(doc, roster, RULE)
    assert feasible(kind, doc, roster, RULE)


def test_history_days_continue_the_run(kind):
    history = [{"shift": "D", "date": "2021-11-06"}, {"shift": "N", "date": "2021-11-07"}]
    doc = officer(world(rules={"max_consecutive_days": 3}), "a", history=history)
    assert not feasible(kind, doc, [duty("a", "p1", "D", 0), duty("a", "p1", "D", 1)], RULE)
    assert referee(doc, [duty("a", "p1", "D", 0), duty("a", "p1", "D", 1)], RULE)
    assert feasible(kind, doc, [duty("a", "p1", "D", 0), duty("a", "p1", "D", 2)], RULE)


def test_history_alone_over_the_limit_is_not_a_violation(kind):
    history = [{"shift": "D", "date": f"2021-11-0{d}"} for d in (3, 4, 5, 6, 7)]
    doc = officer(world(rules={"max_consecutive_days": 3}), "a", history=history)
    assert not referee(doc, [], RULE)
    assert not feasible(kind, doc, [duty("a", "p1", "D", 0)], RULE)  # the 6th day in a row
    assert feasible(kind, doc, [duty("a", "p1", "D", 1), duty("a", "p1", "D", 2)], RULE)
