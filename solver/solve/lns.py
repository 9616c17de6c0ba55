"""Our large-neighbourhood search around CP-SAT, for the exact `PostModel` of a small part.

CP-SAT proves strong bounds on such a part (its `max_lp` worker) but, sharing few cores, finds
good rosters slowly. `search` keeps an incumbent (every variable's value) and repeatedly
re-solves the same model with most officers' duties fixed to it: a random set of officers, a
window of days for everyone, or some officers over a window, each neighbourhood's size adapted
to what a short sub-solve can close. Every sub-solve is the full model with narrowed domains,
so its objective is the part's exact objective and any roster it returns keeps every rule.

With two workers or more, one thread runs the bound-proving search on the full model (the
`max_lp` worker, `workers - PROVER_LEAVES` CP-SAT workers)
while our neighbourhoods run one worker in the calling thread; without an incumbent (the greedy
roster misses a v2 minimum rule) CP-SAT's whole portfolio first finds one (`_first_solution`). Each
side's better solutions become the incumbent, and the search ends once the incumbent meets the
proven bound. With one worker (deterministic time, the same roster for the
same seed) the two run one after the other: neighbourhoods first, then the full model hinted
with the incumbent for the rest of the budget.
"""

from __future__ import annotations

import math
import random
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ortools.sat.python import cp_model

from solver.model.post import PostModel
from solver.solve.cpsat import Clock, Outcome, hint_values, run_cp_sat, value
from solver.solve.options import SolveOptions, StopCheck


@dataclass
class Found:
    """What the search ends with: the best solution (every variable's value) and the bound."""

    status: str
    objective: int | None
    bound: int | None
    values: list[int] | None


SUB_SECONDS = 1.0
"""Time of one neighbourhood's sub-solve (wall, or deterministic with one worker)."""
START_SIZE = 0.15
"""First share of the decisions a neighbourhood frees (adapted per kind between the two below)."""
MIN_SIZE, MAX_SIZE = 0.02, 0.9
GROW, SHRINK = 1.25, 0.8
"""A sub-solve that proves its neighbourhood holds nothing better makes it larger; one that runs
out of time without improving makes it smaller."""
MEMORY = 0.95
"""How much of its past success a kind keeps per sub-solve, when choosing the next kind."""
SEQUENTIAL_SHARE = 0.6
"""With one worker: the share of the budget for the neighbourhoods before the full model."""

PROVER_LEAVES = 1
"""CP-SAT workers the bound-proving search leaves to the neighbourhoods' thread. 1 reached (and
proved) the optimum of Curtois & Qu Instances 4-5 within 60 s on 2 cores, but ended further from
it than CP-SAT alone on Instances 7-8; 0 (CP-SAT's own neighbourhoods beside max_lp, ours in
addition) was no better on the whole. Hence `SolveOptions.lns` is off by default."""

KINDS = ("officers", "window", "block")


class _Shared:
    """The incumbent both threads improve, and the best proven bound."""

    def __init__(self, objective: int | None, values: Sequence[int] | None) -> None:
        self.lock = threading.Lock()
        self.objective = objective
        self.values = list(values) if values is not None else None
        self.bound: int | None = None

    def offer(self, objective: int, values: Sequence[int]) -> bool:
        with self.lock:
            if self.objective is not None and objective >= self.objective:
                return False
            self.objective, self.values = objective, list(values)
            return True

    def raise_bound(self, bound: int) -> None:
        with self.lock:
            self.bound = bound if self.bound is None else max(self.bound, bound)

    def closed(self, gap: float) -> bool:
        with self.lock:
            if self.objective is None or self.bound is None:
                return False
            if self.objective <= self.bound:
                return True
            return gap > 0 and self.objective > 0 and (self.objective - self.bound) / self.objective <= gap


class _Neighbourhoods:
    """The decisions of a PostModel grouped by officer and date, and the adaptive sizes."""

    def __init__(self, model: PostModel, rng: random.Random) -> None:
        self.rng = rng
        cells: dict[str, dict[date, list[int]]] = defaultdict(lambda: defaultdict(list))
        for (oid, key), var in model.x.items():
            cells[oid][key.date].append(var.index)
        self.cells = cells
        self.officers = sorted(cells)
        self.days = sorted({d for by_day in cells.values() for d in by_day})
        self.size = dict.fromkeys(KINDS, START_SIZE)
        self.tries = dict.fromkeys(KINDS, 0.0)
        self.gains = dict.fromkeys(KINDS, 0.0)

    def choose(self) -> str:
        """A kind, drawn by its recent rate of improving the incumbent (never zero)."""
        weights = [(self.gains[k] + 1.0) / (self.tries[k] + 2.0) for k in KINDS]
        return self.rng.choices(KINDS, weights)[0]

    def pick(self, kind: str) -> set[int]:
        """The variables a neighbourhood of `kind` frees (all others get the incumbent's value)."""
        size = self.size[kind]
        officers: Sequence[str] = self.officers
        days: Sequence[date] = self.days
        if kind == "officers":
            officers = self._some(self.officers, size)
        elif kind == "window":
            days = self._window(size)
        else:  # some officers over a window: each side the square root of the share
            side = math.sqrt(size)
            officers, days = self._some(self.officers, side), self._window(side)
        free: set[int] = set()
        for oid in officers:
            by_day = self.cells[oid]
            for d in days:
                free.update(by_day.get(d, ()))
        return free

    def _some(self, items: Sequence[str], share: float) -> list[str]:
        k = max(1, min(len(items), math.ceil(share * len(items))))
        return self.rng.sample(list(items), k)

    def _window(self, share: float) -> Sequence[date]:
        width = max(1, min(len(self.days), math.ceil(share * len(self.days))))
        first = self.rng.randrange(len(self.days) - width + 1)
        return self.days[first : first + width]

    def adapt(self, kind: str, closed: bool, improved: bool) -> None:
        # success rates with a fading memory, so that the mix of kinds follows the search
        for k in KINDS:
            self.tries[k] *= MEMORY
            self.gains[k] *= MEMORY
        self.tries[kind] += 1.0
        self.gains[kind] += 1.0 if improved else 0.0
        if closed and not improved:
            self.size[kind] = min(MAX_SIZE, self.size[kind] * GROW)
        elif not closed and not improved:
            self.size[kind] = max(MIN_SIZE, self.size[kind] * SHRINK)


def search(
    model: PostModel,
    start: Sequence[int] | None,
    start_objective: int | None,
    seconds: float,
    options: SolveOptions,
    on_improve: Callable[[int | None, int | None], None],
    should_stop: StopCheck | None,
    clock: Clock,
) -> Found:
    """Improve `start` (every variable's value, a solution of `model`; None: the full model finds
    the first one) for `seconds`, proving a bound at the same time. `model` is solved as it is
    (its hints included) for the bound; the neighbourhoods run on a copy of it."""
    shared = _Shared(start_objective, start)

    def stopped() -> bool:
        return should_stop is not None and should_stop()

    def on_solution(objective: int, values: Sequence[int]) -> None:
        shared.offer(objective, values)

    def report(objective: int | None, bound: int | None) -> None:
        if bound is not None:
            shared.raise_bound(bound)
        on_improve(objective, bound)

    if shared.values is None and not clock.deterministic:
        began = clock.elapsed()
        _first_solution(model, shared, seconds, options, report, should_stop)
        seconds = max(0.0, seconds - (clock.elapsed() - began))
    if clock.deterministic:
        lns_seconds = seconds * SEQUENTIAL_SHARE
        began = clock.elapsed()
        _neighbourhoods(model, shared, lns_seconds, options, report, stopped, clock, done=lambda: False)
        if shared.values is not None:
            hint_values(model.cp, shared.values)
        rest = max(0.0, seconds - (clock.elapsed() - began))
        out = run_cp_sat(
            model, rest, options, report, should_stop, clock=clock, strong_lp=True, on_solution=on_solution
        )
        return _found(model, shared, out)

    finished = threading.Event()
    result: list[Outcome] = []

    def prove() -> None:
        try:
            result.append(
                run_cp_sat(
                    model,
                    seconds,
                    options,
                    report,
                    lambda: stopped() or shared.closed(options.relative_gap),
                    strong_lp=True,
                    workers=max(1, options.workers - PROVER_LEAVES),
                    on_solution=on_solution,
                )
            )
        finally:
            finished.set()

    prover = threading.Thread(target=prove, daemon=True)
    prover.start()
    try:
        _neighbourhoods(model, shared, seconds, options, report, stopped, clock, done=finished.is_set)
    finally:
        prover.join()
    return _found(model, shared, result[0] if result else Outcome("UNKNOWN", None, None))


def _first_solution(
    model: PostModel,
    shared: _Shared,
    seconds: float,
    options: SolveOptions,
    report: Callable[[int | None, int | None], None],
    should_stop: StopCheck | None,
) -> None:
    """A first roster when the greedy one misses a v2 minimum rule, from CP-SAT's whole portfolio:
    its feasibility jump finds one on Curtois & Qu Instance 8 in 0.2 s, where one worker's search
    from the greedy hint took 29 s of the 60."""
    found = run_cp_sat(model, seconds, options, report, should_stop, first_only=True)
    if found.solver is not None and found.objective is not None:
        shared.offer(found.objective, found.solver.response_proto.solution)


def _found(model: PostModel, shared: _Shared, out: Outcome) -> Found:
    if out.status == "INFEASIBLE":
        return Found("INFEASIBLE", None, None, None)
    if out.solver is not None and out.objective is not None:
        shared.offer(out.objective, out.solver.response_proto.solution)
    if out.bound is not None:
        shared.raise_bound(out.bound)
    if shared.values is None or shared.objective is None:
        return Found(out.status, None, shared.bound, None)
    bound = min(shared.objective, shared.bound) if shared.bound is not None else None
    status = "OPTIMAL" if bound == shared.objective else "FEASIBLE"
    return Found(status, shared.objective, bound, shared.values)


def _neighbourhoods(
    model: PostModel,
    shared: _Shared,
    seconds: float,
    options: SolveOptions,
    report: Callable[[int | None, int | None], None],
    stopped: StopCheck,
    clock: Clock,
    done: Callable[[], bool],
) -> None:
    """Sub-solves on a copy of `model` until `seconds` pass, `done()`, a stop, or the bound is met.
    Without an incumbent, first searches for one from the model's hint (the greedy roster)."""
    began = clock.elapsed()
    rng = random.Random(options.seed)
    hoods = _Neighbourhoods(model, rng)
    if not hoods.officers:
        return
    copy = model.cp.clone()
    proto = copy.proto
    variables = [proto.variables[i] for i in range(len(proto.variables))]
    x_indices = sorted({var.index for var in model.x.values()})
    original = {
        i: (variables[i].domain[0], variables[i].domain[len(variables[i].domain) - 1]) for i in x_indices
    }
    objective = model.objective

    def left() -> float:
        return seconds - (clock.elapsed() - began)

    def sub_solve(first: bool) -> tuple[Any, cp_model.CpSolver]:
        """One CP-SAT run on the copy, one worker; `first`: until a first solution only."""
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.num_workers = 1
        p.random_seed = rng.randrange(1 << 30)
        p.symmetry_level = 0
        p.cp_model_probing_level = 0
        p.stop_after_first_solution = first
        step = max(0.05, left()) if first else min(SUB_SECONDS, max(0.05, left()))
        if clock.deterministic:
            p.max_deterministic_time = step
        else:
            p.max_time_in_seconds = step
        status = solver.solve(copy)
        if clock.deterministic:  # (at least a little per step, so that the loop always ends)
            clock.spent += max(solver.deterministic_time, 1e-3)
        return status, solver

    while left() > 0.05 and not done() and not stopped() and not shared.closed(options.relative_gap):
        with shared.lock:
            incumbent = shared.values
            best = shared.objective
        if incumbent is None or best is None:
            # No roster yet (the greedy one misses a v2 minimum rule): a first one from the hint
            # of the greedy roster, with CP-SAT's light search (the prover's is slow to find one).
            status, solver = sub_solve(first=True)
            if status == cp_model.INFEASIBLE:
                return
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                found = value(solver, objective)
                if shared.offer(found, solver.response_proto.solution):
                    report(found, None)
            continue
        kind = hoods.choose()
        free = hoods.pick(kind)
        for i in x_indices:
            if i not in free:
                variables[i].domain[0] = variables[i].domain[1] = incumbent[i]
        hint_values(copy, incumbent)
        status, solver = sub_solve(first=False)
        for i in x_indices:
            variables[i].domain[0], variables[i].domain[1] = original[i]
        improved = False
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = value(solver, objective)
            if found < best and shared.offer(found, solver.response_proto.solution):
                improved = True
                report(found, None)
        hoods.adapt(kind, status == cp_model.OPTIMAL, improved)
