"""forbidden_succession (v2): a duty of shift `first` on date D (a history duty too) forbids a duty of
any shift in `then` on D + 1, judged on dates, not instants."""

from tests.solver.builders import build, day, duty, found, history, officer

RULE = "forbidden_succession"
QUIET = {"min_rest_minutes": 0, "min_days_off_per_7_days": 0}
N_THEN_D = {**QUIET, "forbidden_successions": [{"first": "E", "then": ["D", "N"]}]}


def test_a_forbidden_shift_the_next_day_is_reported_on_the_later_duty():
    s = build(format=2, rules=N_THEN_D)
    assert found(s, [duty("o1", "p1", "E", 1), duty("o1", "p2", "D", 2)]) == [(RULE, "o1", "p2", day(2))]


def test_judged_on_dates_whatever_the_hours_and_only_the_next_date():
    s = build(format=2, rules=N_THEN_D)
    # E of day 1 ends 24:00; N of day 2 starts 22:00 (22 h later) is still forbidden
    assert found(s, [duty("o1", "p1", "E", 1), duty("o1", "p1", "N", 2)]) == [(RULE, "o1", "p1", day(2))]
    # two days later, the same day, or a shift not listed: allowed (the edge of the rule)
    assert found(s, [duty("o1", "p1", "E", 1), duty("o1", "p1", "D", 3)]) == []
    assert found(s, [duty("o1", "p1", "D", 1), duty("o1", "p1", "E", 1)]) == []
    assert found(s, [duty("o1", "p1", "E", 1), duty("o1", "p1", "E", 2)]) == []


def test_history_on_the_day_before_the_horizon_counts():
    s = build(format=2, rules=N_THEN_D, officers=[officer("o1", history=history(("E", -1)))])
    assert found(s, [duty("o1", "p1", "D", 0)]) == [(RULE, "o1", "p1", day(0))]
    assert found(s, []) == []  # history alone never violates


def test_the_last_horizon_date_and_per_officer_overrides():
    s = build(
        format=2, rules=N_THEN_D, officers=[officer("o1", rules={"forbidden_successions": []}), officer("o2")]
    )
    roster = [duty(o, "p1", sh, n) for o in ("o1", "o2") for sh, n in (("E", 5), ("D", 6))]
    assert found(s, roster) == [(RULE, "o2", "p1", day(6))]
