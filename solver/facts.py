"""What the CP-SAT rules, the referee, the ledger and the who-can-cover scorer must agree on, written
once: who counts for fairness, what a slot misses, when a request is broken."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from solver.domain import Officer, Request, RequestKind, Scenario, Slot
from solver.timeline import Timeline, overlaps


def fairness_eligible(s: Scenario, timeline: Timeline) -> dict[str, list[Officer]]:
    """Per unit, the home officers counted for fairness (no span away overlapping the horizon)."""
    horizon = timeline.horizon()
    out: dict[str, list[Officer]] = {u.id: [] for u in s.units}
    for o in s.officers:
        if not any(overlaps(interval, horizon) for _, interval in timeline.away(o)):
            out[o.unit].append(o)
    return out


def slot_missing(slot: Slot, staff: Iterable[Officer]) -> list[tuple[str | None, int, int]]:
    """(skill or None for the head count, need, missing) for each need of a slot left unmet by
    `staff`: every officer counts once toward the head count and once toward each skill held."""
    staff = list(staff)
    out: list[tuple[str | None, int, int]] = []
    if len(staff) < slot.min:
        out.append((None, slot.min, slot.min - len(staff)))
    for skill, need in sorted(slot.skills.items()):
        have = sum(1 for o in staff if skill in o.skills)
        if have < need:
            out.append((skill, need, need - have))
    return out


def request_broken(r: Request, shifts_started: Collection[str]) -> bool:
    """Whether request `r` is broken by duties of these shift types starting on its date:
    `day_off` by any, `shift_off` by one of its shift, `shift_on` when there is none of it."""
    if r.kind is RequestKind.DAY_OFF:
        return bool(shifts_started)
    if r.kind is RequestKind.SHIFT_OFF:
        return r.shift in shifts_started
    return r.shift not in shifts_started
