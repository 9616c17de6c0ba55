from tests.solver.rules.harness import duty, feasible, officer, referee, world

RULE = "owed_rest"


def owed(*entries: tuple[int, str], **fields):
    doc = world(format=2)
    return officer(doc, "a", owed_rest=[{"days": d, "by": by} for d, by in entries], **fields)


def test_too_few_days_off_up_to_by(kind):
    doc = owed((2, "2021-11-11"))  # MON..THU: two days off
    roster = [duty("a", "p1", "D", n) for n in (0, 1)]
    assert not referee(doc, roster, RULE) and feasible(kind, doc, roster, RULE)
    roster.append(duty("a", "p1", "D", 3))
    assert referee(doc, roster, RULE) and not feasible(kind, doc, roster, RULE)


def test_the_exact_edge_and_dates_after_by_are_free(kind):
    doc = owed((1, "2021-11-10"))  # MON..WED: one day off
    roster = [duty("a", "p1", "D", n) for n in (0, 1, 3, 4, 5, 6)]
    assert not referee(doc, roster, RULE) and feasible(kind, doc, roster, RULE)
    roster.append(duty("a", "p1", "N", 2))
    assert referee(doc, roster, RULE) and not feasible(kind, doc, roster, RULE)


def test_a_duty_past_midnight_takes_the_next_day(kind):
    doc = owed((1, "2021-11-09"))  # MON..TUE
    assert not feasible(kind, doc, [duty("a", "p1", "X", 0)], RULE)  # X 20:00-08:00 touches both
    assert feasible(kind, doc, [duty("a", "p1", "E", 0)], RULE)  # E ends at 24:00


def test_history_alone_forbids_touching_only_when_it_leaves_too_few(kind):
    doc = owed((1, "2021-11-08"), history=[{"shift": "X", "date": "2021-11-07"}])  # MON is taken
    assert feasible(kind, doc, [duty("a", "p1", "D", 1)], RULE)
    assert not feasible(kind, doc, [duty("a", "p1", "E", 0)], RULE)
    assert referee(doc, [duty("a", "p1", "E", 0)], RULE)


def test_by_before_the_horizon_is_ignored(kind):
    doc = owed((3, "2021-11-01"))
    roster = [duty("a", "p1", "D", n) for n in range(7)]
    assert not referee(doc, roster, RULE) and feasible(kind, doc, roster, RULE)
