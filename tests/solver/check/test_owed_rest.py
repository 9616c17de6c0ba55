"""owed_rest (v2, hard): each entry has at least `days` days off among the horizon dates up to `by`."""

from tests.solver.builders import build, duty, history, iso, officer, violations

RULE = "owed_rest"


def owed(*entries: tuple[int, int], **extra):
    return build(
        format=2,
        officers=[
            officer("o1", owed_rest=[{"days": d, "by": iso(n)} for d, n in entries], **extra),
            officer("o2"),
        ],
        rules={"min_days_off_per_7_days": 0, "max_consecutive_days": 7},
    )


def broken(s, roster):
    return violations(s, roster, RULE)


def test_too_few_days_off_up_to_by_is_a_violation():
    s = owed((2, 3))  # days 0..3: at least 2 off
    assert broken(s, [duty("o1", "p1", "D", n) for n in (0, 1)]) == []
    (v,) = broken(s, [duty("o1", "p1", "D", n) for n in (0, 1, 2)])
    assert (v.rule, v.officer, v.date) == (RULE, "o1", s.dates[3])
    assert "1 day(s) off" in v.message and "2 owed" in v.message


def test_the_exact_edge_and_the_day_after_by():
    s = owed((1, 2))  # days 0..2: at least 1 off
    assert broken(s, [duty("o1", "p1", "D", n) for n in (0, 1, 3, 4, 5, 6)]) == []  # day 2 off, the rest free
    assert broken(s, [duty("o1", "p1", "D", n) for n in (0, 1, 2)]) != []


def test_a_duty_running_past_midnight_takes_the_next_day_too():
    s = owed((1, 1))  # days 0..1: at least 1 off
    # N 22:00-06:00 on day 0 overlaps days 0 and 1: no day off
    assert [v.rule for v in broken(s, [duty("o1", "p1", "N", 0)])] == [RULE]
    assert broken(s, [duty("o1", "p1", "E", 0)]) == []  # E ends at 24:00: day 1 is off


def test_history_running_into_the_horizon_counts_but_alone_is_never_a_violation():
    s = owed((1, 1), history=history(("N", -1)))  # the N of day -1 runs into day 0
    assert broken(s, []) == []
    assert [v.rule for v in broken(s, [duty("o1", "p1", "D", 1)])] == [RULE]


def test_by_before_the_horizon_is_ignored_and_by_after_it_counts_the_whole_horizon():
    s = owed((5, -1))
    assert broken(s, [duty("o1", "p1", "D", n) for n in range(7)]) == []
    s = owed((3, 30))
    assert broken(s, [duty("o1", "p1", "D", n) for n in range(4)]) == []
    assert broken(s, [duty("o1", "p1", "D", n) for n in range(5)]) != []


def test_each_entry_is_judged_on_its_own():
    s = owed((1, 1), (3, 6))
    roster = [duty("o1", "p1", "D", n) for n in (1, 2, 3, 4)]  # off 0, 5, 6
    assert broken(s, roster) == []
    assert len(broken(s, [*roster, duty("o1", "p1", "D", 0)])) == 2
