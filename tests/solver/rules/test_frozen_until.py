from tests.solver.rules.harness import day, duty, feasible, referee, world

RULE = "frozen_until"


def _doc(cut: str = "2021-11-09T12:00"):
    pins = [{"officer": "a", "post": "p1", "shift": "D", "date": day(1).isoformat()}]
    return world(frozen_until=cut, pinned=pins)


def test_nothing_new_starts_before_the_cut(kind):
    roster = [duty("b", "p1", "D", 1)]
    assert referee(_doc(), roster, RULE)
    assert not feasible(kind, _doc(), roster, [RULE, "pinned_missing"])


def test_pinned_duties_before_the_cut_and_duties_after_it_are_feasible(kind):
    roster = [duty("a", "p1", "D", 1), duty("b", "p1", "D", 2)]
    assert not referee(_doc(), roster, RULE)
    assert feasible(kind, _doc(), roster, [RULE, "pinned_missing"])


def test_a_duty_starting_exactly_at_the_cut_is_feasible(kind):
    roster = [duty("b", "p1", "E", 1)]  # 16:00
    assert feasible(kind, _doc("2021-11-09T16:00"), roster, RULE)
