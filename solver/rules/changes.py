"""Changes against the published baseline roster (soft), for minimal-change re-planning."""

from __future__ import annotations

from solver.model.base import Expr, Penalty, RosterModel


def changes(m: RosterModel) -> list[Penalty]:
    """Each distinct baseline duty inside the horizon that is not in the roster costs
    `weights.change`. A `ShiftModel` counts a duty as kept when its officer works that shift
    (a relaxation: it does not place officers at posts)."""
    s = m.scenario
    out = []
    for a in dict.fromkeys(s.baseline):
        if not s.in_horizon(a.date):
            continue
        kept: Expr | None = None
        key = a.slot_key
        slot = m.slot_index.get(key)
        if slot is not None and s.has_officer(a.officer) and m.eligible(s.officer(a.officer), slot):
            kept = m.placement(a.officer, key) if m.places_officers else m.work(a.officer, (a.shift, a.date))
        out.append(
            Penalty(
                "changes",
                s.weights.change,
                1 if kept is None else 1 - kept,
                f"baseline {a.shift} duty removed",
                officer=a.officer,
                post=a.post,
                date=a.date,
                shift=a.shift,
            )
        )
    return out
