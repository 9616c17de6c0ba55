"""Our solver on converted benchmark instances: one slot per duty start, so the pipeline goes
straight to the exact model with the strong linear relaxation, which proves the optimum (one
worker: deterministic time, the same result on a loaded machine)."""

from __future__ import annotations

from pathlib import Path

from bench.curtois.__main__ import BEST_KNOWN, verdict
from solver.io.curtois import read_instance, schedule_from_assignments, to_scenario
from solver.io.load import scenario_from_dict
from solver.solve import SolveOptions, solve
from solver.solve.components import components
from solver.solve.options import Progress
from solver.solve.pipeline import _Part, _size
from tests.solver.builders import assert_checked

INSTANCES = Path(__file__).resolve().parents[2] / "bench" / "curtois" / "instances"


def test_instance2_is_solved_to_its_proven_optimum():
    inst = read_instance(INSTANCES / "Instance2.txt")
    scenario = scenario_from_dict(to_scenario(inst))
    (part,) = [_Part(c, _size(c)) for c in components(scenario)]
    assert part.direct  # one post per shift type: nobody to place
    seen: list[Progress] = []
    roster = solve(scenario, SolveOptions(time_limit=20, workers=1, seed=0), on_progress=seen.append)
    assert roster.status == "OPTIMAL"
    assert roster.objective == roster.bound == BEST_KNOWN["Instance2"].value
    assert_checked(scenario, roster)
    assert verdict(inst, schedule_from_assignments(inst, roster.assignments), roster.objective) == "ok"
    # every objective reported on the way is a real roster's (none below the optimum, no 0 before
    # the first roster)
    reported = [p.objective for p in seen if p.objective is not None]
    assert reported and min(reported) == roster.objective
