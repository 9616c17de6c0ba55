"""Our large-neighbourhood search (`solver.solve.lns`) on converted Curtois & Qu instances: it
keeps a valid roster and never a worse one, stays within its time, obeys the stop flag, and
repeats exactly with one worker."""

from __future__ import annotations

import random
import threading
import time

import pytest
from ortools.sat.python import cp_model

from solver.check import check_assignments
from solver.domain import Scenario
from solver.greedy import greedy_roster
from solver.model.post import PostModel
from solver.rules import build
from solver.solve import SolveOptions, lns, solve
from solver.solve.cpsat import Clock
from tests.solver.builders import assert_checked, curtois


@pytest.fixture(scope="module")
def instance2() -> Scenario:
    return curtois("Instance2")


def start_of(scenario: Scenario) -> tuple[PostModel, list[int], int]:
    """The exact model and CP-SAT's first solution of it (every variable), with its score. (The
    greedy roster of these instances misses a minimum-run rule.)"""
    model = build(PostModel(scenario))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.stop_after_first_solution = True
    assert solver.solve(model.cp) in (cp_model.FEASIBLE, cp_model.OPTIMAL)
    values = list(solver.response_proto.solution)
    report = check_assignments(scenario, model.assignments_from(values))
    assert not report.violations
    return model, values, report.score.total


@pytest.mark.parametrize("workers", [1, 2])
def test_search_improves_a_first_roster_and_its_roster_keeps_every_rule(
    instance2: Scenario, workers: int
) -> None:
    model, start, score = start_of(instance2)
    options = SolveOptions(time_limit=3, workers=workers)
    reported: list[int] = []
    found = lns.search(
        model,
        start,
        score,
        2.5 if workers > 1 else 1.2,  # (one worker: deterministic seconds, slower on a loaded core)
        options,
        lambda o, b: reported.append(o) if o is not None else None,
        None,
        Clock(options, None),
    )
    assert found.values is not None and found.objective is not None
    assert found.objective < score  # a first solution is far from the optimum (828)
    assignments = model.assignments_from(found.values)
    report = check_assignments(instance2, assignments)
    assert not report.violations
    assert report.score.total == found.objective  # the model is exact: its objective is the score
    assert found.bound is not None and found.bound <= found.objective
    assert reported and min(reported) == found.objective


def test_neighbourhoods_free_officers_days_or_blocks_of_both(instance2: Scenario) -> None:
    model = build(PostModel(instance2))
    hoods = lns._Neighbourhoods(model, random.Random(1))
    cell_of = {var.index: (oid, key.date) for (oid, key), var in model.x.items()}
    for kind in lns.KINDS:
        hoods.size[kind] = 0.25
        free = hoods.pick(kind)
        officers = {cell_of[i][0] for i in free}
        days = sorted({cell_of[i][1] for i in free})
        assert free and len(free) < len(model.x)
        if kind == "officers":  # a quarter of the officers on every day
            assert len(officers) == 4 and len(days) == len(hoods.days)
        elif kind == "window":  # everyone on consecutive days
            assert officers == set(hoods.officers)
            assert len(days) == 4 and hoods.days.index(days[-1]) - hoods.days.index(days[0]) == 3
        else:  # half the officers on half the days
            assert len(officers) == 7 and len(days) == 7
        # every decision of an officer on a freed day is freed
        assert free == {i for i, (o, d) in cell_of.items() if o in officers and d in days}
    hoods.adapt("window", closed=True, improved=False)
    assert hoods.size["window"] == pytest.approx(0.25 * lns.GROW)
    hoods.adapt("officers", closed=False, improved=False)
    assert hoods.size["officers"] == pytest.approx(0.25 * lns.SHRINK)
    hoods.adapt("block", closed=False, improved=True)
    assert hoods.size["block"] == pytest.approx(0.25)


def test_solve_with_the_search_keeps_the_time_limit_and_a_checked_roster(instance2: Scenario) -> None:
    began = time.monotonic()
    roster = solve(instance2, SolveOptions(time_limit=3, workers=2, lns=True))
    assert time.monotonic() - began < 4.5  # the limit and a little for the referee
    assert roster.status in ("OPTIMAL", "FEASIBLE")
    assert_checked(instance2, roster)
    # better than the greedy roster (1,852). On an idle core the search reaches 831 or better
    # within 3 s, but a wall-time figure under the suite's parallel load is no test (one CI run
    # ended at 929); `python -m bench.curtois --lns` measures the quality
    greedy = check_assignments(instance2, greedy_roster(instance2)).score.total
    assert roster.objective is not None and roster.objective < greedy


def test_the_stop_flag_ends_the_search_with_the_best_roster_so_far(instance2: Scenario) -> None:
    flag = threading.Event()
    threading.Timer(1.5, flag.set).start()
    began = time.monotonic()
    roster = solve(instance2, SolveOptions(time_limit=30, workers=2, lns=True), should_stop=flag.is_set)
    assert time.monotonic() - began < 4.0
    assert roster.status in ("OPTIMAL", "FEASIBLE")
    assert_checked(instance2, roster)


def test_one_worker_repeats_the_same_roster() -> None:
    scenario = curtois("Instance1")
    first = solve(scenario, SolveOptions(time_limit=1.5, workers=1, seed=3, lns=True))
    again = solve(scenario, SolveOptions(time_limit=1.5, workers=1, seed=3, lns=True))
    assert first.assignments == again.assignments
    assert_checked(scenario, first)


def test_without_a_start_the_prover_finds_the_first_roster(instance2: Scenario) -> None:
    model = build(PostModel(instance2))
    options = SolveOptions(time_limit=2, workers=2)
    found = lns.search(model, None, None, 1.5, options, lambda o, b: None, None, Clock(options, None))
    assert found.values is not None and found.objective is not None
    report = check_assignments(instance2, model.assignments_from(found.values))
    assert not report.violations and report.score.total == found.objective


def test_without_a_start_a_first_roster_comes_from_the_whole_portfolio() -> None:
    """Instance 8's greedy roster misses a minimum rule, and one worker's search from its hint took
    29 s to a first roster; CP-SAT's portfolio (feasibility jump) finds one within a second."""
    scenario = curtois("Instance8")
    model = build(PostModel(scenario))
    options = SolveOptions(time_limit=4, workers=2)
    seen: list[int] = []
    began = time.monotonic()
    found = lns.search(
        model,
        None,
        None,
        3.0,
        options,
        lambda o, b: seen.append(o) if o is not None else None,
        None,
        Clock(options, None),
    )
    assert time.monotonic() - began < 4.5  # the first roster's time comes out of the 3 s
    assert found.values is not None and found.objective is not None
    report = check_assignments(scenario, model.assignments_from(found.values))
    assert not report.violations and report.score.total == found.objective
    assert seen  # (before: no roster at all within the 3 s)
