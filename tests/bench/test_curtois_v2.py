"""The converter is exact: on the converted scenario, the referee (`roster check`'s
`check_assignments`) and the benchmark's own evaluator agree on every roster, feasible or not.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.curtois.evaluate import evaluate
from bench.curtois.plain import solve_plain
from solver.check import check_assignments
from solver.domain import Assignment
from solver.io.curtois import CurtoisInstance, Schedule, assignments_from_schedule, read_instance, to_scenario
from solver.io.load import scenario_from_dict

INSTANCES = Path(__file__).resolve().parents[2] / "bench" / "curtois" / "instances"

SPEC_RULE = {
    "day_off": "unavailable",
    "cannot_follow": "forbidden_succession",
    "max_shifts": "max_duties_by_shift",
    "max_total_minutes": "max_minutes_per_horizon",
    "min_total_minutes": "min_minutes_per_horizon",
    "max_consecutive_shifts": "max_consecutive_days",
    "min_consecutive_shifts": "min_consecutive_days",
    "min_consecutive_days_off": "min_consecutive_days_off",
    "max_weekends": "max_weekends",
}
"""The evaluator's rule → the scenario format's rule id."""


def load(inst: CurtoisInstance) -> Any:
    return scenario_from_dict(to_scenario(inst))


def referee(
    scenario: Any, inst: CurtoisInstance, schedule: Schedule
) -> tuple[int, set[tuple[str, str | None]]]:
    assignments = [
        Assignment(date.fromisoformat(a["date"]), a["shift"], a["post"], a["officer"])
        for a in assignments_from_schedule(inst, schedule)
    ]
    report = check_assignments(scenario, assignments)
    return report.score.total, {(v.rule, v.officer) for v in report.violations}


def perturbed(inst: CurtoisInstance, schedule: Schedule, rng: random.Random) -> Schedule:
    out = dict(schedule)
    choices: list[str | None] = [None, *(s.id for s in inst.shifts)]
    for _ in range(rng.randint(1, 8)):
        key = (rng.choice(inst.staff).id, rng.randrange(inst.days))
        shift = rng.choice(choices)
        if shift is None:
            out.pop(key, None)
        else:
            out[key] = shift
    return out


@pytest.mark.parametrize("name", [f"Instance{i}" for i in range(1, 9)])
def test_published_instances_load(name: str) -> None:
    scenario = load(read_instance(INSTANCES / f"{name}.txt"))
    assert scenario.days == read_instance(INSTANCES / f"{name}.txt").days


@pytest.mark.parametrize("name", ["Instance1", "Instance2", "Instance3", "Instance8"])
def test_referee_agrees_with_the_benchmark(name: str) -> None:
    inst = read_instance(INSTANCES / f"{name}.txt")
    scenario = load(inst)
    base = solve_plain(inst, 1.0).schedule
    rng = random.Random(name)
    schedules = [base, {}, *(perturbed(inst, base, rng) for _ in range(40))]
    kinds: set[str] = set()
    for schedule in schedules:
        ev = evaluate(inst, schedule)
        total, violations = referee(scenario, inst, schedule)
        assert total == ev.objective, solution_diff(schedule, base)
        assert violations == {(SPEC_RULE[v.rule], v.employee) for v in ev.violations}
        kinds |= {v.rule for v in ev.violations}
    assert len(kinds) >= 3  # the perturbations did break rules


def solution_diff(schedule: Schedule, base: Schedule) -> str:
    changed = sorted(k for k in set(schedule) | set(base) if schedule.get(k) != base.get(k))
    return f"cells changed from the plain schedule: {changed}"
