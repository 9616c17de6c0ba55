"""Running CP-SAT on a roster model: parameters, the watch that reports and stops, the clock of
the time budget, and hints from a roster or a solution."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from solver.domain import Assignment, SlotKey
from solver.model.base import RosterModel
from solver.model.post import PostModel
from solver.model.shift import Kind, ShiftModel
from solver.solve.options import Progress, ProgressCallback, SolveOptions, StopCheck


@dataclass
class Outcome:
    status: str
    objective: int | None
    bound: int | None
    solver: cp_model.CpSolver | None = None


SolutionHook = Callable[[int, Sequence[int]], None]
"""Called with each solution's objective and its value of every variable (by proto index)."""


class _Watch(cp_model.CpSolverSolutionCallback):
    """Reports improvements and stops the search on request or once the gap is small enough."""

    def __init__(
        self,
        report: Callable[[int | None, int | None], None],
        gap: float,
        on_solution: SolutionHook | None = None,
    ) -> None:
        super().__init__()
        self.report = report
        self.gap = gap
        self.on_solution = on_solution

    def on_solution_callback(self) -> None:
        objective = round(self.objective_value)
        bound = _ceil(self.best_objective_bound)
        if self.on_solution is not None:
            self.on_solution(objective, self.response_proto.solution)
        self.report(objective, bound)
        if self.gap > 0 and objective > 0 and (objective - bound) / objective <= self.gap:
            self.stop_search()


def _ceil(value: float) -> int:
    rounded = round(value)
    return rounded if abs(value - rounded) < 1e-6 else int(-(-value // 1))


_STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}


STRONG_LP_IGNORED = ("ls", "feasibility_pump", "graph_arc_lns", "graph_dec_lns")
"""CP-SAT's interleaved subsolvers left out beside `max_lp` (a `strong_lp` search on two workers
or more), so that its best neighbourhoods (rins/rens on the `max_lp` relaxation, the random and
the constraint-graph ones) get their time. Measured on Curtois & Qu Instances 7 and 8 (60 s, 2
workers, seeds 0-2, 2026-12-06): Instance 8 1,318 / 1,427 / 1,317 against 1,418 / 1,617 / 1,603
with all of them (the 1,617 run shared the cores with a short test run), Instance 7 1,057 / 1,061 /
1,059 against 1,069 / 1,059 / 1,064. Leaving out the random-constraint one as well, or the two
graph ones that stay, made Instance 8 worse (1,416-1,517 and 1,408-1,427)."""


def run_cp_sat(
    model: RosterModel,
    seconds: float,  # 0: do not run
    options: SolveOptions,
    on_improve: Callable[[int | None, int | None], None] | None = None,
    should_stop: StopCheck | None = None,
    clock: Clock | None = None,
    strong_lp: bool = False,
    workers: int | None = None,
    on_solution: SolutionHook | None = None,
    first_only: bool = False,
    cp: cp_model.CpModel | None = None,
) -> Outcome:
    """Solve `model` for at most `seconds`. `strong_lp`: the full-problem worker linearises every
    constraint (CP-SAT's `max_lp`), for small models whose bound matters (a search that can prove
    optimality); the other workers stay on CP-SAT's large-neighbourhood search. `workers`: fewer
    CP-SAT workers than the options' (a search sharing the cores with another); the time stays
    wall time unless the options ask for one worker (deterministic). `first_only`: stop at the
    first solution. `cp`: solve this copy of `model.cp` instead (the same variables, some of
    their domains narrowed: a neighbourhood)."""
    if seconds <= 0:
        return Outcome("UNKNOWN", None, None, None)
    solver = cp_model.CpSolver()
    p = solver.parameters
    own = max(1, options.workers if workers is None else workers)
    p.num_workers = own
    if not strong_lp:
        # Our models are rebuilt and re-solved many times: a light presolve (no symmetry detection,
        # one pass, no probing) reaches the first improving solutions several times sooner. (A
        # small model solved once for its bound gets CP-SAT's full presolve.)
        p.symmetry_level = 0
        p.max_presolve_iterations = 1
        p.cp_model_probing_level = 0
    p.random_seed = options.seed
    p.stop_after_first_solution = first_only
    p.log_search_progress = options.log
    if strong_lp:
        if own == 1:
            p.linearization_level = 2
        else:
            p.subsolvers.append("max_lp")
            p.ignore_subsolvers.extend(STRONG_LP_IGNORED)
    if options.workers == 1:  # deterministic: see Clock
        p.max_deterministic_time = max(seconds, 0.05)
    else:
        p.max_time_in_seconds = max(seconds, 0.05)
    if options.relative_gap > 0:
        p.relative_gap_limit = options.relative_gap

    def report(objective: int | None, bound: int | None) -> None:
        if on_improve is not None:
            on_improve(objective, bound)

    watch = _Watch(report, options.relative_gap, on_solution)
    solver.best_bound_callback = lambda bound: report(None, _ceil(bound))
    finished = threading.Event()
    watchdog = None
    if should_stop is not None:

        def poll() -> None:
            while not finished.wait(0.1):
                if should_stop():
                    solver.stop_search()
                    return

        watchdog = threading.Thread(target=poll, daemon=True)
        watchdog.start()
    try:
        status = solver.solve(model.cp if cp is None else cp, watch)
    finally:
        finished.set()
        if watchdog is not None:
            watchdog.join()
    if clock is not None:
        clock.spent += solver.deterministic_time
    name = _STATUS.get(status, "UNKNOWN")
    if name in ("OPTIMAL", "FEASIBLE"):
        # The objective of the solution returned, evaluated on its values: when the search stops
        # on its time limit, `objective_value` can belong to an earlier, worse solution.
        objective = value(solver, model.objective)
        return Outcome(name, objective, min(objective, _ceil(solver.best_objective_bound)), solver)
    return Outcome(name, None, None, None)


def value(solver: cp_model.CpSolver, expr: Any) -> int:
    return int(expr) if isinstance(expr, int) else int(solver.value(expr))


class Clock:
    """The solve's time budget. With one worker it counts CP-SAT's deterministic time only, so
    every decision of the pipeline, and so the roster, repeats exactly for the same seed."""

    def __init__(self, options: SolveOptions, on_progress: ProgressCallback | None) -> None:
        self.started = time.monotonic()
        self.options = options
        self.deterministic = options.workers == 1
        self.spent = 0.0  # deterministic seconds used by CP-SAT so far
        self.on_progress = on_progress
        self.last: tuple[int | None, int | None] = (None, None)

    def wall(self) -> float:
        return time.monotonic() - self.started

    def elapsed(self) -> float:
        return self.spent if self.deterministic else self.wall()

    def left(self) -> float:
        """Seconds left for search, keeping back a little for checking and explaining the roster."""
        finishing = min(0.5, 0.05 * self.options.time_limit)
        return max(0.0, self.options.time_limit - finishing - self.elapsed())

    def report(
        self, objective: int | None, bound: int | None, phase: str, done: float, force: bool = False
    ) -> None:
        if self.on_progress is not None and (force or (objective, bound) != self.last):
            self.last = (objective, bound)
            self.on_progress(Progress(self.wall(), objective, bound, phase, done))


def hint_work(model: RosterModel, assignments: Iterable[Assignment], complete: float = 2.0) -> bool:
    """Hint a model with a roster: its working times, and its placements (a PostModel) or the head
    count per kind and slot (a ShiftModel); then let CP-SAT complete the hint for every helper
    variable (within `complete` seconds), since a partial hint is often lost in the search.
    Returns whether the hint is now complete: a solution, every variable by proto index."""
    assignments = list(assignments)
    working = {(a.officer, (a.shift, a.date)) for a in assignments}
    for o in model.officers:
        for t, lit in model.works(o.id):
            model.cp.add_hint(lit, (o.id, t.key) in working)
    if isinstance(model, PostModel):
        placed = {(a.officer, a.slot_key) for a in assignments}
        for (oid, slot_key), lit in model.x.items():
            model.cp.add_hint(lit, (oid, slot_key) in placed)
    elif isinstance(model, ShiftModel):
        counts: dict[tuple[Kind, SlotKey], int] = defaultdict(int)
        for a in assignments:
            counts[(model.kind_of[a.officer], a.slot_key)] += 1
        for key, var in model.n.items():
            model.cp.add_hint(var, counts.get(key, 0))
    return complete > 0 and complete_hint(model, complete)


def hint_from_solution(model: RosterModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable of a model with its value in the last solution of `solver`."""
    cp = model.cp
    variables = [cp.get_int_var_from_proto_index(i) for i in range(len(cp.proto.variables))]
    values = [solver.value(v) for v in variables]
    cp.clear_hints()
    for var, v in zip(variables, values, strict=True):
        cp.add_hint(var, v)


def complete_hint(model: RosterModel, seconds: float) -> bool:
    """Replace a partial hint by a complete solution that agrees with it, when one is found fast."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.max_deterministic_time = seconds  # (not wall time: the same hint every run)
    solver.parameters.num_workers = 1
    solver.parameters.stop_after_first_solution = True
    if solver.solve(model.cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    hint_from_solution(model, solver)
    return True


def hint_values(cp: cp_model.CpModel, values: Sequence[int], indices: Iterable[int] | None = None) -> None:
    """Hint `cp`'s variables at `indices` (by proto index; every variable when None) with `values`,
    straight on the proto (a copy being narrowed for a neighbourhood has no Python variables)."""
    hint = cp.proto.solution_hint
    hint.vars.clear()
    hint.values.clear()
    hint.vars.extend(range(len(values)) if indices is None else indices)
    hint.values.extend(values)
