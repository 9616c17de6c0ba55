"""Version-2 minimum runs: of consecutive duty dates, and of consecutive days off.

A maximal run that includes neither the horizon's first nor its last date must have at least the
minimum length. For a minimum k this is exact as clauses: for every start i ≥ 1 and length L < k
whose run ends before the last date, not (x[i-1] = 0, x[i..i+L-1] = 1, x[i+L] = 0).
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
    n = len(flags)
    for i in range(1, n - 1):
        if flags[i] is False or flags[i - 1] is True:
            continue
        for length in range(1, need):
            end = i + length  # the date after the run
            if end > n - 1:
                break
            if any(f is False for f in flags[i:end]):
                break
            clause: list[Flag] = []
            satisfied = False
            for f in (flags[i - 1], flags[end]):
                if f is True:
                    satisfied = True
                elif f is not False:
                    clause.append(f)
            for f in flags[i:end]:
                if f is not True:
                    clause.append(f.Not())
            if satisfied:
                continue
            if not clause:
                m.cp.add_bool_or([])  # history alone fixes a short run: no roster holds
            else:
                m.cp.add_bool_or(clause)
