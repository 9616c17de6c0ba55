"""Runs of consecutive duty days and of consecutive night duties (history counts, however far back)."""

from __future__ import annotations

from datetime import date, timedelta

from solver.model.base import Penalty, RosterModel


def max_consecutive_days(m: RosterModel) -> list[Penalty]:
    """No horizon date is the (max_consecutive_days + 1)-th date in a row with a duty start."""
    for officer in m.officers:
        _limit_runs(m, officer.id, m.scenario.rules_for(officer).max_consecutive_days, nights=False)
    return []


def max_consecutive_nights(m: RosterModel) -> list[Penalty]:
    """No horizon date is the (max_consecutive_nights + 1)-th date in a row with a night duty start."""
    for officer in m.officers:
        _limit_runs(m, officer.id, m.scenario.rules_for(officer).max_consecutive_nights, nights=True)
    return []


def _limit_runs(m: RosterModel, officer_id: str, limit: int, *, nights: bool) -> None:
    s = m.scenario
    worked_before: set[date] = {t.date for t in m.history[officer_id] if t.night or not nights}
    for day in s.dates:
        window = [day - timedelta(days=i) for i in range(limit + 1)]
        started = [m.started_on(officer_id, d, nights) for d in window if s.in_horizon(d)]
        lits = [lit for lit in started if lit is not None]
        if not lits or m.started_on(officer_id, day, nights) is None:
            continue
        past = sum(1 for d in window if not s.in_horizon(d) and d in worked_before)
        if past + len(lits) <= limit:
            continue
        m.cp.add(sum(lits) <= limit - past)
