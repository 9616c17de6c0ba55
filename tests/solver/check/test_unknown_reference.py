"""unknown_reference: every officer, post and shift type an assignment names must exist."""

from tests.solver.builders import build, coverage, day, duty, found, post, report

RULE = "unknown_reference"


def test_each_kind_of_unknown_id_is_named():
    s = build()
    roster = [duty("ghost", "p1", "D", 0), duty("o1", "nowhere", "D", 1), duty("o2", "p1", "Z", 2)]
    assert found(s, roster) == [
        (RULE, "ghost", "p1", day(0)),
        (RULE, "o1", "nowhere", day(1)),
        (RULE, "o2", "p1", day(2)),
    ]
    messages = [v.message for v in report(s, roster).violations]
    assert messages == ["unknown officer 'ghost'", "unknown post 'nowhere'", "unknown shift type 'Z'"]


def test_all_unknown_ids_of_one_assignment_are_named_in_one_violation():
    s = build()
    (v,) = report(s, [duty("x", "y", "z", 0)]).violations
    assert (v.rule, v.message) == (RULE, "unknown officer 'x', post 'y', shift type 'z'")


def test_known_ids_are_fine_and_unknown_assignments_fill_no_slot():
    s = build(
        posts=[post("p1", cover=[coverage("D", min=1, max=1)])],
        horizon={"start": day(0).isoformat(), "days": 1},
    )
    assert found(s, [duty("o1", "p1", "D", 0)]) == []
    r = report(s, [duty("ghost", "p1", "D", 0)])
    assert [v.rule for v in r.violations] == [RULE]
    assert r.score.shortfall == 1000


def test_a_known_assignment_outside_the_horizon_is_not_an_unknown_reference():
    s = build()
    assert found(s, [duty("o1", "p1", "D", 9)]) == [("no_coverage_slot", "o1", "p1", day(9))]
