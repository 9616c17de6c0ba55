"""The referee at both ends of a solve: the pinned duties before (`pin_conflicts`), the roster
after (`checked_roster`, which raises `SolverError` when the solver got something wrong)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from types import MappingProxyType

from solver.check import check_assignments
from solver.domain import Assignment, Roster, Scenario, Shortfall
from solver.explain import shortfall_reasons
from solver.minimums import MINIMUM_RULES
from solver.roles import with_roles
from solver.solve.cpsat import Clock
from solver.solve.options import SolverError


def pin_conflicts(s: Scenario) -> list[str]:
    """Messages naming the pinned duties that break a hard rule together (empty when they can hold)."""
    pins = list(dict.fromkeys(s.pinned))
    if not pins:
        return []
    # Every hard rule concerns one officer or one slot: the pinned officers alone give the same
    # verdicts, without the referee's work on everyone else (groups and baseline only score).
    pinned = {a.officer for a in pins}
    alone = replace(s, officers=tuple(o for o in s.officers if o.id in pinned), groups=(), baseline=())
    report = check_assignments(alone, pins)
    index = {a: i for i, a in enumerate(s.pinned)}
    out = []
    for v in report.violations:
        if v.rule == "pinned_missing" or v.rule in MINIMUM_RULES:
            continue  # more duties can mend a minimum rule: see `solver.minimums`
        involved = [
            a
            for a in pins
            if (v.officer is None or a.officer == v.officer)
            and (v.officer is not None or (a.post == v.post and a.date == v.date and a.shift == v.shift))
        ]
        names = ", ".join(f"pinned[{index[a]}] ({a.officer} {a.post} {a.shift} {a.date})" for a in involved)
        out.append(f"{v.rule}: {v.message} — pins involved: {names}")
    return out


def checked_roster(
    scenario: Scenario,
    assignments: Sequence[Assignment],
    objective: int,
    bound: int,
    clock: Clock,
    parts: Sequence[Roster] = (),
) -> Roster:
    """The solver's roster, once the referee finds no hard violation and a score equal to the
    solver's `objective`; its short slots carry their reasons, its duties their leaders and
    positions (`solver.roles`). Raises `SolverError` otherwise.

    `parts`: the checked rosters of the scenario's independent parts (`components`) whose duties
    these are (a fanned-out job's merge). No officer is a candidate in two parts and no slot is in
    two, so a part's short-slot reasons and duty roles are the whole roster's: they are taken
    from the parts, not worked out again (the referee still judges the whole)."""
    assignments = sorted(assignments)
    report = check_assignments(scenario, assignments)
    if report.violations:
        shown = "; ".join(str(v) for v in report.violations[:5])
        raise SolverError(f"solver roster breaks {len(report.violations)} hard rule(s): {shown}")
    if objective != report.score.total:
        raise SolverError(
            f"solver objective {objective} differs from the referee's score {report.score.total}"
        )
    status = "OPTIMAL" if bound == objective else "FEASIBLE"
    shortfalls = _explained_by(parts, report.shortfalls)
    roster = Roster(
        scenario=scenario.name,
        status=status,
        assignments=tuple(assignments),
        objective=objective,
        bound=bound,
        score=report.score,
        shortfalls=tuple(
            shortfall_reasons(scenario, assignments, report.shortfalls) if shortfalls is None else shortfalls
        ),
        solve_seconds=round(clock.elapsed(), 3),
    )
    roles = {a: role for p in parts for a, role in p.roles.items()}
    if parts and set(roles) <= set(assignments):
        return replace(roster, roles=MappingProxyType(roles))
    return with_roles(scenario, roster)  # leaders and positions: never in the score


def _explained_by(parts: Sequence[Roster], shortfalls: Sequence[Shortfall]) -> list[Shortfall] | None:
    """The referee's `shortfalls` with the reasons the parts gave them, or None when there are no
    parts or a short slot is not among theirs (then they are worked out)."""
    if not parts:
        return None
    explained = {(sf.post, sf.shift, sf.date, sf.skill, sf.missing): sf for p in parts for sf in p.shortfalls}
    out = []
    for sf in shortfalls:
        known = explained.get((sf.post, sf.shift, sf.date, sf.skill, sf.missing))
        if known is None:
            return None
        out.append(known)
    return out
