"""Who may staff a slot at all. Models leave out the Booleans these rules forbid (see
`RosterModel.eligible`); in the plain model every Boolean exists and the rules set them to 0."""

from __future__ import annotations

from solver.model.base import Penalty, RosterModel
from solver.timeline import overlaps


def serves_unit(m: RosterModel) -> list[Penalty]:
    """An officer staffs only posts of the units in their `serves` list."""
    for officer, slot, lit in m.placements():
        if m.scenario.post(slot.post).unit not in officer.serves:
            m.cp.add(lit == 0)
    return []


def unavailable(m: RosterModel) -> list[Penalty]:
    """No duty of an officer overlaps one of their unavailable spans, or a duty they have elsewhere."""
    for officer in m.officers:
        spans = [interval for _, interval in m.timeline.away(officer)]
        for t, lit in m.works(officer.id):
            if any(overlaps((t.start, t.end), span) for span in spans):
                m.cp.add(lit == 0)
    return []
