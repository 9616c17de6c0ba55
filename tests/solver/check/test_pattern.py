"""pattern (v2): per member of a group with a pattern and horizon date without unavailability that
day, weights.pattern when the member's shifts starting that date differ from the pattern's."""

from tests.solver.builders import at, build, duty, iso, officer, report


def patterned(days, start: int = 0, members=("o1",), **extra):
    return build(
        format=2,
        officers=[officer("o1", **extra), officer("o2"), officer("o3")],
        groups=[
            {"id": "g", "name": "g", "members": list(members), "pattern": {"start": iso(start), "days": days}}
        ],
        rules={"min_rest_minutes": 0, "max_consecutive_days": 7},
    )


def pattern(s, roster) -> int:
    return report(s, roster).score.pattern


def test_a_roster_on_the_pattern_costs_nothing_and_each_departure_costs_the_weight():
    s = patterned(["D", "D", None])  # MON D, TUE D, WED -, THU D, FRI D, SAT -, SUN D
    on = [duty("o1", "p1", "D", n) for n in (0, 1, 3, 4, 6)]
    assert pattern(s, on) == 0
    assert pattern(s, []) == 5 * 5  # five dates that want D
    assert pattern(s, [*on, duty("o1", "p1", "E", 2)]) == 5  # a duty on a null date
    assert pattern(s, [*on[1:], duty("o1", "p2", "E", 0)]) == 5  # the wrong shift
    assert pattern(s, [*on, duty("o1", "p2", "E", 0)]) == 5  # the right shift and another: {D, E} ≠ {D}


def test_the_post_does_not_matter():
    s = patterned(["E"])
    assert pattern(s, [duty("o1", "p1" if n % 2 else "p2", "E", n) for n in range(7)]) == 0


def test_a_pattern_starting_before_the_horizon_is_read_modulo_its_length():
    # start 5 days before MON, length 4: MON is index 5 mod 4 = 1
    s = patterned(["N", "D", "E", None], start=-5)
    wanted = {0: "D", 1: "E", 3: "N", 4: "D", 5: "E"}  # day 2 and 6 are null
    assert pattern(s, [duty("o1", "p1", sh, n) for n, sh in wanted.items()]) == 0
    r = report(s, [])
    assert sorted((c.date.isoformat(), c.shift) for c in r.by_term("pattern")) == sorted(
        (iso(n), sh) for n, sh in wanted.items()
    )


def test_a_pattern_starting_after_the_horizon_start_reaches_back():
    s = patterned(["D", None], start=3)  # day 3 D; so day 1 D and days 0, 2 null
    assert pattern(s, [duty("o1", "p1", "D", n) for n in (1, 3, 5)]) == 0


def test_dates_with_unavailability_that_day_are_not_judged():
    # away from day 1 23:00 to day 3 01:00: days 1, 2 and 3 are touched, so only 0, 4, 5, 6 count
    s = patterned(["D"], unavailable=[{"start": at(1, "23:00"), "end": at(3, "01:00")}])
    assert pattern(s, []) == 4 * 5
    assert pattern(s, [duty("o1", "p1", "D", n) for n in (0, 4, 5, 6)]) == 0


def test_null_days_want_no_duty_and_only_members_count():
    s = patterned([None], members=("o1", "o2"))
    assert pattern(s, [duty("o3", "p1", "D", 0)]) == 0
    assert pattern(s, [duty("o1", "p1", "N", 6), duty("o2", "p1", "D", 0)]) == 10


def test_a_group_without_pattern_adds_nothing_and_the_weight_scales():
    s = build(format=2, groups=[{"id": "g", "name": "g", "members": ["o1"]}])
    assert pattern(s, [duty("o1", "p1", "D", 0)]) == 0
    s = build(
        format=2,
        groups=[{"id": "g", "name": "g", "members": ["o1"], "pattern": {"start": iso(0), "days": [None]}}],
        rules={"weights": {"pattern": 2}},
    )
    assert pattern(s, [duty("o1", "p1", "D", 0), duty("o1", "p1", "D", 2)]) == 4
