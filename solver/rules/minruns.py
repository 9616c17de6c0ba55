"""Version-2 minimum runs: of consecutive duty dates, and of consecutive days off.

A maximal run that includes neither the horizon's first nor its last date must have at least the
minimum length. For a minimum k this is exact as clauses on run starts: a run that starts on date
i ≥ 1 (x[i-1] = 0, x[i] = 1) goes on through every date i + j, j < k, of the horizon.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from solver.model.base import Penalty, RosterModel
from solver.timeline import overlaps

Flag: TypeAlias = Any
"""A per-date fact: a literal (or its negation), or True/False where no decision can change it."""


def min_consecutive_days(m: RosterModel) -> list[Penalty]:
    """Runs of consecutive duty dates (dates on which a duty of the officer starts)."""
    for officer in m.officers:
        need = m.scenario.rules_for(officer).min_consecutive_days
        if need > 1:
            flags: list[Flag] = []
            for day in m.scenario.dates:
                lit = m.started_on(officer.id, day)
                flags.append(False if lit is None else lit)
            _forbid_short_runs(m, flags, need)
    return []


def min_consecutive_days_off(m: RosterModel) -> list[Penalty]:
    """Runs of days off: calendar days overlapping no duty (history running in included)."""
    for officer in m.officers:
        need = m.scenario.rules_for(officer).min_consecutive_days_off
        if need <= 1:
            continue
        flags: list[Flag] = []
        for day in m.scenario.dates:
            bounds = m.timeline.day(day)
            if any(overlaps((h.start, h.end), bounds) for h in m.history[officer.id]):
                flags.append(False)
                continue
            busy = m.busy_on(officer.id, day)
            flags.append(True if busy is None else busy.Not())
        _forbid_short_runs(m, flags, need)
    return []


def _forbid_short_runs(m: RosterModel, flags: Sequence[Flag], need: int) -> None:
    """A run that starts on date i ≥ 1 (flag i set, flag i - 1 not) lasts `need` dates or reaches
    the last date: for every later date e = i + j (j < need, e ≤ the last date), the clause
    (not f[i]) or f[i - 1] or f[e]. Exact (a maximal run of length L < need with a date after
    it breaks the clause for e = i + L) and as a linear relaxation f[e] ≥ f[i] - f[i - 1], which
    implies every run-by-run clause (not f[i-1], f[i..i+L-1], not f[i+L]) with far fewer and
    shorter constraints."""
    n = len(flags)
    for i in range(1, n - 1):
        if flags[i] is False or flags[i - 1] is True:
            continue  # no run can start on date i
        for e in range(i + 1, min(n, i + need)):
            if flags[e] is True:
                continue
            clause = [f for f in (flags[i - 1], flags[e]) if f is not False]
            if flags[i] is not True:
                clause.append(flags[i].Not())
            m.cp.add_bool_or(clause)  # empty: history alone fixes a short run, no roster holds
