"""What still holds of a roster under a changed scenario (new leave, new coverage)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from solver.domain import Assignment, Scenario, SlotKey
from solver.ledger import ledgers
from solver.timeline import Timeline


def still_valid(s: Scenario, roster: Iterable[Assignment]) -> list[Assignment]:
    """The duties of `roster` that hold under `s`, taken pinned duties first, then by start: a duty
    is dropped when it names an unknown id, has no slot, would exceed its slot's max or would break
    a rule of its officer given the duties kept before it."""
    timeline = Timeline(s)
    books = ledgers(s, timeline)
    slots = {slot.key: slot for slot in s.slots()}
    staffed: Counter[SlotKey] = Counter()
    kept: list[Assignment] = []
    known = [a for a in dict.fromkeys(roster) if s.has_officer(a.officer) and a.slot_key in slots]
    pins = set(s.pinned)
    for a in sorted(
        known, key=lambda a: (a not in pins, timeline.duty(a.shift, a.date)[0], a.post, a.officer)
    ):
        key = a.slot_key
        if staffed[key] >= slots[key].max or books[a.officer].blocks(key, first_only=True):
            continue
        books[a.officer].add(key)
        staffed[key] += 1
        kept.append(a)
    return sorted(kept)
