from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "min_days_off_per_7_days"


def test_seven_duty_days_leave_no_day_off(kind):
    doc = world(rules={"min_days_off_per_7_days": 1})
    roster = [duty("a", "p1", "D", n) for n in range(7)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)


def test_one_day_off_is_enough(kind):
    doc = world(rules={"min_days_off_per_7_days": 1})
    roster = [duty("a", "p1", "D", n) for n in range(6)]
    assert not referee(doc, roster, RULE)
    assert feasible(kind, doc, roster, RULE)


def test_a_night_duty_crossing_midnight_takes_two_days(kind):
    doc = world(rules={"min_days_off_per_7_days": 2})
    roster = [duty("a", "p1", "X", 0), *[duty("a", "p1", "D", n) for n in (2, 3, 4)]]  # busy 0,1,2,3,4
    assert not referee(doc, roster, RULE)
    assert feasible(kind, doc, roster, RULE)
    roster.append(duty("a", "p1", "D", 5))
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)


def test_history_duty_running_into_the_horizon_takes_the_first_day(kind):
    doc = officer(
        world(rules={"min_days_off_per_7_days": 1}), "a", history=[{"shift": "X", "date": "2021-11-07"}]
    )
    roster = [duty("a", "p1", "D", n) for n in range(1, 7)]
    assert referee(doc, roster, RULE)
    assert not feasible(kind, doc, roster, RULE)
    assert feasible(kind, doc, roster[:-1], RULE)


def test_short_horizons_have_no_window(kind):
    doc = world(rules={"min_days_off_per_7_days": 7})
    doc["horizon"]["days"] = 6
    assert feasible(kind, doc, [duty("a", "p1", "D", n) for n in range(6)], RULE)
