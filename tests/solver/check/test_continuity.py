"""continuity: weights.continuity × successive pairs of an officer's horizon duties (by start instant)
at different posts, whatever the gap; history is never paired."""

from tests.solver.builders import build, duty, history, officer, report


def continuity(s, roster) -> int:
    return report(s, roster).score.continuity


def test_each_move_between_successive_duties_counts():
    roster = [
        duty("o1", "p1", "D", 0),
        duty("o1", "p2", "D", 1),
        duty("o1", "p2", "D", 2),
        duty("o1", "p1", "D", 4),
    ]
    assert continuity(build(), roster) == 2


def test_the_gap_between_duties_does_not_matter():
    assert continuity(build(), [duty("o1", "p1", "D", 0), duty("o1", "q1", "D", 6)]) == 1


def test_duties_are_ordered_by_start_instant_not_by_listing_or_post():
    # Start order: D day 0 (p2), N day 0 (p1), D day 2 (p1): one move. In (date, post) order it would be two.
    roster = [duty("o1", "p1", "D", 2), duty("o1", "p1", "N", 0), duty("o1", "p2", "D", 0)]
    assert continuity(build(), roster) == 1


def test_officers_are_not_paired_with_each_other():
    assert continuity(build(), [duty("o1", "p1", "D", 0), duty("o2", "p2", "D", 1)]) == 0


def test_history_is_never_paired():
    s = build(officers=[officer("o1", history=history(("D", -2), ("D", -1)))])
    assert continuity(s, [duty("o1", "p2", "D", 0)]) == 0


def test_a_duplicate_is_one_duty():
    assert (
        continuity(build(), [duty("o1", "p1", "D", 0), duty("o1", "p1", "D", 0), duty("o1", "p2", "D", 1)])
        == 1
    )


def test_the_weight_is_applied():
    roster = [duty("o1", "p1", "D", 0), duty("o1", "p2", "D", 1), duty("o1", "p1", "D", 2)]
    assert continuity(build(rules={"weights": {"continuity": 3}}), roster) == 3 * 2
    assert continuity(build(rules={"weights": {"continuity": 0}}), roster) == 0


def test_only_horizon_duties_are_paired():
    # The duty dated after the horizon is a no_coverage_slot violation, not a move.
    assert continuity(build(), [duty("o1", "p1", "D", 6), duty("o1", "p2", "D", 7)]) == 0
