"""Owed rest (v2, hard): compulsory rest after a surge (强制补休)."""

from __future__ import annotations

from solver.groups import owed_rest_dates
from solver.model.base import Penalty, RosterModel
from solver.timeline import overlaps


def owed_rest(m: RosterModel) -> list[Penalty]:
    """For each owed-rest entry, at least `days` calendar days among the horizon dates up to `by`
    overlap no duty (history duties running into the horizon included). When history alone leaves
    too few, no horizon duty may touch those dates (history alone is never a violation)."""
    s = m.scenario
    for officer in m.officers:
        for entry in officer.owed_rest:
            dates = owed_rest_dates(s, entry)
            if not dates:
                continue
            by_history = {
                day
                for t in m.history[officer.id]
                for day in dates
                if overlaps((t.start, t.end), m.timeline.day(day))
            }
            busy = [
                b for day in dates if day not in by_history and (b := m.busy_on(officer.id, day)) is not None
            ]
            allowed = len(dates) - entry.days - len(by_history)
            if len(busy) <= allowed:
                continue
            if allowed < 0:
                for day in dates:
                    touching = m.busy_on(officer.id, day)
                    if touching is not None:
                        m.cp.add(touching == 0)
            else:
                m.cp.add(sum(busy) <= allowed)
    return []
