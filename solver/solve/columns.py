"""Column generation for a direct part whose soft terms, cover aside, each belong to one officer
(the shape of the Curtois & Qu benchmark): a far stronger bound than the compact model's, and
rosters found in the neighbourhoods that its relaxation points to.

The master LP (GLOP) gives each officer a convex combination of whole schedules (columns) and
pays the cover terms of every slot (missing officers, and officers above the minimum where
over-staffing costs). An officer's pricing problem is the exact `PostModel` of a scenario with
that officer alone: every hard rule of the catalogue, the officer's own soft terms, and the
slots' duals in place of the cover terms (CP-SAT, one worker each, the officers on `workers`
threads). With every pricing problem solved to optimality, the LP value plus each officer's
most negative reduced cost is a proven lower bound of the part (Lagrangian), at any iteration.

Then the search (`search`): the exact model with every duty that the root LP gives weight at least
`FIX_AT` fixed, hinted with each officer's heaviest column, is solved first (a small problem:
CP-SAT usually proves its optimum within seconds); then neighbourhoods of the incumbent, each
fixing a random share of its duties that the root LP supports (weight at least `SUPPORTED`), the
share adapted to what a sub-solve can close. Every sub-solve is the part's exact model with
narrowed domains, so its objective is the part's objective and its roster keeps every rule.

Measured on 2026-12-07 (Intel Xeon, 2 cores; `python -m bench.curtois.colgen` for the bound,
`python -m bench.curtois` for the rosters): the bound proves Instances 2-4 optimal within 2.5 s
and gives 1,297 on Instance 8 after 19 s (CP-SAT's `max_lp` proved 1,261 in 60 s).
"""

from __future__ import annotations

import dataclasses
import math
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from solver.domain import Officer, Scenario, SlotKey
from solver.model.base import Expr
from solver.model.post import PostModel
from solver.rules import RULES, build
from solver.solve.cpsat import Clock, hint_values, run_cp_sat
from solver.solve.lns import Found
from solver.solve.options import SolveOptions, StopCheck

COVER_TERMS = ("shortfall", "overstaffing")
OWN_TERMS = ("requests", "continuity", "changes")
"""Soft terms that belong to one officer each (the others couple officers: no columns then)."""
SCALE = 100_000
"""The duals are scaled by this and rounded for CP-SAT's integer objective; the bound allows for
the rounding (half a unit per duty an officer could work)."""
ARTIFICIAL = 1e6
"""Cost of each officer's artificial column, which keeps the LP feasible before real ones exist."""
PRICING = {"linearization_level": 2, "max_presolve_iterations": 1, "symmetry_level": 0}
"""One pricing solve on Instance 8: about 25 ms (the default parameters: 55 ms)."""
PRICING_SECONDS = 10.0

ROOT_SHARE = 0.5
"""At most this share of the search's seconds for the root LP."""
FIX_AT = 0.8
"""The first sub-solve fixes every duty with at least this weight in the root LP (Instance 8:
about 300 of 840; 0.99 left a problem CP-SAT did not close in 25 s, 0.6 one far from the best)."""
FIRST_SHARE = 0.25
"""At most this share of the seconds left after the root for the first sub-solve."""
SUPPORTED = 0.5
KEEP, KEEP_MIN, KEEP_MAX = 0.7, 0.1, 0.95
"""The share of the incumbent's supported duties a neighbourhood fixes: smaller when a sub-solve
proves there is nothing better in it, larger when it runs out of time."""
SUB_SECONDS = 6.0
STALL_SHARE, STALL_ROUNDS = 0.15, 10
"""The neighbourhoods end once this share of the search's seconds and this many sub-solves have
passed without a better roster (the rest of the part's time goes to CP-SAT's full search, which
can prove optimality: Curtois & Qu Instance 6 reached 1,950 at 50 s with 0.15, at 59 s with 0.3)."""


@dataclasses.dataclass
class _Best:
    objective: int | None
    bound: int | None
    values: list[int] | None

    def found(self) -> Found:
        """What the search ends with (never INFEASIBLE: its sub-solves narrow the model)."""
        if self.values is None or self.objective is None:
            return Found("UNKNOWN", None, self.bound, None)
        closed = self.bound is not None and self.objective <= self.bound
        return Found("OPTIMAL" if closed else "FEASIBLE", self.objective, self.bound, self.values)


def separable(model: PostModel) -> bool:
    """Whether column generation applies: no duty groups, no skills, and every soft term of the
    exact model is a cover term or belongs to one officer."""
    if model.scenario.groups or any(slot.skills for slot in model.slots):
        return False
    return all(
        p.term in COVER_TERMS or (p.term in OWN_TERMS and p.officer is not None) for p in model.penalties
    )


class Pricer:
    """One officer's schedules: the exact model of the officer alone, without the cover terms."""

    def __init__(self, scenario: Scenario, officer: Officer) -> None:
        alone = dataclasses.replace(
            scenario,
            officers=(officer,),
            pinned=tuple(a for a in scenario.pinned if a.officer == officer.id),
            baseline=tuple(a for a in scenario.baseline if a.officer == officer.id),
        )
        self.model = build(PostModel(alone), only=[r.id for r in RULES if r.id not in COVER_TERMS])
        self.own: Expr = sum((p.weight * p.expr for p in self.model.penalties), start=0)
        self.x = {key: var for (_, key), var in self.model.x.items()}
        self.officer = officer.id
        self.rounding = len(self.x) * 0.5 / SCALE

    def price(self, duals: dict[SlotKey, float]) -> tuple[bool, float, list[tuple[int, frozenset[SlotKey]]]]:
        """Whether the solve is optimal, a lower bound of min(own cost - duals of the slots
        worked), and the schedules found on the way (own cost, slots)."""
        keys = list(self.x)
        paid = cp_model.LinearExpr.weighted_sum(
            [self.x[k] for k in keys], [-round(SCALE * duals.get(k, 0.0)) for k in keys]
        )
        cp = self.model.cp
        cp.minimize(cp_model.LinearExpr.sum([paid, SCALE * self.own]))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = PRICING_SECONDS
        for name, setting in PRICING.items():
            setattr(solver.parameters, name, setting)
        found: list[tuple[int, frozenset[SlotKey]]] = []
        x, own = self.x, self.own

        class Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                found.append((int(self.value(own)), frozenset(k for k, v in x.items() if self.value(v))))

        status = solver.solve(cp, Collect())
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False, -math.inf, []
        return status == cp_model.OPTIMAL, solver.best_objective_bound / SCALE - self.rounding, found


@dataclasses.dataclass
class Root:
    lp: float
    bound: float | None
    """The proven lower bound (None until an iteration has every pricing problem optimal)."""
    iterations: int
    columns: int
    converged: bool


class ColumnLP:
    """The master LP over the columns found so far."""

    def __init__(self, scenario: Scenario, threads: int = 1) -> None:
        self.pricers = [Pricer(scenario, o) for o in scenario.officers]
        self.threads = max(1, threads)
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        self.objective = self.lp.Objective()
        self.convexity = {p.officer: self.lp.Constraint(1, 1) for p in self.pricers}
        for row in self.convexity.values():
            artificial = self.lp.NumVar(0, 1, "")
            row.SetCoefficient(artificial, 1)
            self.objective.SetCoefficient(artificial, ARTIFICIAL)
        self.cover = {}
        for slot in scenario.slots():
            row = self.lp.Constraint(slot.min, slot.min)
            missing = self.lp.NumVar(0, slot.min, "")
            above = self.lp.NumVar(0, max(0, slot.max - slot.min), "")
            row.SetCoefficient(missing, 1)
            row.SetCoefficient(above, -1)
            post = scenario.post(slot.post)
            self.objective.SetCoefficient(missing, post.priority * scenario.weights.shortfall)
            self.objective.SetCoefficient(above, slot.over_weight if slot.max > slot.min else 0)
            self.cover[slot.key] = row
        self.columns: dict[str, dict[frozenset[SlotKey], pywraplp.Variable]] = {
            p.officer: {} for p in self.pricers
        }
        self.lp.Solve()

    def _add(self, officer: str, cost: int, keys: frozenset[SlotKey]) -> bool:
        if keys in self.columns[officer]:
            return False
        var = self.lp.NumVar(0, self.lp.infinity(), "")
        self.objective.SetCoefficient(var, cost)
        self.convexity[officer].SetCoefficient(var, 1)
        for k in keys:
            self.cover[k].SetCoefficient(var, 1)
        self.columns[officer][keys] = var
        return True

    def generate(self, deadline: float, stopped: StopCheck, on_bound: Callable[[float], None]) -> Root:
        """Price and re-solve until no column prices out, the wall clock reaches `deadline`
        (`time.monotonic()`), or a stop."""
        bound: float | None = None
        iterations, converged = 0, False
        with ThreadPoolExecutor(self.threads) as pool:
            while time.monotonic() < deadline and not stopped():
                iterations += 1
                value = self.objective.Value()
                duals = {key: row.dual_value() for key, row in self.cover.items()}
                mu = {oid: row.dual_value() for oid, row in self.convexity.items()}
                outs = list(pool.map(Pricer.price, self.pricers, [duals] * len(self.pricers)))
                added, lagrangian, exact = 0, value, True
                for p, (optimal, least, found) in zip(self.pricers, outs, strict=True):
                    exact &= optimal
                    lagrangian += min(0.0, least - mu[p.officer])
                    for cost, keys in found:
                        if cost - sum(duals[k] for k in keys) - mu[p.officer] < -1e-6:
                            added += self._add(p.officer, cost, keys)
                if exact and value < ARTIFICIAL / 2 and (bound is None or lagrangian > bound):
                    bound = lagrangian
                    on_bound(bound)
                self.lp.Solve()
                if not added:
                    converged = exact
                    break
        count = sum(len(c) for c in self.columns.values())
        return Root(self.objective.Value(), bound, iterations, count, converged)

    def weights(self) -> dict[tuple[str, SlotKey], float]:
        """Each duty's weight in the LP solution (the sum of its columns' values)."""
        out: dict[tuple[str, SlotKey], float] = {}
        for officer, columns in self.columns.items():
            for keys, var in columns.items():
                share = var.solution_value()
                if share > 1e-9:
                    for k in keys:
                        out[(officer, k)] = out.get((officer, k), 0.0) + share
        return out

    def heaviest(self) -> dict[str, frozenset[SlotKey]]:
        """Each officer's column of the largest value."""
        return {
            officer: max(columns, key=lambda keys: columns[keys].solution_value())
            for officer, columns in self.columns.items()
            if columns
        }


def search(
    model: PostModel,
    start: Sequence[int] | None,
    start_objective: int | None,
    seconds: float,
    options: SolveOptions,
    report: Callable[[int | None, int | None], None],
    should_stop: StopCheck | None,
    clock: Clock,
) -> Found:
    """The bound, then rosters from the root LP's neighbourhoods (see the module), within
    `seconds` of wall time. `start`: a solution of `model` (every variable's value) or None."""
    began = time.monotonic()
    end = began + seconds

    def stopped() -> bool:
        return should_stop is not None and should_stop()

    best = _Best(start_objective, None, list(start) if start is not None else None)
    if start is None:  # a first roster at once (the columns take a while): CP-SAT's whole portfolio
        first = run_cp_sat(
            model, seconds * ROOT_SHARE, options, None, should_stop, clock=clock, first_only=True
        )
        if first.solver is not None and first.objective is not None:
            best.objective, best.values = first.objective, list(first.solver.response_proto.solution)
            report(best.objective, None)

    def closed() -> bool:
        return best.objective is not None and best.bound is not None and best.objective <= best.bound

    def on_bound(value: float) -> None:
        best.bound = math.ceil(value - 1e-6)
        report(None, best.bound)

    master = ColumnLP(model.scenario, options.workers)
    master.generate(began + seconds * ROOT_SHARE, stopped, on_bound)
    if closed() or stopped() or time.monotonic() >= end:
        return best.found()
    weights = master.weights()
    x = {(oid, key): var.index for (oid, key), var in model.x.items()}
    copy = model.cp.clone()
    variables = [copy.proto.variables[i] for i in range(len(copy.proto.variables))]
    rng = random.Random(options.seed)

    def sub_solve(
        fixed: Sequence[int], hint: Sequence[int], hinted: Sequence[int], limit: float
    ) -> tuple[str, bool]:
        """Solve the exact model with the `fixed` duties worked, hinted with `hint` (the values
        of the variables `hinted`); returns the status and whether the incumbent improved."""
        saved = [(i, variables[i].domain[0], variables[i].domain[1]) for i in fixed]
        for i in fixed:
            variables[i].domain[0] = variables[i].domain[1] = 1
        hint_values(copy, hint, hinted)
        try:
            out = run_cp_sat(model, limit, options, None, should_stop, clock=clock, strong_lp=True, cp=copy)
        finally:
            for i, low, high in saved:
                variables[i].domain[0], variables[i].domain[1] = low, high
        better = out.objective is not None and (best.objective is None or out.objective < best.objective)
        if better and out.solver is not None and out.objective is not None:
            best.objective, best.values = out.objective, list(out.solver.response_proto.solution)
            report(best.objective, None)
        return out.status, better

    # 1. everything the root LP is sure of fixed, hinted with the heaviest columns
    sure = [i for duty, i in x.items() if weights.get(duty, 0.0) >= FIX_AT]
    heaviest = master.heaviest()
    hint = [int(key in heaviest.get(oid, ())) for oid, key in x]
    sub_solve(sure, hint, list(x.values()), (end - time.monotonic()) * FIRST_SHARE)
    # 2. neighbourhoods of the incumbent
    keep = KEEP
    last_gain, since_gain = time.monotonic(), 0
    while (
        best.values is not None
        and not closed()
        and not stopped()
        and time.monotonic() < end - 0.05
        and (time.monotonic() - last_gain < max(1.0, seconds * STALL_SHARE) or since_gain < STALL_ROUNDS)
    ):
        values = best.values
        supported = [i for duty, i in x.items() if values[i] and weights.get(duty, 0.0) >= SUPPORTED]
        fixed = [i for i in supported if rng.random() < keep]
        everything = range(len(values))
        status, better = sub_solve(fixed, values, everything, min(SUB_SECONDS, end - time.monotonic()))
        since_gain += 1
        if better:
            last_gain, since_gain = time.monotonic(), 0
        elif status == "OPTIMAL":
            keep = max(KEEP_MIN, keep * 0.9)
        else:
            keep = min(KEEP_MAX, keep * 1.1)
    return best.found()
