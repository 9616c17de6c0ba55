"""Version-2 over-staffing (soft): each officer above a slot's `min` costs its `over_weight`."""

from __future__ import annotations

from solver.model.base import Penalty, RosterModel


def overstaffing(m: RosterModel) -> list[Penalty]:
    out = []
    for slot in m.slots:
        if not slot.over_weight or slot.max <= slot.min:
            continue
        over = m.cp.new_int_var(0, slot.max - slot.min, f"over[{slot.post},{slot.shift},{slot.date}]")
        # exactly max(0, staffed - min), so that any roster's objective is its score
        m.cp.add_max_equality(over, [0, m.staffing(slot) - slot.min])
        post = m.scenario.post(slot.post)
        out.append(
            Penalty(
                "overstaffing",
                slot.over_weight,
                over,
                "officers above the minimum",
                post=slot.post,
                unit=post.unit,
                date=slot.date,
                shift=slot.shift,
            )
        )
    return out
