"""Time between an officer's duties: no overlap, and the minimum rest (history included)."""

from __future__ import annotations

from datetime import timedelta

from solver.model.base import Literal, Penalty, RosterModel, TimePoint


def overlap(m: RosterModel) -> list[Penalty]:
    """No two duties of an officer share an instant."""
    for officer in m.officers:
        _forbid_closer_than(m, officer.id, timedelta(0))
    return []


def min_rest(m: RosterModel) -> list[Penalty]:
    """A duty starts at least `min_rest_minutes` after the end of the officer's previous duty."""
    for officer in m.officers:
        rest = timedelta(minutes=m.scenario.rules_for(officer).min_rest_minutes)
        _forbid_closer_than(m, officer.id, rest)
    return []


def _forbid_closer_than(m: RosterModel, officer_id: str, gap: timedelta) -> None:
    """Forbid every pair of duty starts where the later starts before the earlier ends plus `gap`.

    Starts that all clash with each other become one at-most-one constraint (a stronger
    relaxation than pairs). A start that clashes with a history duty is forbidden outright.
    """
    lits: dict[TimePoint, Literal | None] = {t: None for t in m.history[officer_id]}
    lits.update(dict(m.works(officer_id)))
    timeline = sorted(lits, key=lambda t: (t.start, t.shift))

    def clash(a: TimePoint, b: TimePoint) -> bool:
        return b.start < a.end + gap

    for i, first in enumerate(timeline):
        group = [first]
        for later in timeline[i + 1 :]:
            if not clash(first, later):
                break  # sorted by start: no later start clashes with `first` either
            group.append(later)
        if len(group) < 2:
            continue
        is_clique = all(clash(a, b) for j, a in enumerate(group) for b in group[j + 1 :])
        for members in [group] if is_clique else [[first, other] for other in group[1:]]:
            horizon = [lit for t in members if (lit := lits[t]) is not None]
            if len(horizon) < len(members):  # a history duty is among them: the others cannot be
                for lit in horizon:
                    m.cp.add(lit == 0)
            elif len(horizon) > 1:
                m.cp.add_at_most_one(horizon)
