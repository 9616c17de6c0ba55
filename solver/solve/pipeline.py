"""The solve: the plain model, or the decomposed pipeline (greedy first roster, ShiftModel,
placement, PostModel) over the independent parts, within one time budget."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from solver.check import check_assignments
from solver.domain import Assignment, Roster, Scenario
from solver.greedy import greedy_roster
from solver.minimums import OfficerConflict, diagnose, precheck
from solver.model.post import PostModel
from solver.model.shift import ShiftModel
from solver.rules import build
from solver.solve import columns, lns
from solver.solve.checks import checked_roster, pin_conflicts
from solver.solve.components import components, orphan_baseline_penalty
from solver.solve.cpsat import Clock, hint_from_solution, hint_work, run_cp_sat
from solver.solve.options import METHODS, ProgressCallback, SolveOptions, StopCheck
from solver.solve.placement import place_greedy
from solver.solve.rebalance import rebalance
from solver.still_valid import still_valid


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

    infeasible: bool = False
    """CP-SAT proved that no roster keeps the hard rules (only the v2 minimum rules can do that)."""
    running: int | None = None
    """The best objective of the exact model's search in progress (for progress reports only: its
    roster is `assignments` once the search returns)."""
    _direct: bool | None = None

    @property
    def shown(self) -> int | None:
        found = [v for v in (self.objective, self.running) if v is not None]
        return min(found) if found else None

    @property
    def gap(self) -> int:
        if self.objective is None:  # no roster yet (the greedy one missed a v2 minimum rule)
            return 1 << 62
        return self.objective - max(0, self.bound or 0)

    @property
    def small(self) -> bool:
        return self.size <= POLISH_LIMIT

    @property
    def direct(self) -> bool:
        """Small, and no duty start has more than one slot: nobody is placed, so the ShiftModel
        would only restate the exact PostModel, which gets the whole budget (and CP-SAT's strong
        linear relaxation: on such parts, the Curtois & Qu benchmark's among them, it proves
        optimality where the lighter one proves almost nothing)."""
        if self._direct is None:
            times = [(slot.shift, slot.date) for slot in self.scenario.slots()]
            self._direct = self.small and len(times) == len(set(times))
        return self._direct


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
    holds of the published roster; see `solver.replan`)."""
    options = options or SolveOptions()
    if options.method not in METHODS:
        raise ValueError(f"unknown method {options.method!r}; expected one of {', '.join(METHODS)}")
    clock = Clock(options, on_progress)
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
    out_of_reach = precheck(scenario)
    if out_of_reach:
        return _infeasible(scenario, out_of_reach, clock)
    if options.method == "plain":
        parts = [_Part(scenario, 1)]
        _solve_plain(parts[0], options, clock, should_stop)
        constant = 0
    else:
        parts = [_Part(c, _size(c)) for c in components(scenario)]
        constant = orphan_baseline_penalty(scenario)
        _solve_decomposed(parts, constant, options, clock, should_stop, start)
    return _finish(scenario, parts, constant, clock)


def _infeasible(scenario: Scenario, found: Sequence[OfficerConflict], clock: Clock) -> Roster:
    """No roster keeps the v2 minimum rules: status INFEASIBLE naming each officer and the rules."""
    return Roster(
        scenario=scenario.name,
        status="INFEASIBLE",
        assignments=(),
        score=None,
        solve_seconds=round(clock.elapsed(), 3),
        extra={"conflicts": [str(c) for c in found], "infeasible_officers": [c.as_dict() for c in found]},
    )


def _finish(scenario: Scenario, parts: Sequence[_Part], constant: int, clock: Clock) -> Roster:
    """The roster of every part together, checked by the referee (no roster: UNKNOWN)."""
    if any(p.infeasible for p in parts):
        found = [c for p in parts if p.infeasible for c in diagnose(p.scenario)]
        return _infeasible(scenario, found, clock)
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
    objective = constant + sum(p.objective or 0 for p in parts)
    bound = min(objective, constant + sum(max(0, p.bound or 0) for p in parts))
    assignments = [a for p in parts for a in p.assignments]
    return checked_roster(scenario, assignments, objective, bound, clock)


def _size(s: Scenario) -> int:
    return max(1, len(s.officers)) * max(1, len(s.slots()))


def _solve_plain(part: _Part, options: SolveOptions, clock: Clock, should_stop: StopCheck | None) -> None:
    model = build(PostModel(part.scenario, plain=True))

    def improve(objective: int | None, bound: int | None) -> None:
        part.objective = objective if objective is not None else part.objective
        part.bound = bound if bound is not None else part.bound
        clock.report(part.objective, part.bound, "plain model", 0.0)

    out = run_cp_sat(model, clock.left(), options, improve, should_stop, clock=clock)
    part.status = out.status
    part.infeasible = out.status == "INFEASIBLE"
    if out.solver is not None:
        part.assignments = model.assignments(out.solver)
        part.objective, part.bound = out.objective, out.bound


def _solve_decomposed(
    parts: Sequence[_Part],
    constant: int,
    options: SolveOptions,
    clock: Clock,
    should_stop: StopCheck | None,
    start: Sequence[Assignment] = (),
) -> None:
    """Greedy rosters everywhere, then a first CP-SAT pass over every part (the most short first,
    time by the square root of their size), then the time left to the parts with the largest gap."""

    def totals() -> tuple[int | None, int | None]:
        bound = constant + sum(max(0, p.bound or 0) for p in parts)
        if any(p.shown is None for p in parts):  # no roster yet (a v2 minimum rule)
            return None, bound
        return constant + sum(p.shown or 0 for p in parts), bound

    def stopped() -> bool:
        return should_stop is not None and should_stop()

    for part in parts:
        part.assignments = greedy_roster(part.scenario)
        first = check_assignments(part.scenario, part.assignments)
        score, valid = first.score, not first.violations
        if start:
            members = {o.id for o in part.scenario.officers}
            given = still_valid(
                part.scenario, [*part.scenario.pinned, *(a for a in start if a.officer in members)]
            )
            repaired = greedy_roster(part.scenario, start=given)  # fill only the seats left empty
            report = check_assignments(part.scenario, repaired)
            if not report.violations and (not valid or report.score.total < score.total):
                part.assignments, score, valid = repaired, report.score, True
        part.objective, part.first_shortfall = score.total, score.shortfall
        if not valid:  # the greedy roster misses a v2 minimum rule: CP-SAT finds the first one
            part.assignments, part.objective = [], None
    clock.report(*totals(), "first roster", 0.0)

    def improve(part: _Part, phase: str, done: float) -> Callable[..., None]:
        def report(objective: int | None, bound: int | None) -> None:
            if bound is not None:
                part.bound = max(part.bound or 0, bound)
            if objective is not None:  # (only the exact model's searches report one)
                part.running = objective if part.running is None else min(part.running, objective)
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
        if options.rebalance and not part.small and not part.first_shortfall:
            # its turn comes after the short parts (the order), within half its own budget
            began = clock.elapsed()
            _rebalance(part, clock, stopped, budget / 2, REBALANCE_WORK_PER_SECOND * options.time_limit)
            clock.report(*totals(), phase, i / len(parts))
            budget = max(0.0, budget - (clock.elapsed() - began))
        _improve_part(part, budget, options, clock, improve(part, phase, i / len(parts)), should_stop)
    while not stopped() and clock.left() > 0.2:
        open_parts = [
            p
            for p in parts
            if p.gap > 0
            and not p.infeasible
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


def _rebalance(part: _Part, clock: Clock, stopped: StopCheck, seconds: float, work: float) -> None:
    """Move single duties between the officers of a large part (the exact PostModel finishes the
    small ones) while it pays: the greedy roster's fairness is often far from what the rules
    allow, and CP-SAT rarely repairs that on a large part. Short parts are left to CP-SAT's
    shortfall phase, which gains far more per second. With wall time it stops after `seconds`;
    with one worker the work is bounded by a count (`work` evaluations, deterministic)."""
    until = clock.wall() + seconds

    def out_of_time() -> bool:
        return stopped() or (not clock.deterministic and clock.wall() > until)

    if clock.deterministic:
        budget = int(min(REBALANCE_WORK_LIMIT, max(REBALANCE_WORK_PER_SECOND, work)))
    else:  # the wall clock bounds it: let it walk its plateau to the end (see REBALANCE_WORK_LIMIT)
        budget = REBALANCE_WORK_LIMIT
    moved = rebalance(part.scenario, part.assignments, budget, should_stop=out_of_time)
    report = check_assignments(part.scenario, moved)
    if not report.violations and report.score.total < (part.objective or 0):
        part.assignments, part.objective = moved, report.score.total


def _setup_seconds(part: _Part) -> float:
    """Rough cost of building a part's models before CP-SAT starts (about 7 us per officer x slot)."""
    return 0.0 if part.shifts is not None else part.size * 7e-6


def _placement_setup(part: _Part) -> float:
    """Rough cost of building and hinting a part's fixed-pattern PostModel."""
    return part.size * 2e-5


REBALANCE_WORK_PER_SECOND = 50_000
"""Rebalancing work (cheap estimates; see `solver.solve.rebalance`) per second of the time limit
with one worker (deterministic); 500,000 take about 1.1 s of one idle core on `u7` (250 officers),
which is where its walk ends (125; 200,000 stopped it at 126). At most `REBALANCE_WORK_LIMIT` per
part."""
REBALANCE_WORK_LIMIT = 500_000
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
    clock: Clock,
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

    if (
        not part.direct
        and not part.shifts_optimal
        and seconds_left() >= _setup_seconds(part) + 2 * MIN_STEP_SECONDS
    ):
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
            part.infeasible |= first.status == "INFEASIBLE"
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
        part.infeasible |= out.status == "INFEASIBLE"
        if part.infeasible:
            part.status = "INFEASIBLE"
            return
        if out.solver is not None:
            part.bound = max(part.bound or 0, out.bound or 0)
            part.shifts_optimal = out.status == "OPTIMAL"
            # 4. who stands where (only worth it when the relaxation beats the roster we have)
            better = part.objective is None or (out.objective or 0) < part.objective
            if better and not stopped():
                working = shifts.working(out.solver)
                start = place_greedy(s, working, shifts.seats(out.solver), part.assignments)
                placed_report = check_assignments(s, start)
                if not placed_report.violations:  # (a duty left out can break a v2 minimum rule)
                    accept(start, placed_report.score.total)
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
        complete = hint_work(exact, part.assignments) and part.objective is not None
        by_columns = part.direct and options.columns and not clock.deterministic and columns.separable(exact)
        if by_columns:
            share = seconds_left(COLUMNS_SHARE)
            _search_direct(columns.search, part, exact, complete, share, options, clock, improve, should_stop)
        if part.gap > 0 and seconds_left() > 0 and not stopped():
            if by_columns:  # hint the roster the columns found (only when the search goes on)
                exact.cp.clear_hints()
                complete = hint_work(exact, part.assignments) and part.objective is not None
            if part.direct and options.lns:
                _search_direct(
                    lns.search, part, exact, complete, seconds_left(), options, clock, improve, should_stop
                )
            else:
                polished = run_cp_sat(
                    exact,
                    seconds_left(),
                    options,
                    improve,
                    should_stop,
                    clock=clock,
                    strong_lp=part.direct,
                )
                part.infeasible |= polished.status == "INFEASIBLE"
                if polished.solver is not None:
                    part.bound = max(part.bound or 0, polished.bound or 0)
                    accept(exact.assignments(polished.solver), polished.objective)
    part.status = "INFEASIBLE" if part.infeasible else "OPTIMAL" if part.gap <= 0 else "FEASIBLE"


DirectSearch = Callable[
    [
        PostModel,
        list[int] | None,
        int | None,
        float,
        SolveOptions,
        Callable[[int | None, int | None], None],
        StopCheck | None,
        Clock,
    ],
    lns.Found,
]
"""`lns.search` and `columns.search`: (model, start, its objective, seconds, options, on_improve,
should_stop, clock)."""

COLUMNS_SHARE = 0.9
"""Of a direct part's time for its exact model, the share for column generation; the rest goes to
CP-SAT's full search hinted with its roster (which can prove optimality where the bound of the
columns falls short, as on Instances 1, 5 and 6 of Curtois & Qu)."""


def _search_direct(
    search: DirectSearch,
    part: _Part,
    exact: PostModel,
    complete: bool,
    seconds: float,
    options: SolveOptions,
    clock: Clock,
    improve: Callable[[int | None, int | None], None],
    should_stop: StopCheck | None,
) -> None:
    """A direct part's exact model searched by `search` (`columns.search`: column generation's
    bound and rosters; `lns.search`: our neighbourhoods beside CP-SAT's bound), from the roster
    so far when its hint is a complete solution."""
    hint = exact.cp.proto.solution_hint
    start = list(hint.values) if complete else None
    found = search(
        exact, start, part.objective if complete else None, seconds, options, improve, should_stop, clock
    )
    part.infeasible |= found.status == "INFEASIBLE"
    if found.bound is not None:
        part.bound = max(part.bound or 0, found.bound)
    better = found.objective is not None and (part.objective is None or found.objective < part.objective)
    if better and found.values is not None:
        part.assignments, part.objective = exact.assignments_from(found.values), found.objective
