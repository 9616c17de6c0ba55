from tests.solver.rules.harness import duty, feasible, referee, world

RULE = "max_weekends"
TWO_WEEKS = {"start": "2021-11-08", "days": 14}


def test_a_weekend_too_many_is_infeasible(kind):
    doc = world(format=2, horizon=TWO_WEEKS, rules={RULE: 1})
    roster = [duty("a", "p1", "D", 5), duty("a", "p1", "N", 13)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)


def test_both_days_of_one_weekend_are_one_weekend(kind):
    doc = world(format=2, horizon=TWO_WEEKS, rules={RULE: 1})
    roster = [duty("a", "p1", "D", 5), duty("a", "p1", "D", 6), duty("a", "p1", "D", 11)]
    assert not referee(doc, roster, RULE)
    assert feasible(kind, doc, roster, RULE)


def test_a_weekend_cut_by_the_horizon_counts(kind):
    doc = world(format=2, horizon={"start": "2021-11-14", "days": 7}, rules={RULE: 1})  # Sunday..Saturday
    roster = [duty("a", "p1", "D", 6), duty("a", "p1", "D", 12)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)
