"""Version-2 rules over the whole horizon: duties per shift type, minutes, weekends."""

from __future__ import annotations

from solver.model.base import Penalty, RosterModel
from solver.workdays import weekends


def max_duties_by_shift(m: RosterModel) -> list[Penalty]:
    """An officer's horizon duties of a listed shift type are at most its limit (0: never)."""
    for officer in m.officers:
        limits = m.scenario.rules_for(officer).max_duties_by_shift
        for shift, limit in limits.items():
            lits = [lit for t, lit in m.works(officer.id) if t.shift == shift]
            if len(lits) > limit:
                m.cp.add(sum(lits) <= limit)
    return []


def min_minutes_per_horizon(m: RosterModel) -> list[Penalty]:
    """The minutes of an officer's horizon duties are at least `min_minutes_per_horizon` (with no
    duty possible the model is infeasible: the solve reports it before, see `solver.minimums`)."""
    for officer in m.officers:
        need = m.scenario.rules_for(officer).min_minutes_per_horizon
        if need:
            m.cp.add(sum(t.minutes * lit for t, lit in m.works(officer.id)) >= need)
    return []


def max_minutes_per_horizon(m: RosterModel) -> list[Penalty]:
    """The minutes of an officer's horizon duties are at most `max_minutes_per_horizon`."""
    for officer in m.officers:
        limit = m.scenario.rules_for(officer).max_minutes_per_horizon
        if limit is None:
            continue
        works = m.works(officer.id)
        if sum(t.minutes for t, _ in works) > limit:
            m.cp.add(sum(t.minutes * lit for t, lit in works) <= limit)
    return []


def max_weekends(m: RosterModel) -> list[Penalty]:
    """Weekends with a horizon duty starting on the Saturday or the Sunday are at most `max_weekends`
    per officer; a weekend counts when either of its dates is a horizon date."""
    all_weekends = weekends(m.scenario)
    for officer in m.officers:
        limit = m.scenario.rules_for(officer).max_weekends
        if limit is None:
            continue
        worked = []
        for i, dates in enumerate(all_weekends):
            starts = [m.started_on(officer.id, d) for d in dates]
            lit = m.any_of([s for s in starts if s is not None], f"weekend[{officer.id},{i}]")
            if lit is not None:
                worked.append(lit)
        if len(worked) > limit:
            m.cp.add(sum(worked) <= limit)
    return []
