"""The referee at both ends of a solve: pins that cannot hold are reported before any search, a
roster the referee rejects is never returned."""

from __future__ import annotations

from dataclasses import replace

import pytest

from solver.check import check_assignments
from solver.domain import Assignment
from solver.io.load import load_scenario
from solver.solve import SolveOptions, solve
from solver.solve.checks import checked_roster, pin_conflicts
from solver.solve.cpsat import Clock
from solver.solve.options import SolverError
from tests.solver.builders import SMALL


def test_pins_that_break_rest_fail_fast_naming_pins_and_rule():
    s = load_scenario(SMALL)
    bad = replace(
        s,
        pinned=(
            *s.pinned,
            Assignment(date=s.pinned[0].date, shift="E", post="g30-east", officer=s.pinned[0].officer),
        ),
    )
    roster = solve(bad, SolveOptions(time_limit=5))
    assert roster.status == "INFEASIBLE"
    assert roster.assignments == ()
    assert roster.score is None
    (message,) = roster.extra["conflicts"]
    assert message.startswith("min_rest")
    assert "pinned[0]" in message and "pinned[1]" in message


def test_pin_against_history_is_reported():
    s = load_scenario(SMALL)
    night_owl = s.officer("gz-08")  # history: nights 11-05, 11-06, 11-07
    pinned = (Assignment(date=s.start, shift="N", post="g30-east", officer=night_owl.id),)
    message = pin_conflicts(replace(s, pinned=pinned))
    assert message and message[0].startswith("max_consecutive_nights")


def test_a_roster_the_referee_rejects_or_scores_otherwise_raises_solver_error():
    s = load_scenario(SMALL)
    clock = Clock(SolveOptions(), None)
    pin = s.pinned[0]
    twice = [pin, replace(pin, shift="E", post="g30-east")]  # 8 h after the pinned day shift ends
    with pytest.raises(SolverError, match="min_rest"):
        checked_roster(s, twice, 0, 0, clock)
    score = check_assignments(s, [pin]).score.total
    with pytest.raises(SolverError, match="differs from the referee's score"):
        checked_roster(s, [pin], score + 1, 0, clock)
    roster = checked_roster(s, [pin], score, score, clock)
    assert roster.status == "OPTIMAL" and roster.assignments == (pin,) and roster.objective == score
    assert len(roster.shortfalls) == len(check_assignments(s, [pin]).shortfalls)
    assert all(sf.reason for sf in roster.shortfalls)
