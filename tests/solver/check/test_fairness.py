"""fairness: Σ over units of fair_duties × spread of duties + fair_nights × spread of night duties,
over the unit's home officers with no unavailability overlapping the horizon (no duty counts 0)."""

from tests.solver.builders import at, build, duty, history, officer, report

# o1: 3 duties, 1 night; o2: 1 duty, no night; o3: nothing.
ROSTER = [
    duty("o1", "p1", "D", 0),
    duty("o1", "p1", "D", 1),
    duty("o1", "p2", "N", 2),
    duty("o2", "p1", "D", 0),
]


def fairness(s, roster=ROSTER) -> int:
    return report(s, roster).score.fairness


def test_spread_of_duties_and_of_nights_per_unit_with_idle_officers_counting_zero():
    assert fairness(build()) == 2 * (3 - 0) + 5 * (1 - 0)


def test_no_duty_at_all_is_fair():
    assert fairness(build(), []) == 0
    assert fairness(build(), [duty("o1", "p1", "D", 0)]) == 2 * 1


def test_officers_with_unavailability_overlapping_the_horizon_are_left_out():
    # One minute of leave at the very end of the horizon is enough: o3 no longer counts.
    s = build(
        officers=[
            officer("o1"),
            officer("o2"),
            officer("o3", unavailable=[{"start": at(6, "23:59"), "end": at(7, "01:00")}]),
        ]
    )
    assert fairness(s) == 2 * (3 - 1) + 5 * (1 - 0)


def test_officers_busy_elsewhere_in_the_horizon_are_left_out_as_the_unavailable_are():
    s = build(
        officers=[
            officer("o1"),
            officer("o2"),
            officer("o3", busy=[{"start": at(6, "23:59"), "end": at(7, "01:00")}]),
        ]
    )
    assert fairness(s) == 2 * (3 - 1) + 5 * (1 - 0)


def test_unavailability_only_touching_the_horizon_does_not_leave_an_officer_out():
    before = {"start": at(-1, "08:00"), "end": at(0, "00:00")}
    after = {"start": at(7, "00:00"), "end": at(8, "00:00")}
    s = build(officers=[officer("o1"), officer("o2"), officer("o3", unavailable=[before, after])])
    assert fairness(s) == 2 * 3 + 5 * 1


def test_officers_count_in_their_home_unit_wherever_they_serve():
    s = build(officers=[officer("o1"), officer("o2"), officer("o3"), officer("h1", unit="u2", serves=["u1"])])
    assert fairness(s, [*ROSTER, duty("h1", "p2", "D", 3), duty("h1", "p2", "D", 4)]) == 2 * 3 + 5 * 1


def test_a_unit_without_counted_officers_adds_zero():
    away = [{"start": at(0, "00:00"), "end": at(7, "00:00")}]
    s = build(officers=[officer(o, unavailable=away) for o in ("o1", "o2", "o3")])
    assert fairness(s) == 0


def test_history_is_not_counted():
    s = build(officers=[officer("o1"), officer("o2"), officer("o3", history=history(("D", -3), ("N", -2)))])
    assert fairness(s) == 2 * 3 + 5 * 1


def test_weights_are_applied():
    s = build(rules={"weights": {"fair_duties": 0, "fair_nights": 1}})
    assert fairness(s) == 1


def test_only_horizon_duties_count():
    # A duty dated after the horizon is a no_coverage_slot violation and not counted here.
    roster = [
        duty("o1", "p1", "D", 0),
        duty("o2", "p1", "D", 0),
        duty("o3", "p1", "D", 0),
        duty("o1", "p1", "D", 7),
    ]
    assert fairness(build(), roster) == 0
