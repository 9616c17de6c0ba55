"""Column generation (`solver.solve.columns`): a proven bound, schedules that keep every rule of
their officer, rosters the referee scores as the search claims, and where it applies."""

from __future__ import annotations

import dataclasses
import math
import time

import pytest

from solver.check import check_assignments
from solver.domain import Assignment, Group, Scenario
from solver.model.base import Penalty
from solver.model.post import PostModel
from solver.rules import build
from solver.solve import SolveOptions, columns, solve
from solver.solve.cpsat import Clock
from tests.solver.builders import assert_checked, curtois


@pytest.fixture(scope="module")
def instance2() -> Scenario:
    return curtois("Instance2")


def test_the_root_bound_is_proven_and_on_instance_2_meets_the_optimum(instance2: Scenario) -> None:
    bounds: list[float] = []
    master = columns.ColumnLP(instance2, threads=2)
    root = master.generate(time.monotonic() + 60, lambda: False, bounds.append)
    assert root.converged and root.bound is not None and root.columns > 0
    assert bounds == sorted(bounds) and bounds[-1] == root.bound  # reported as it rises
    assert root.bound <= root.lp + 1e-6
    assert math.ceil(root.bound - 1e-6) == 828  # the published optimum, proven


def test_the_bound_stays_below_the_optimum_where_the_lp_is_weak() -> None:
    # Instance 1 (one shift type): the LP of the columns is 558, the optimum 607
    master = columns.ColumnLP(curtois("Instance1"), threads=1)
    root = master.generate(time.monotonic() + 60, lambda: False, lambda b: None)
    assert root.converged and root.bound is not None and root.bound <= 607


def test_every_column_keeps_its_officers_hard_rules(instance2: Scenario) -> None:
    master = columns.ColumnLP(instance2, threads=2)
    master.generate(time.monotonic() + 60, lambda: False, lambda b: None)
    heaviest = master.heaviest()
    assert set(heaviest) == {o.id for o in instance2.officers}
    roster = [Assignment(k.date, k.shift, k.post, oid) for oid, keys in heaviest.items() for k in keys]
    report = check_assignments(instance2, roster)
    assert not report.violations  # cover is soft: any column per officer makes a roster
    weights = master.weights()
    assert all(0 < w <= 1 + 1e-6 for w in weights.values())


@pytest.mark.parametrize("with_start", [False, True])
def test_search_finds_a_roster_the_referee_scores_as_claimed(instance2: Scenario, with_start: bool) -> None:
    model = build(PostModel(instance2))
    options = SolveOptions(time_limit=20, workers=2)
    start, start_objective = None, None
    if with_start:
        first = columns.run_cp_sat(model, 5, options, first_only=True)
        assert first.solver is not None
        start, start_objective = list(first.solver.response_proto.solution), first.objective
    reported: list[tuple[int | None, int | None]] = []
    found = columns.search(
        model,
        start,
        start_objective,
        15,
        options,
        lambda o, b: reported.append((o, b)),
        None,
        Clock(options, None),
    )
    assert found.values is not None and found.objective is not None and found.bound is not None
    report = check_assignments(instance2, model.assignments_from(found.values))
    assert not report.violations and report.score.total == found.objective
    assert found.bound <= found.objective
    objectives = [o for o, _ in reported if o is not None]
    assert objectives and min(objectives) == found.objective


def test_it_applies_only_where_every_soft_term_but_cover_belongs_to_one_officer(instance2: Scenario) -> None:
    model = build(PostModel(instance2))
    assert columns.separable(model)
    # a unit's fairness term couples its officers (the benchmark's officers all have days off, so
    # none of them counts for fairness: the term is added by hand here)
    spread = model.cp.new_int_var(0, 14, "spread")
    model.add_penalties([Penalty("fairness", 2, spread, "spread of duties", unit="u")])
    assert not columns.separable(model)
    grouped = dataclasses.replace(instance2, groups=(Group("g", "g", (instance2.officers[0].id,)),))
    assert not columns.separable(PostModel(grouped))  # duty groups couple their members


def test_solve_proves_instance_2_optimal_with_the_bound_of_the_columns(instance2: Scenario) -> None:
    began = time.monotonic()
    roster = solve(instance2, SolveOptions(time_limit=30, workers=2))
    assert roster.status == "OPTIMAL" and roster.objective == 828 and roster.bound == 828
    assert_checked(instance2, roster)
    # it ends once the roster meets the bound (about 2 s on an idle machine), not at the limit
    assert time.monotonic() - began < 25


def test_one_worker_leaves_the_columns_out(instance2: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("column generation runs on the wall clock: not with one worker")

    monkeypatch.setattr(columns, "search", refuse)
    roster = solve(instance2, SolveOptions(time_limit=1, workers=1))
    assert roster.status in ("OPTIMAL", "FEASIBLE")
    assert_checked(instance2, roster)
