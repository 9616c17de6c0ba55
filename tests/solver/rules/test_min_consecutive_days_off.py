from tests.solver.rules.harness import duty, holds, officer, referee, world

RULE = "min_consecutive_days_off"


def test_a_single_inner_day_off_is_infeasible(kind):
    doc = world(format=2, rules={RULE: 2})
    roster = [duty("a", "p1", "D", 1), duty("a", "p1", "D", 3)]
    assert referee(doc, roster, RULE)
    assert not holds(kind, doc, roster, RULE)


def test_exactly_the_minimum_is_feasible(kind):
    doc = world(format=2, rules={RULE: 2})
    roster = [duty("a", "p1", "D", 1), duty("a", "p1", "D", 4)]
    assert not referee(doc, roster, RULE)
    assert holds(kind, doc, roster, RULE)


def test_a_night_running_past_midnight_takes_the_next_calendar_day(kind):
    doc = world(format=2, rules={RULE: 2})
    roster = [duty("a", "p1", "X", 1), duty("a", "p1", "D", 4)]  # X 20:00-08:00 takes day 2
    assert referee(doc, roster, RULE)
    assert not holds(kind, doc, roster, RULE)


def test_history_running_into_the_horizon_takes_the_first_day(kind):
    doc = officer(world(format=2, rules={RULE: 2}), "a", history=[{"shift": "X", "date": "2021-11-07"}])
    roster = [duty("a", "p1", "D", 2)]  # day 0 busy (history), day 1 off alone
    assert referee(doc, roster, RULE)
    assert not holds(kind, doc, roster, RULE)
    assert holds(kind, doc, [duty("a", "p1", "D", 3)], RULE)
