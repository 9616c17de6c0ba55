"""Coverage: a slot's maximum (hard) and its minimum and skills (soft: shortfall)."""

from __future__ import annotations

from solver.model.base import Expr, Penalty, RosterModel


def coverage_max(m: RosterModel) -> list[Penalty]:
    """No slot is staffed by more than its `max` officers."""
    for slot in m.slots:
        m.cp.add(m.staffing(slot) <= slot.max)
    return []


def shortfall(m: RosterModel) -> list[Penalty]:
    """Each officer, and each officer with a required skill, missing from a slot costs
    `priority * weights.shortfall`."""
    weight = m.scenario.weights.shortfall
    out = []
    for slot in m.slots:
        post = m.scenario.post(slot.post)
        needs: list[tuple[str | None, int, Expr]] = [(None, slot.min, m.staffing(slot))]
        needs += [(skill, need, m.skilled(slot, skill)) for skill, need in sorted(slot.skills.items())]
        for skill, need, staffed in needs:
            if need == 0:
                continue
            missing = m.cp.new_int_var(0, need, f"short[{slot.post},{slot.shift},{slot.date},{skill}]")
            # exactly max(0, need - staffed), so that any roster's objective is its score
            m.cp.add_max_equality(missing, [0, need - staffed])
            out.append(
                Penalty(
                    "shortfall",
                    post.priority * weight,
                    missing,
                    "officers missing" if skill is None else f"officers with {skill} missing",
                    post=slot.post,
                    unit=post.unit,
                    date=slot.date,
                    shift=slot.shift,
                )
            )
    return out
