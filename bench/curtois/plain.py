"""The plain CP-SAT model of a Curtois & Qu instance, straight from the benchmark's rules: one
Boolean per employee, day and shift (none on the employee's days off or for a shift they may never
work), every rule written directly, the benchmark's objective. The comparison baseline for our
solver on the converted scenario.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.io.curtois import CurtoisInstance, Schedule


@dataclass(frozen=True)
class PlainResult:
    status: str
    """CP-SAT's status name: OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID."""
    objective: int | None
    bound: int | None
    """Proven lower bound (rounded up), None when the solver proved nothing."""
    first_solution_seconds: float | None
    """Wall-clock seconds from the start of the solve to its first solution."""
    seconds: float
    schedule: Schedule = field(default_factory=dict)
    booleans: int = 0


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self) -> None:
        super().__init__()
        self.seconds: float | None = None

    def on_solution_callback(self) -> None:
        if self.seconds is None:
            self.seconds = self.wall_time


@dataclass
class PlainModel:
    instance: CurtoisInstance
    cp: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[str, int, str], cp_model.IntVar] = field(default_factory=dict)
    """(employee, day, shift) → works that shift that day."""
    work: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    """(employee, day) → works that day."""

    def build(self) -> PlainModel:
        inst, cp = self.instance, self.cp
        days = range(inst.days)
        minutes = {s.id: s.minutes for s in inst.shifts}
        for e in inst.staff:
            off = inst.days_off_of(e.id)
            for d in days:
                for s in inst.shifts:
                    if d not in off and e.max_shifts_of(s.id) != 0:
                        self.x[e.id, d, s.id] = cp.new_bool_var(f"x[{e.id},{d},{s.id}]")
                work = cp.new_bool_var(f"w[{e.id},{d}]")
                # one shift per day
                cp.add(sum(self._x(e.id, d, s.id) for s in inst.shifts) == work)
                self.work[e.id, d] = work
        for e in inst.staff:
            w = [self.work[e.id, d] for d in days]
            # shift rotation: no s2 on the day after s1 when s2 cannot follow s1
            for s in inst.shifts:
                for t in s.cannot_follow:
                    for d in range(inst.days - 1):
                        a, b = self.x.get((e.id, d, s.id)), self.x.get((e.id, d + 1, t))
                        if a is not None and b is not None:
                            cp.add_bool_or([a.Not(), b.Not()])
            # shifts per type
            for sid, limit in e.max_shifts:
                cp.add(sum(self._x(e.id, d, sid) for d in days) <= limit)
            # total minutes
            total = sum(minutes[s.id] * self._x(e.id, d, s.id) for d in days for s in inst.shifts)
            cp.add(total <= e.max_total_minutes)
            cp.add(total >= e.min_total_minutes)
            # at most max consecutive shifts: every window of max + 1 days has a day off
            k = e.max_consecutive_shifts
            for first in range(inst.days - k):
                cp.add(sum(w[first : first + k + 1]) <= k)
            # at least min consecutive shifts / days off, for runs not touching the horizon's edges
            self._min_runs(w, e.min_consecutive_shifts, on=True)
            self._min_runs(w, e.min_consecutive_days_off, on=False)
            # weekends worked
            weekends = []
            for saturday in range(5, inst.days, 7):
                weekend = cp.new_bool_var(f"weekend[{e.id},{saturday}]")
                for d in (saturday, saturday + 1):
                    if d < inst.days:
                        cp.add_implication(w[d], weekend)
                weekends.append(weekend)
            cp.add(sum(weekends) <= e.max_weekends)
        cp.minimize(self._objective())
        return self

    def _x(self, employee: str, day: int, shift: str) -> cp_model.IntVar | int:
        return self.x.get((employee, day, shift), 0)

    def _min_runs(self, w: list[cp_model.IntVar], k: int, on: bool) -> None:
        """Forbid a maximal run of `on` days shorter than k that starts after day 0 and ends
        before the last day: for each start d ≥ 1 and length l < k with d + l ≤ last day, not
        (other at d-1, run at d..d+l-1, other at d+l)."""
        horizon = len(w)
        for length in range(1, k):
            for d in range(1, horizon - length):
                run = [w[i] if on else w[i].Not() for i in range(d, d + length)]
                around = [w[d - 1], w[d + length]]
                self.cp.add_bool_or(
                    [r.Not() for r in run] + ([b for b in around] if on else [b.Not() for b in around])
                )

    def _objective(self) -> cp_model.LinearExprT:
        inst, cp = self.instance, self.cp
        terms: list[cp_model.LinearExprT] = []
        for r in inst.on_requests:
            terms.append(r.weight * (1 - self._x(r.employee, r.day, r.shift)))
        for r in inst.off_requests:
            terms.append(r.weight * self._x(r.employee, r.day, r.shift))
        staff = len(inst.staff)
        for c in inst.cover:
            assigned = sum(self._x(e.id, c.day, c.shift) for e in inst.staff)
            diff = cp.new_int_var(-c.requirement, staff - c.requirement, f"diff[{c.day},{c.shift}]")
            cp.add(diff == assigned - c.requirement)
            over = cp.new_int_var(0, max(0, staff - c.requirement), f"over[{c.day},{c.shift}]")
            cp.add_max_equality(over, [diff, 0])
            under = cp.new_int_var(0, c.requirement, f"under[{c.day},{c.shift}]")
            cp.add(under == over - diff)  # = max(0, requirement - assigned)
            terms.append(c.weight_under * under + c.weight_over * over)
        return sum(terms)

    def schedule(self, solver: cp_model.CpSolver) -> Schedule:
        return {(e, d): s for (e, d, s), var in self.x.items() if solver.boolean_value(var)}


def solve_plain(instance: CurtoisInstance, time_limit: float, workers: int = 2, seed: int = 0) -> PlainResult:
    """Solve the plain model for at most `time_limit` seconds."""
    started = time.monotonic()
    model = PlainModel(instance).build()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    first = _FirstSolution()
    status = solver.solve(model.cp, first)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    proven = status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.UNKNOWN)
    bound = solver.best_objective_bound if proven else math.nan
    return PlainResult(
        status=solver.status_name(status),
        objective=round(solver.objective_value) if found else None,
        bound=math.ceil(bound - 1e-6) if math.isfinite(bound) else None,
        first_solution_seconds=round(first.seconds, 3) if first.seconds is not None else None,
        seconds=round(time.monotonic() - started, 3),
        schedule=model.schedule(solver) if found else {},
        booleans=len(model.x),
    )
