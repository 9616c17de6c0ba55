"""The worked past: duties that started before "now" are facts, whatever a change asks.

Which published duties count as worked is the solver's `solver.replan.worked_duties` (re-planning
uses the same); `with_frozen_past` pins them and freezes the scenario up to now.
"""

from __future__ import annotations

from datetime import date, datetime, time

from solver import domain as d
from solver.replan import with_past


def with_frozen_past(s: d.Scenario, now: datetime) -> d.Scenario:
    """`s` with `frozen_until` = now and the published duties worked by then pinned."""
    return with_past(s, s.baseline, now)


def clamped(now: datetime, start: date, end: date) -> datetime:
    """`now`, moved into [start 00:00, end 00:00]."""
    return min(max(now, datetime.combine(start, time())), datetime.combine(end, time()))
