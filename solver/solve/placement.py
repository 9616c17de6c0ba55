"""Placing officers whose working times are known at posts, greedily (the fast first answer of
"who stands where"; a fixed-pattern PostModel improves on it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from solver.domain import Assignment, Scenario, Slot, SlotKey
from solver.model.base import TimeKey
from solver.model.shift import Kind, officer_kind
from solver.timeline import Timeline


def place_greedy(
    s: Scenario,
    working: dict[str, list[TimeKey]],
    seats: dict[tuple[Kind, SlotKey], int] | None,
    previous: Sequence[Assignment],
) -> list[Assignment]:
    """Place working officers at posts, time by time: a pinned post first, then the post of the
    previous roster or the baseline, then the post of their duty group at that time, then their
    last post, each where a seat of their kind is
    free (`seats`, from a ShiftModel; without it, up to each slot's max), else the emptiest seat."""
    timeline = Timeline(s)
    slots_at: dict[TimeKey, list[Slot]] = defaultdict(list)
    for slot in s.slots():
        slots_at[(slot.shift, slot.date)].append(slot)
    used_skills = frozenset(k for slots in slots_at.values() for slot in slots for k in slot.skills)
    officer = {o.id: o for o in s.officers}
    kind = {oid: officer_kind(o, used_skills) for oid, o in officer.items()}
    unit_of = {p.id: p.unit for p in s.posts}
    wanted: dict[tuple[str, TimeKey], str] = {}
    for a in (*previous, *s.baseline, *s.pinned):  # later entries win: pins first of all
        wanted[(a.officer, (a.shift, a.date))] = a.post
    by_time: dict[TimeKey, list[str]] = defaultdict(list)
    for oid, keys in working.items():
        for key in keys:
            by_time[key].append(oid)
    last_post: dict[str, str] = {}
    group_post: dict[tuple[str, TimeKey], str] = {}  # where a duty group stands at a time (v2)
    out = []
    for key in sorted(by_time, key=lambda k: timeline.duty(*k)[0]):
        free: dict[tuple[Kind, str], int] = defaultdict(int)
        for slot in slots_at[key]:
            for k in {kind[oid] for oid in by_time[key]}:
                free[(k, slot.post)] = slot.max if seats is None else seats.get((k, slot.key), 0)
        for oid in sorted(by_time[key], key=lambda o: ((o, key) not in wanted, o)):
            options = [slot.post for slot in slots_at[key] if unit_of[slot.post] in officer[oid].serves]
            group = s.group_of(oid)
            together = None if group is None else group_post.get((group.id, key))
            preferred = [wanted.get((oid, key)), together, last_post.get(oid)]
            choice = next((p for p in preferred if p in options and free[(kind[oid], p)] > 0), None)
            if choice is None:
                choice = max(options, key=lambda p: (free[(kind[oid], p)], p))
            free[(kind[oid], choice)] -= 1
            last_post[oid] = choice
            if group is not None:
                group_post.setdefault((group.id, key), choice)
            out.append(Assignment(date=key[1], shift=key[0], post=choice, officer=oid))
    return out
