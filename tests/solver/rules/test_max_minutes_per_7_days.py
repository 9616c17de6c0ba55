from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "max_minutes_per_7_days"


def test_over_the_limit_is_infeasible(kind):
    doc = world(rules={"max_minutes_per_7_days": 2400})
    roster = [duty("a", "p1", "D", n) for n in range(6)]  # 2880
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)


def test_exactly_the_limit_is_feasible(kind):
    doc = world(rules={"max_minutes_per_7_days": 2400})
    roster = [duty("a", "p1", "D", n) for n in range(5)]  # 2400
    assert not referee(doc, roster, RULE)
    assert feasible(kind, doc, roster, RULE)


def test_history_minutes_count_in_windows_across_the_start(kind):
    history = [{"shift": "D", "date": f"2021-11-0{d}"} for d in (4, 5, 6, 7)]  # 1920 minutes
    doc = officer(world(rules={"max_minutes_per_7_days": 2400}), "a", history=history)
    assert referee(doc, [duty("a", "p1", "D", 0), duty("a", "p1", "D", 1)], RULE)
    assert not feasible(kind, doc, [duty("a", "p1", "D", 0), duty("a", "p1", "D", 1)], RULE)
    assert feasible(kind, doc, [duty("a", "p1", "D", 0), duty("a", "p1", "D", 3)], RULE)


def test_history_alone_over_the_limit_only_forbids_joining_it(kind):
    history = [{"shift": "L", "date": f"2021-11-0{d}"} for d in (3, 4, 5, 6)]  # 2880 minutes
    doc = officer(world(rules={"max_minutes_per_7_days": 2400}), "a", history=history)
    assert not referee(doc, [], RULE)
    assert not feasible(kind, doc, [duty("a", "p1", "D", 2)], RULE)  # window 11-04..11-10
    assert feasible(kind, doc, [duty("a", "p1", "D", 5)], RULE)  # window from 11-07 on


def test_per_officer_override(kind):
    doc = officer(world(rules={"max_minutes_per_7_days": 2880}), "b", rules={"max_minutes_per_7_days": 960})
    assert not feasible(kind, doc, [duty("b", "p1", "D", n) for n in range(3)], RULE)
    assert feasible(kind, doc, [duty("a", "p1", "D", n) for n in range(6)], RULE)
