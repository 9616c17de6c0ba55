"""Calendar facts of the version-2 working-time rules that the referee, the ledger and the models
must agree on: weekends of the horizon, and the runs the minimum-run rules judge."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from solver.domain import Scenario

SATURDAY = 5


def weekends(s: Scenario) -> list[tuple[date, ...]]:
    """Each weekend (Saturday and Sunday, local dates) of which at least one date is a horizon date,
    as its horizon dates, in order."""
    out: list[tuple[date, ...]] = []
    seen: set[date] = set()
    for day in s.dates:
        if day.weekday() < SATURDAY:
            continue
        saturday = day - timedelta(days=day.weekday() - SATURDAY)
        if saturday in seen:
            continue
        seen.add(saturday)
        out.append(tuple(d for d in (saturday, saturday + timedelta(days=1)) if s.in_horizon(d)))
    return out


def judged_runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """(first index, length) of every maximal run of True in `flags` (one per horizon date) that
    includes neither the first nor the last date: the runs the minimum-run rules judge."""
    out = []
    i, n = 0, len(flags)
    while i < n:
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < n and flags[j]:
            j += 1
        if i > 0 and j < n:
            out.append((i, j - i))
        i = j
    return out
