"""Solve a scenario: the entry point for the CLI, the service and the benchmarks.

`decomposed` (the default) uses the structure of a detachment:

1. *Independent parts.* Units linked by officers who serve them (and a unit's own officers, who
   share its fairness term) form components; the objective is a sum over them, so each is solved
   on its own and the bounds add up.
2. *A cheap first roster* per component from a greedy pass (`solver.greedy`), which also seeds
   the search.
3. *Who works when* (`ShiftModel`): officers of one kind are interchangeable until they are placed,
   so the model counts officers of each kind per slot instead of choosing each officer's post.
   Exact for every hard rule, shortfall, requests and fairness; its bound is a lower bound of the
   whole objective.
4. *Who stands where* (a `PostModel` with the working times of step 3 fixed): places officers at
   posts for continuity and the baseline, exact on every term.

`plain` builds one `PostModel` with a Boolean for every officer and slot, every rule written
directly, for comparison in bench/.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model

from solver.check import check_assignments
from solver.domain import Assignment, Roster, Scenario, Slot, SlotKey
from solver.model.base import Infeasible, RosterModel, TimeKey
from solver.model.post import PostModel
from solver.model.shift import Kind, ShiftModel, officer_kind
from solver.rules import build
from solver.timeline import Timeline


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 30.0
    """Seconds for the whole solve (with `workers == 1`: CP-SAT's deterministic seconds, so that
    the same seed gives the same roster)."""
    workers: int = 2
    seed: int = 0
    method: str = "decomposed"
    """`decomposed` (ours) or `plain` (one model, every Boolean, for comparison in bench/)."""
    relative_gap: float = 0.0
    """Stop as soon as (objective - bound) / objective is at most this."""
    log: bool = False


@dataclass(frozen=True)
class Progress:
    """What a running solve reports whenever its best objective or bound improves."""

    elapsed: float
    objective: int | None
    bound: int | None
    phase: str = ""
    done: float = 0.0
    """Share of the work finished, 0..1."""


ProgressCallback = Callable[[Progress], None]
StopCheck = Callable[[], bool]

METHODS = ("decomposed", "plain")


class SolverError(RuntimeError):
    """The solver produced something the referee rejects: a bug, never a user error."""


# --------------------------------------------------------------------------- components


def components(s: Scenario) -> list[Scenario]:
    """Independent parts of a scenario: units joined by the officers who serve them.

    A unit's own officers are in its component even when they serve elsewhere, since fairness
    compares them. Baseline duties go with their officer (or their post, for an unknown officer).
    """
    parent = {u.id: u.id for u in s.units}

    def root(u: str) -> str:
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for o in s.officers:
        for unit in o.serves:
            parent[root(unit)] = root(o.unit)
    groups: dict[str, list[str]] = defaultdict(list)
    for u in s.units:
        groups[root(u.id)].append(u.id)
    out = []
    for units in groups.values():
        members = set(units)
        officers = tuple(o for o in s.officers if o.unit in members)
        posts = tuple(p for p in s.posts if p.unit in members)
        ids = {o.id for o in officers}
        post_ids = {p.id for p in posts}
        out.append(
            replace(
                s,
                units=tuple(u for u in s.units if u.id in members),
                posts=posts,
                officers=officers,
                pinned=tuple(a for a in s.pinned if a.officer in ids),
                baseline=tuple(
                    a
                    for a in s.baseline
                    if a.officer in ids or (not s.has_officer(a.officer) and a.post in post_ids)
                ),
            )
        )
    return out


def orphan_baseline_penalty(s: Scenario) -> int:
    """Baseline duties in the horizon that no component can hold (unknown officer and post)."""
    known_posts = {p.id for p in s.posts}
    orphans = {
        a
        for a in s.baseline
        if s.in_horizon(a.date) and not s.has_officer(a.officer) and a.post not in known_posts
    }
    return len(orphans) * s.weights.change


# --------------------------------------------------------------------------- pinned duties


def pin_conflicts(s: Scenario) -> list[str]:
    """Messages naming the pinned duties that break a hard rule together (empty when they can hold)."""
    pins = list(dict.fromkeys(s.pinned))
    report = check_assignments(s, pins)
    index = {a: i for i, a in enumerate(s.pinned)}
    out = []
    for v in report.violations:
        if v.rule == "pinned_missing":
            continue
        involved = [
            a
            for a in pins
            if (v.officer is None or a.officer == v.officer)
            and (v.officer is not None or (a.post == v.post and a.date == v.date and a.shift == v.shift))
        ]
        names = ", ".join(f"pinned[{index[a]}] ({a.officer} {a.post} {a.shift} {a.date})" for a in involved)
        out.append(f"{v.rule}: {v.message} — pins involved: {names}")
    return out


# --------------------------------------------------------------------------- running CP-SAT


@dataclass
class Outcome:
    status: str
    objective: int | None
    bound: int | None
    solver: cp_model.CpSolver | None = None


class _Watch(cp_model.CpSolverSolutionCallback):
    """Reports improvements and stops the search on request or once the gap is small enough."""

    def __init__(self, report: Callable[[int | None, int | None], None], gap: float) -> None:
        super().__init__()
        self.report = report
        self.gap = gap

    def on_solution_callback(self) -> None:
        objective = round(self.objective_value)
        bound = _ceil(self.best_objective_bound)
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


def run_cp_sat(
    model: RosterModel,
    seconds: float,  # 0: do not run
    options: SolveOptions,
    on_improve: Callable[[int | None, int | None], None] | None = None,
    should_stop: StopCheck | None = None,
    clock: _Clock | None = None,
) -> Outcome:
    if seconds <= 0:
        return Outcome("UNKNOWN", None, None, None)
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = max(1, options.workers)
    # Our models are rebuilt and re-solved many times: a light presolve (no symmetry detection,
    # one pass, no probing) reaches the first improving solutions several times sooner.
    p.symmetry_level = 0
    p.max_presolve_iterations = 1
    p.cp_model_probing_level = 0
    p.random_seed = options.seed
    p.log_search_progress = options.log
    if options.workers == 1:  # deterministic: see _Clock
        p.max_deterministic_time = max(seconds, 0.05)
    else:
        p.max_time_in_seconds = max(seconds, 0.05)
    if options.relative_gap > 0:
        p.relative_gap_limit = options.relative_gap

    def report(objective: int | None, bound: int | None) -> None:
        if on_improve is not None:
            on_improve(objective, bound)

    watch = _Watch(report, options.relative_gap)
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
        status = solver.solve(model.cp, watch)
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


# --------------------------------------------------------------------------- the solve


@dataclass
class _Part:
    """One component on its way through the pipeline, with the models built for it so far."""

    scenario: Scenario
    size: int
    objective: int | None = None
    bound: int | None = None
    assignments: list[Assignment] = field(default_factory=list)
    status: str = "UNKNOWN"
    first_shortfall: int = 0
    shifts: ShiftModel | None = None
    shifts_optimal: bool = False
    shortfall_settled: bool = False
    exact: PostModel | None = None
    attempts: int = 0

    @property
    def gap(self) -> int:
        return (self.objective or 0) - max(0, self.bound or 0)

    @property
    def small(self) -> bool:
        return self.size <= POLISH_LIMIT


class _Clock:
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


def solve(
    scenario: Scenario,
    options: SolveOptions | None = None,
    on_progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
    start: Sequence[Assignment] = (),
) -> Roster:
    """Build the roster of `scenario`. Always returns a roster checked by the referee; status
    INFEASIBLE (and `extra["conflicts"]`) only when the pinned duties cannot hold together.

    `start`: a roster to start from where it beats the greedy one (re-planning passes what still
    holds of the published roster; see `solver.repair`)."""
    options = options or SolveOptions()
    if options.method not in METHODS:
        raise ValueError(f"unknown method {options.method!r}; expected one of {', '.join(METHODS)}")
    clock = _Clock(options, on_progress)
    conflicts = pin_conflicts(scenario)
    if conflicts:
        return Roster(
            scenario=scenario.name,
            status="INFEASIBLE",
            assignments=(),
            score=None,
            solve_seconds=round(clock.elapsed(), 3),
            extra={"conflicts": conflicts},
        )
    if options.method == "plain":
        parts = [_Part(scenario, 1)]
        _solve_plain(parts[0], options, clock, should_stop)
        constant = 0
    else:
        parts = [_Part(c, _size(c)) for c in components(scenario)]
        constant = orphan_baseline_penalty(scenario)
        _solve_decomposed(parts, constant, options, clock, should_stop, start)
    return _finish(scenario, parts, constant, clock)


def _size(s: Scenario) -> int:
    return max(1, len(s.officers)) * max(1, len(s.slots()))


def _solve_plain(part: _Part, options: SolveOptions, clock: _Clock, should_stop: StopCheck | None) -> None:
    model = build(PostModel(part.scenario, plain=True))

    def improve(objective: int | None, bound: int | None) -> None:
        part.objective = objective if objective is not None else part.objective
        part.bound = bound if bound is not None else part.bound
        clock.report(part.objective, part.bound, "plain model", 0.0)

    out = run_cp_sat(model, clock.left(), options, improve, should_stop, clock=clock)
    part.status = out.status
    if out.solver is not None:
        part.assignments = model.assignments(out.solver)
        part.objective, part.bound = out.objective, out.bound


def _solve_decomposed(
    parts: Sequence[_Part],
    constant: int,
    options: SolveOptions,
    clock: _Clock,
    should_stop: StopCheck | None,
    start: Sequence[Assignment] = (),
) -> None:
    """Greedy rosters everywhere, then a first CP-SAT pass over every part (the most short first,
    time by the square root of their size), then the time left to the parts with the largest gap."""
    from solver.greedy import greedy_roster

    def totals() -> tuple[int | None, int | None]:
        objective = constant + sum(p.objective or 0 for p in parts)
        return objective, constant + sum(max(0, p.bound or 0) for p in parts)

    def stopped() -> bool:
        return should_stop is not None and should_stop()

    from solver.repair import still_valid

    for part in parts:
        part.assignments = greedy_roster(part.scenario)
        score = check_assignments(part.scenario, part.assignments).score
        if start:
            members = {o.id for o in part.scenario.officers}
            given = still_valid(
                part.scenario, [*part.scenario.pinned, *(a for a in start if a.officer in members)]
            )
            repaired = greedy_roster(part.scenario, start=given)  # fill only the seats left empty
            report = check_assignments(part.scenario, repaired)
            if not report.violations and report.score.total < score.total:
                part.assignments, score = repaired, report.score
        part.objective, part.first_shortfall = score.total, score.shortfall
    clock.report(*totals(), "first roster", 0.0)

    def improve(part: _Part, phase: str, done: float) -> Callable[..., None]:
        def report(objective: int | None, bound: int | None) -> None:
            if bound is not None:
                part.bound = max(part.bound or 0, bound)
            clock.report(*totals(), phase, done)

        return report

    order = sorted(parts, key=lambda p: (-p.first_shortfall, -(p.objective or 0)))  # most to gain first
    weights = {id(p): math.sqrt(p.size) for p in parts}
    for i, part in enumerate(order):
        if stopped() or clock.left() < _setup_seconds(part) + MIN_STEP_SECONDS:
            continue
        budget = clock.left() * weights[id(part)] / sum(weights[id(p)] for p in order[i:])
        if part.first_shortfall:  # short parts gain the most: give them a fair chance first
            longer = math.sqrt(max(1.0, part.scenario.days / 7))
            budget = max(budget, min(clock.left() * 0.5, SHORT_PART_SECONDS * longer))
        phase = f"part {i + 1}/{len(parts)}"
        _improve_part(part, budget, options, clock, improve(part, phase, i / len(parts)), should_stop)
    while not stopped() and clock.left() > 0.2:
        open_parts = [
            p
            for p in parts
            if p.gap > 0
            and p.attempts < 4
            and not (p.shifts_optimal and not p.small)
            and clock.left() >= _setup_seconds(p) + MIN_STEP_SECONDS
        ]
        if not open_parts:
            break
        part = max(open_parts, key=lambda p: (p.gap, -p.attempts))
        budget = min(clock.left(), max(1.0, clock.left() / len(open_parts)))
        _improve_part(part, budget, options, clock, improve(part, "improving", 1.0), should_stop)
    clock.report(*totals(), "done", 1.0, force=True)


def _setup_seconds(part: _Part) -> float:
    """Rough cost of building a part's models before CP-SAT starts (about 7 us per officer x slot)."""
    return 0.0 if part.shifts is not None else part.size * 7e-6


def _placement_setup(part: _Part) -> float:
    """Rough cost of building and hinting a part's fixed-pattern PostModel."""
    return part.size * 2e-5


SHORT_PART_SECONDS = 5.0
"""First-pass time for a part whose greedy roster leaves slots short (shortfall dominates the
objective, and the models usually remove what can be removed within this time)."""
MIN_STEP_SECONDS = 0.5
"""Below this, a CP-SAT call rarely gets past presolve: such steps are skipped."""
POLISH_LIMIT = 40_000
"""Parts with at most this many officer x slot pairs end with the exact PostModel, which can
prove optimality (continuity included) within seconds at that size."""


def _improve_part(
    part: _Part,
    budget: float,
    options: SolveOptions,
    clock: _Clock,
    improve: Callable[[int | None, int | None], None],
    should_stop: StopCheck | None,
) -> None:
    s = part.scenario
    deadline = clock.elapsed() + min(budget, clock.left())
    part.attempts += 1

    def seconds_left(share: float = 1.0) -> float:
        """Time for the next step; 0 when too little is left to be worth starting one."""
        left = (deadline - clock.elapsed()) * share
        return left if left >= MIN_STEP_SECONDS and clock.left() >= MIN_STEP_SECONDS else 0.0

    def stopped() -> bool:
        return should_stop is not None and should_stop()

    def accept(assignments: list[Assignment], objective: int | None) -> None:
        if objective is not None and objective < (part.objective if part.objective is not None else 1 << 62):
            part.assignments, part.objective = assignments, objective
            improve(None, None)

    if not part.shifts_optimal and seconds_left() >= _setup_seconds(part) + 2 * MIN_STEP_SECONDS:
        # 3. who works when
        if part.shifts is None:
            part.shifts = build(ShiftModel(s))
        shifts = part.shifts
        shifts.cp.clear_hints()
        hint_work(shifts, part.assignments)
        # keep time for placing the officers: CP-SAT places far better than the greedy pass, so
        # when its model is cheap enough to build, keep room for building and solving it
        budget_left = deadline - clock.elapsed()
        reserve = MIN_STEP_SECONDS + budget_left / 10
        if _placement_setup(part) < budget_left / 3:
            reserve = max(reserve, _placement_setup(part) + MIN_STEP_SECONDS + budget_left / 10)
        if part.first_shortfall and not part.shortfall_settled:
            # Lexicographic start: staff what can be staffed first (CP-SAT finds that much sooner
            # without the other terms), then optimise everything from there.
            shortfall_only = sum(p.weight * p.expr for p in shifts.penalties if p.term == "shortfall")
            shifts.cp.minimize(shortfall_only)
            shifts.objective, full_objective = shortfall_only, shifts.objective
            first = run_cp_sat(
                shifts,
                max(0.0, (deadline - clock.elapsed() - reserve) * 0.6),
                options,
                None,
                should_stop,
                clock=clock,
            )
            shifts.objective = full_objective
            shifts.cp.minimize(shifts.objective)
            if first.solver is not None:
                part.shortfall_settled = first.status == "OPTIMAL"
                # total >= shortfall >= its bound: a valid bound of the whole part
                part.bound = max(part.bound or 0, first.bound or 0)
                improve(None, part.bound)
                shifts.cp.clear_hints()
                hint_from_solution(shifts, first.solver)
        out = run_cp_sat(
            shifts,
            max(0.0, deadline - clock.elapsed() - reserve),
            options,
            lambda o, b: improve(None, b),
            should_stop,
            clock=clock,
        )
        if out.solver is not None:
            part.bound = max(part.bound or 0, out.bound or 0)
            part.shifts_optimal = out.status == "OPTIMAL"
            # 4. who stands where (only worth it when the relaxation beats the roster we have)
            if (out.objective or 0) < (part.objective or 0) and not stopped():
                working = shifts.working(out.solver)
                start = place_greedy(s, working, shifts.seats(out.solver), part.assignments)
                accept(start, check_assignments(s, start).score.total)
                # CP-SAT places better than the greedy pass, when there is time to build its model
                if seconds_left() > _placement_setup(part) + MIN_STEP_SECONDS:
                    posts = build(PostModel(s, fixed_work=working))
                    hint_work(posts, start)
                    placed = run_cp_sat(
                        posts,
                        seconds_left(0.5 if part.small else 1.0),
                        options,
                        None,
                        should_stop,
                        clock=clock,
                    )
                    if placed.solver is not None:
                        accept(posts.assignments(placed.solver), placed.objective)
    # 5. small parts: the exact model, seeded with the roster so far, can close the gap
    if part.small and part.gap > 0 and seconds_left() > part.size * 3e-5 + MIN_STEP_SECONDS and not stopped():
        if part.exact is None:
            part.exact = build(PostModel(s))
        exact = part.exact
        exact.cp.clear_hints()
        hint_work(exact, part.assignments)
        polished = run_cp_sat(
            exact, seconds_left(), options, lambda o, b: improve(None, b), should_stop, clock=clock
        )
        if polished.solver is not None:
            part.bound = max(part.bound or 0, polished.bound or 0)
            accept(exact.assignments(polished.solver), polished.objective)
    part.status = "OPTIMAL" if part.gap <= 0 else "FEASIBLE"


def hint_work(model: RosterModel, assignments: Iterable[Assignment], complete: float = 2.0) -> None:
    """Hint a model with a roster: its working times, and its placements (a PostModel) or the head
    count per kind and slot (a ShiftModel); then let CP-SAT complete the hint for every helper
    variable (within `complete` seconds), since a partial hint is often lost in the search."""
    assignments = list(assignments)
    working = {(a.officer, (a.shift, a.date)) for a in assignments}
    for o in model.officers:
        for t, lit in model.works(o.id):
            model.cp.add_hint(lit, (o.id, t.key) in working)
    if isinstance(model, PostModel):
        placed = {(a.officer, SlotKey(a.post, a.shift, a.date)) for a in assignments}
        for (oid, slot_key), lit in model.x.items():
            model.cp.add_hint(lit, (oid, slot_key) in placed)
    elif isinstance(model, ShiftModel):
        counts: dict[tuple[Kind, SlotKey], int] = defaultdict(int)
        for a in assignments:
            counts[(model.kind_of[a.officer], SlotKey(a.post, a.shift, a.date))] += 1
        for key, var in model.n.items():
            model.cp.add_hint(var, counts.get(key, 0))
    if complete > 0:
        complete_hint(model, complete)


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


def place_greedy(
    s: Scenario,
    working: dict[str, list[TimeKey]],
    seats: dict[tuple[Kind, SlotKey], int] | None,
    previous: Sequence[Assignment],
) -> list[Assignment]:
    """Place working officers at posts, time by time: a pinned post first, then the post of the
    previous roster or the baseline, then their last post, each where a seat of their kind is
    free (`seats`, from a ShiftModel; without it, up to each slot's max), else the emptiest seat."""
    timeline = Timeline(s)
    slots_at: dict[TimeKey, list[Slot]] = defaultdict(list)
    for slot in s.slots():
        slots_at[(slot.shift, slot.date)].append(slot)
    used_skills = frozenset(k for slots in slots_at.values() for slot in slots for k in slot.skills)
    officer = {o.id: o for o in s.officers}
    kind = {oid: officer_kind(o, used_skills) for oid, o in officer.items()}
    unit_of = {p.id: p.unit for p in s.posts}
    wanted: dict[tuple[str, TimeKey], str] = {}
    for a in (*previous, *s.baseline, *s.pinned):  # later entries win: pins first of all
        wanted[(a.officer, (a.shift, a.date))] = a.post
    by_time: dict[TimeKey, list[str]] = defaultdict(list)
    for oid, keys in working.items():
        for key in keys:
            by_time[key].append(oid)
    last_post: dict[str, str] = {}
    out = []
    for key in sorted(by_time, key=lambda k: timeline.duty(*k)[0]):
        free: dict[tuple[Kind, str], int] = defaultdict(int)
        for slot in slots_at[key]:
            for k in {kind[oid] for oid in by_time[key]}:
                free[(k, slot.post)] = slot.max if seats is None else seats.get((k, slot.key), 0)
        for oid in sorted(by_time[key], key=lambda o: ((o, key) not in wanted, o)):
            options = [slot.post for slot in slots_at[key] if unit_of[slot.post] in officer[oid].serves]
            preferred = [wanted.get((oid, key)), last_post.get(oid)]
            choice = next((p for p in preferred if p in options and free[(kind[oid], p)] > 0), None)
            if choice is None:
                choice = max(options, key=lambda p: (free[(kind[oid], p)], p))
            free[(kind[oid], choice)] -= 1
            last_post[oid] = choice
            out.append(Assignment(date=key[1], shift=key[0], post=choice, officer=oid))
    return out


# --------------------------------------------------------------------------- result


def _finish(scenario: Scenario, parts: Sequence[_Part], constant: int, clock: _Clock) -> Roster:
    from solver.explain import shortfall_reasons

    if any(p.objective is None for p in parts):  # the plain model found no roster in time
        return Roster(
            scenario=scenario.name,
            status="UNKNOWN",
            assignments=(),
            bound=max(0, sum(p.bound or 0 for p in parts))
            if all(p.bound is not None for p in parts)
            else None,
            solve_seconds=round(clock.elapsed(), 3),
        )
    assignments = sorted(a for p in parts for a in p.assignments)
    report = check_assignments(scenario, assignments)
    if report.violations:
        shown = "; ".join(str(v) for v in report.violations[:5])
        raise SolverError(f"solver roster breaks {len(report.violations)} hard rule(s): {shown}")
    objective = constant + sum(p.objective or 0 for p in parts)
    if objective != report.score.total:
        raise SolverError(
            f"solver objective {objective} differs from the referee's score {report.score.total}"
        )
    bound = min(objective, constant + sum(max(0, p.bound or 0) for p in parts))
    status = "OPTIMAL" if bound == objective else "FEASIBLE"
    return Roster(
        scenario=scenario.name,
        status=status,
        assignments=tuple(assignments),
        objective=objective,
        bound=bound,
        score=report.score,
        shortfalls=tuple(shortfall_reasons(scenario, assignments, report.shortfalls)),
        solve_seconds=round(clock.elapsed(), 3),
    )


__all__ = [
    "METHODS",
    "Infeasible",
    "Progress",
    "ProgressCallback",
    "SolveOptions",
    "SolverError",
    "StopCheck",
    "components",
    "pin_conflicts",
    "solve",
]
