"""Fixtures shared by the solver tests."""

from __future__ import annotations

import pytest

from solver.domain import Assignment, Scenario
from solver.io.load import load_scenario
from solver.solve import SolveOptions, solve
from tests.solver.builders import SMALL


@pytest.fixture(scope="session")
def small_roster() -> tuple[Scenario, tuple[Assignment, ...]]:
    """The small example and a roster the solver gives it (2 s)."""
    s = load_scenario(SMALL)
    return s, solve(s, SolveOptions(time_limit=2)).assignments
