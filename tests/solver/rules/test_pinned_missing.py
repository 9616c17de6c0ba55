from ortools.sat.python import cp_model

from solver.domain import SlotKey
from solver.rules import build
from tests.solver.rules.harness import MODELS, day, duty, feasible, load, referee, world

RULE = "pinned_missing"


def _doc():
    return world(pinned=[{"officer": "a", "post": "p2", "shift": "D", "date": day(0).isoformat()}])


def test_pinned_duty_is_in_every_roster(kind):
    m = build(MODELS[kind](load(_doc())), only=[RULE])
    solver = cp_model.CpSolver()
    assert solver.solve(m.cp) == cp_model.OPTIMAL
    assert solver.boolean_value(m.work("a", ("D", day(0))))
    lit = m.placement("a", SlotKey("p2", "D", day(0)))
    if lit is not None:
        assert solver.boolean_value(lit)


def test_a_roster_without_the_pinned_duty_breaks_the_rule():
    assert referee(_doc(), [duty("a", "p1", "D", 0)], RULE)
    assert not referee(_doc(), [duty("a", "p2", "D", 0)], RULE)


def test_pinned_duty_and_an_overlapping_duty_are_infeasible(kind):
    roster = [duty("a", "p1", "L", 0)]  # 06:00-18:00 overlaps the pinned D 08:00-16:00
    assert not feasible(kind, _doc(), roster, [RULE, "overlap"])
    assert feasible(kind, world(), roster, [RULE, "overlap"])
    assert feasible(kind, _doc(), roster, [RULE])
