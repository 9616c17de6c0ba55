"""max_duties_by_shift (v2): horizon duties of a shift type, per officer, at most the limit; 0 means never."""

from tests.solver.builders import build, duty, found, officer

RULE = "max_duties_by_shift"
QUIET = {"min_rest_minutes": 0, "min_days_off_per_7_days": 0}


def nights(oid: str, *days: int) -> list:
    return [duty(oid, "p1", "N", n) for n in days]


def test_one_more_than_the_limit_is_reported():
    s = build(format=2, rules={**QUIET, RULE: {"N": 2}})
    assert found(s, nights("o1", 0, 2, 4)) == [(RULE, "o1", None, None)]


def test_exactly_the_limit_is_allowed_and_other_shifts_are_free():
    s = build(format=2, rules={**QUIET, RULE: {"N": 2}})
    assert found(s, nights("o1", 0, 6) + [duty("o1", "p1", "D", n) for n in (2, 3, 4)]) == []


def test_zero_means_never_even_on_the_horizon_s_edges():
    s = build(format=2, rules=QUIET, officers=[officer("o1", rules={RULE: {"N": 0}}), officer("o2")])
    assert found(s, nights("o1", 6)) == [(RULE, "o1", None, None)]
    assert found(s, nights("o2", 0, 6)) == []
