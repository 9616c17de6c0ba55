"""overstaffing (v2): Σ over slots of over_weight × max(0, assigned − min)."""

from tests.solver.builders import build, coverage, duty, post, report

QUIET = {"min_rest_minutes": 0, "min_days_off_per_7_days": 0}


def scenario(over_weight: int = 3):
    return build(
        format=2,
        rules=QUIET,
        posts=[post("p1", cover=[coverage("D", min=1, max=3, over_weight=over_weight)])],
    )


def test_each_officer_above_min_costs_over_weight():
    s = scenario()
    roster = [duty(o, "p1", "D", 0) for o in ("o1", "o2", "o3")]
    score = report(s, roster).score
    assert score.overstaffing == 6
    assert score.total == score.shortfall + 6  # the other days of the week are short


def test_exactly_min_costs_nothing_and_short_slots_nothing():
    s = scenario()
    assert report(s, [duty("o1", "p1", "D", 0)]).score.overstaffing == 0
    assert report(s, []).score.overstaffing == 0


def test_weight_zero_by_default():
    s = build(posts=[post("p1", cover=[coverage("D", min=0, max=3)])])
    assert report(s, [duty("o1", "p1", "D", 6)]).score.overstaffing == 0
