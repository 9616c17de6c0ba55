"""The frozen past (optional scenario field `frozen_until`): nothing new starts before it."""

from __future__ import annotations

from solver.model.base import Penalty, RosterModel


def frozen_until(m: RosterModel) -> list[Penalty]:
    """No duty starts before `frozen_until` unless it is pinned (re-planning keeps the past)."""
    s = m.scenario
    if s.frozen_until is None:
        return []
    cutoff = m.timeline.instant(s.frozen_until)
    pinned = {(a.officer, (a.shift, a.date)) for a in s.pinned}
    for officer in m.officers:
        for t, lit in m.works(officer.id):
            if t.start < cutoff and (officer.id, t.key) not in pinned:
                m.cp.add(lit == 0)
    return []
