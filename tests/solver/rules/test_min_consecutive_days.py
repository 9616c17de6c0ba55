from tests.solver.rules.harness import duty, holds, officer, referee, world

RULE = "min_consecutive_days"


def days(*n: int) -> list:
    return [duty("a", "p1", "D", k) for k in n]


def test_a_short_inner_run_is_infeasible(kind):
    doc = world(format=2, rules={RULE: 3})
    assert referee(doc, days(2, 3), RULE)
    assert not holds(kind, doc, days(2, 3), RULE)


def test_exactly_the_minimum_is_feasible(kind):
    doc = world(format=2, rules={RULE: 3})
    assert not referee(doc, days(2, 3, 4), RULE)
    assert holds(kind, doc, days(2, 3, 4), RULE)


def test_runs_at_the_horizon_s_edges_are_not_judged(kind):
    doc = officer(world(format=2, rules={RULE: 3}), "a", history=[{"shift": "D", "date": "2021-11-07"}])
    assert not referee(doc, days(0, 6), RULE)
    assert holds(kind, doc, days(0, 6), RULE)
    assert holds(kind, doc, [], RULE)
