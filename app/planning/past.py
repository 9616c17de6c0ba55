"""The worked past: duties that started before "now" are facts, whatever a change asks.

`worked_duties` is the one place the service decides which published duties count as worked (the
solver's re-planning does the same, `solver.repair`); `with_frozen_past` pins them and freezes the
scenario up to now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time

from solver import domain as d
from solver.timeline import Timeline, overlaps


def worked_duties(s: d.Scenario, duties: Iterable[d.Assignment], now: datetime) -> list[d.Assignment]:
    """The duties that started before `now` and overlap none of their officer's unavailability."""
    timeline = Timeline(s)
    cutoff = timeline.instant(now)
    out = []
    for a in duties:
        if not (s.has_officer(a.officer) and s.has_post(a.post) and s.has_shift(a.shift)):
            continue
        start, end = timeline.duty(a.shift, a.date)
        if start >= cutoff or not s.in_horizon(a.date):
            continue
        spans = [timeline.span(span) for span in s.officer(a.officer).unavailable]
        if not any(overlaps((start, end), x) for x in spans):
            out.append(a)
    return out


def with_frozen_past(s: d.Scenario, now: datetime) -> d.Scenario:
    """`s` with `frozen_until` = now and the published duties worked by then pinned."""
    pins = tuple(dict.fromkeys((*s.pinned, *worked_duties(s, s.baseline, now))))
    return replace(s, pinned=pins, frozen_until=now)


def clamped(now: datetime, start: date, end: date) -> datetime:
    """`now`, moved into [start 00:00, end 00:00]."""
    return min(max(now, datetime.combine(start, time())), datetime.combine(end, time()))
