"""max_consecutive_nights: like max_consecutive_days, for dates on which a night duty starts (default 3)."""

from tests.solver.builders import build, day, duty, found, history, officer

RULE = "max_consecutive_nights"


def nights(officer_id: str, *days: int) -> list:
    return [duty(officer_id, "p1", "N", n) for n in days]


def test_the_fourth_night_in_a_row_breaks_the_default_limit():
    s = build()
    assert found(s, nights("o1", 0, 1, 2, 3)) == [(RULE, "o1", None, day(3))]


def test_exactly_the_limit_is_allowed_and_a_gap_restarts_the_run():
    s = build(rules={"min_days_off_per_7_days": 0})  # these nights leave no calendar day off
    assert found(s, nights("o1", 0, 1, 2)) == []
    assert found(s, nights("o1", 0, 1, 2, 4, 5, 6)) == []


def test_day_duties_do_not_count_as_nights():
    s = build()
    assert found(s, [*nights("o1", 0, 1, 2), duty("o1", "p1", "D", 4)]) == []


def test_history_nights_count_across_the_horizon_start():
    s = build(officers=[officer("o1", history=history(("N", -2), ("N", -1)))])
    assert found(s, nights("o1", 0)) == []
    assert found(s, nights("o1", 0, 1)) == [(RULE, "o1", None, day(1))]
    three = build(officers=[officer("o1", history=history(("N", -3), ("N", -2), ("N", -1)))])
    assert found(three, nights("o1", 0)) == [(RULE, "o1", None, day(0))]


def test_history_alone_never_violates():
    s = build(officers=[officer("o1", history=history(*(("N", -n) for n in range(1, 6))))])
    assert found(s, []) == []
    assert found(s, [duty("o1", "p1", "E", 1)]) == []


def test_per_officer_override():
    s = build(officers=[officer("o1", rules={"max_consecutive_nights": 1}), officer("o2")])
    assert found(s, nights("o1", 0, 1) + [duty("o2", "p2", "N", n) for n in (0, 1)]) == [
        (RULE, "o1", None, day(1))
    ]
