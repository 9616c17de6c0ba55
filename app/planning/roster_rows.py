"""Roster versions ⇄ the solver's domain: the rows a solved roster is stored as (duties with their
real UTC intervals, short slots with the solver's reasons), and a stored version read back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from app.rosters import models as m
from solver import domain as d
from solver.timeline import Timeline

NO_ROLE = d.DutyRole()


def assignment_rows(
    scenario: d.Scenario,
    assignments: Iterable[d.Assignment],
    roster_id: int | None = None,
    roles: Mapping[d.Assignment, d.DutyRole] | None = None,
) -> list[dict[str, Any]]:
    """Rows for `roster_assignments` (as dicts for a bulk insert), with real UTC intervals and each
    duty's leader flag and position (`roles`)."""
    roles = roles or {}
    timeline = Timeline(scenario)
    units = {p.id: p.unit for p in scenario.posts}
    rows = []
    for a in sorted(assignments):
        start, end = timeline.duty(a.shift, a.date)
        shift = scenario.shift(a.shift)
        rows.append(
            {
                "roster_id": roster_id,
                "officer_id": a.officer,
                "post_id": a.post,
                "shift_id": a.shift,
                "unit_id": units[a.post],
                "date": a.date,
                "start_at": start.replace(tzinfo=None),
                "end_at": end.replace(tzinfo=None),
                "minutes": shift.minutes,
                "night": shift.night,
                "leader": roles.get(a, NO_ROLE).leader,
                "position": roles.get(a, NO_ROLE).position,
            }
        )
    return rows


def shortfall_rows(
    scenario: d.Scenario, shortfalls: Iterable[d.Shortfall], roster_id: int
) -> list[dict[str, Any]]:
    units = {p.id: p.unit for p in scenario.posts}
    return [
        {
            "roster_id": roster_id,
            "post_id": s.post,
            "unit_id": units.get(s.post, ""),
            "shift_id": s.shift,
            "date": s.date,
            "missing": s.missing,
            "skill": s.skill,
            "reason": s.reason,
            "reason_zh": s.reason_zh,
            "causes": None if s.causes is None else dict(s.causes),
        }
        for s in shortfalls
    ]


def roster_to_domain(
    r: m.Roster, assignments: Iterable[m.RosterAssignment], shortfalls: Iterable[m.RosterShortfall]
) -> d.Roster:
    assignments = list(assignments)
    score = None if r.score is None else d.Score(**{k: r.score.get(k, 0) for k in d.SCORE_TERMS})
    return d.Roster(
        scenario=str(r.snapshot.document.get("name", "")),
        status=r.solver_status,
        assignments=tuple(
            sorted(d.Assignment(a.date, a.shift_id, a.post_id, a.officer_id) for a in assignments)
        ),
        objective=r.objective,
        bound=r.bound,
        score=score,
        shortfalls=tuple(
            d.Shortfall(s.post_id, s.shift_id, s.date, s.missing, s.skill, s.reason, s.reason_zh, s.causes)
            for s in shortfalls
        ),
        solve_seconds=r.solve_seconds,
        extra=dict(r.extra),
        roles=MappingProxyType(roles_of(assignments)),
    )


def roles_of(assignments: Iterable[m.RosterAssignment]) -> dict[d.Assignment, d.DutyRole]:
    """The leaders and positions of stored duties."""
    return {
        d.Assignment(a.date, a.shift_id, a.post_id, a.officer_id): d.DutyRole(a.leader, a.position)
        for a in assignments
        if a.leader or a.position is not None
    }
