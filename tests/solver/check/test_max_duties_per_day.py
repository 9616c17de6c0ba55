"""max_duties_per_day (v2): at most this many duties of an officer start on any horizon date."""

from tests.solver.builders import build, day, duty, found, officer

RULE = "max_duties_per_day"
QUIET = {"min_rest_minutes": 0, "min_days_off_per_7_days": 0}


def test_two_duties_on_one_date_break_a_limit_of_one():
    s = build(format=2, rules={**QUIET, RULE: 1})
    assert found(s, [duty("o1", "p1", "D", 2), duty("o1", "p1", "E", 2)]) == [(RULE, "o1", None, day(2))]


def test_exactly_the_limit_is_allowed():
    s = build(format=2, rules={**QUIET, RULE: 2})
    assert found(s, [duty("o1", "p1", "D", 2), duty("o1", "p1", "E", 2)]) == []


def test_the_horizon_s_last_date_counts_and_a_night_counts_on_its_start_date():
    s = build(format=2, rules={**QUIET, RULE: 1})
    # N of day 5 runs into day 6 but starts on day 5: E on day 6 is that date's only duty start
    assert found(s, [duty("o1", "p1", "N", 5), duty("o1", "p1", "E", 6)]) == []
    assert found(s, [duty("o1", "p1", "D", 6), duty("o1", "p2", "E", 6)]) == [(RULE, "o1", None, day(6))]


def test_an_officer_override_and_null_default_means_no_limit():
    s = build(format=2, rules=QUIET, officers=[officer("o1", rules={RULE: 1}), officer("o2")])
    roster = [duty(o, "p1", sh, 0) for o in ("o1", "o2") for sh in ("D", "E")]
    assert found(s, roster) == [(RULE, "o1", None, day(0))]
