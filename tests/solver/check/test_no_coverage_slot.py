"""no_coverage_slot: an officer can only be assigned to a slot (a post, shift and horizon date)."""

from tests.solver.builders import build, coverage, day, duty, found, iso, post, report

RULE = "no_coverage_slot"


def test_a_date_the_coverage_does_not_select_has_no_slot():
    s = build(posts=[post("p1", cover=[coverage("D", days=["mon"])])])  # MON = day(0) is a Monday
    assert found(s, [duty("o1", "p1", "D", 0)]) == []
    assert found(s, [duty("o1", "p1", "D", 1)]) == [(RULE, "o1", "p1", day(1))]


def test_date_tokens_and_weekday_tokens_both_select():
    s = build(posts=[post("p1", cover=[coverage("D", days=["wed", iso(4)])])])
    roster = [duty("o1", "p1", "D", 2), duty("o2", "p1", "D", 4)]
    assert found(s, roster) == []
    assert found(s, [duty("o3", "p1", "D", 3)]) == [(RULE, "o3", "p1", day(3))]


def test_an_empty_days_list_selects_no_date():
    s = build(posts=[post("p1", cover=[coverage("D", days=[])])])
    assert found(s, [duty("o1", "p1", "D", 0)]) == [(RULE, "o1", "p1", day(0))]


def test_a_shift_the_post_does_not_cover_has_no_slot():
    s = build(posts=[post("p1", shifts=["D"])])
    assert found(s, [duty("o1", "p1", "E", 0)]) == [(RULE, "o1", "p1", day(0))]


def test_first_and_last_horizon_dates_have_slots_but_not_the_dates_around_them():
    s = build()
    assert found(s, [duty("o1", "p1", "D", 0), duty("o1", "p1", "D", 6)]) == []
    roster = [duty("o1", "p1", "D", -1), duty("o2", "p1", "D", 7)]
    assert found(s, roster) == [(RULE, "o1", "p1", day(-1)), (RULE, "o2", "p1", day(7))]
    assert all("outside the horizon" in v.message for v in report(s, roster).violations)
