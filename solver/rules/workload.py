"""Working time per week: duty minutes per 7 dates, and days off per 7 days."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from solver.model.base import Penalty, RosterModel
from solver.timeline import overlaps


def max_minutes_per_7_days(m: RosterModel) -> list[Penalty]:
    """In every 7 consecutive dates holding a horizon duty, the minutes of the duties starting in
    them (history included) are at most `max_minutes_per_7_days`."""
    s = m.scenario
    for officer in m.officers:
        limit = s.rules_for(officer).max_minutes_per_7_days
        history = Counter[object]()
        for t in m.history[officer.id]:
            history[t.date] += t.minutes
        works = m.works(officer.id)
        for offset in range(-6, s.days):
            first = s.start + timedelta(days=offset)
            last = first + timedelta(days=6)
            inside = [(t.minutes, lit) for t, lit in works if first <= t.date <= last]
            if not inside:
                continue
            past = sum(history[first + timedelta(days=i)] for i in range(7))
            if past + sum(minutes for minutes, _ in inside) <= limit:
                continue
            if past > limit:  # history alone is over: no horizon duty may join it
                for _, lit in inside:
                    m.cp.add(lit == 0)
            else:
                m.cp.add(sum(minutes * lit for minutes, lit in inside) <= limit - past)
    return []


def min_days_off_per_7_days(m: RosterModel) -> list[Penalty]:
    """In every 7 consecutive dates inside the horizon, at least `min_days_off_per_7_days`
    calendar days overlap no duty (history duties running into the horizon included)."""
    s = m.scenario
    if s.days < 7:
        return []
    day_bounds = {day: m.timeline.day(day) for day in s.dates}
    for officer in m.officers:
        need = s.rules_for(officer).min_days_off_per_7_days
        if need == 0:
            continue
        busy_by_history = {
            day
            for t in m.history[officer.id]
            for day, bounds in day_bounds.items()
            if overlaps((t.start, t.end), bounds)
        }
        for i in range(s.days - 6):
            window = s.dates[i : i + 7]
            taken = sum(1 for day in window if day in busy_by_history)
            free = [m.busy_on(officer.id, day) for day in window if day not in busy_by_history]
            busy = [b for b in free if b is not None]
            if taken + len(busy) <= 7 - need:
                continue
            if taken > 7 - need:  # history alone leaves too few: no horizon duty may touch the window
                for day in window:
                    touching = m.busy_on(officer.id, day)
                    if touching is not None:
                        m.cp.add(touching == 0)
            else:
                m.cp.add(sum(busy) <= 7 - need - taken)
    return []
