"""Rebalancing a large part's first roster: a single-unit job improves on its greedy roster."""

from __future__ import annotations

import pytest

from data.generate_zhangye import generate
from solver.check import check_assignments
from solver.domain import Scenario
from solver.greedy import greedy_roster
from solver.io.load import scenario_from_dict
from solver.solve import SolveOptions, pipeline, solve
from solver.solve.components import components
from solver.solve.rebalance import rebalance
from tests.solver.builders import assert_checked


@pytest.fixture(scope="module")
def county() -> Scenario:
    """One county brigade of a generated city of another seed than the sample's (70 officers)."""
    city = scenario_from_dict(generate(seed=7))
    return next(p for p in components(city) if {u.id for u in p.units} == {"linze"})


def test_rebalance_lowers_the_greedy_score_and_keeps_every_rule(county):
    first = greedy_roster(county)
    before = check_assignments(county, first)
    moved = rebalance(county, first, max_evaluations=20_000)
    after = check_assignments(county, moved)
    assert not after.violations
    assert after.score.total < before.score.total
    assert after.score.fairness < before.score.fairness
    assert rebalance(county, first, max_evaluations=20_000) == moved  # deterministic


def test_rebalance_without_budget_keeps_the_roster(county):
    first = greedy_roster(county)
    assert rebalance(county, first, max_evaluations=0) == sorted(first)


def test_a_large_single_unit_part_improves_on_its_first_roster(county, monkeypatch):
    # the part is above the exact model's threshold, as a city's large units are
    monkeypatch.setattr(pipeline, "POLISH_LIMIT", 1_000)
    greedy = check_assignments(county, greedy_roster(county)).score.total
    roster = solve(county, SolveOptions(time_limit=1, workers=1))
    assert_checked(county, roster)
    assert roster.objective is not None and roster.objective < greedy
