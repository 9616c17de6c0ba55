"""A cheap first roster: chronological greedy filling, highest priority first.

At each duty start, slots are filled in priority order: skills first, then head count, each from
the officers who stood at that post before (continuity), then from everyone else with the fewest
duties (fairness), saving scarce skills for the slots that need them. Every duty is checked with
the officer's `Ledger`, so the roster keeps every hard rule; the CP-SAT models improve on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from solver.domain import Assignment, Officer, RequestKind, Scenario, Slot, SlotKey
from solver.ledger import Ledger, ledgers
from solver.timeline import Timeline


def greedy_roster(scenario: Scenario) -> list[Assignment]:
    s = scenario
    timeline = Timeline(s)
    books = ledgers(s, timeline)
    staffed: dict[SlotKey, list[str]] = defaultdict(list)
    out: list[Assignment] = []

    def take(oid: str, slot: Slot) -> None:
        books[oid].add(slot.key)
        staffed[slot.key].append(oid)
        out.append(Assignment(date=slot.date, shift=slot.shift, post=slot.post, officer=oid))

    slots = s.slots()
    slot_by_key = {sl.key: sl for sl in slots}
    for a in dict.fromkeys(s.pinned):
        take(a.officer, slot_by_key[SlotKey(a.post, a.shift, a.date)])

    unwanted = _unwanted(s)
    by_time: dict[tuple[str, object], list[Slot]] = defaultdict(list)
    for sl in slots:
        by_time[(sl.shift, sl.date)].append(sl)
    order = sorted(by_time, key=lambda k: timeline.duty(k[0], k[1])[0])  # type: ignore[arg-type]
    skill_holders = defaultdict(int)
    for o in s.officers:
        for k in o.skills:
            skill_holders[k] += 1
    team: dict[str, list[str]] = defaultdict(list)  # post -> officers who stood there, most recent last
    for a in out:
        team[a.post].append(a.officer)

    used_skills = frozenset(k for sl in slots for k in sl.skills)
    for key in order:
        busy_now: set[str] = {oid for sl in by_time[key] for oid in staffed[sl.key]}
        night = s.shift(key[0]).night
        ranked = sorted(
            s.officers,
            key=lambda o: (
                unwanted.get((o.id, key), 0),
                books[o.id].nights_on.total() if night else 0,
                len(books[o.id].duties),
                o.id,
            ),
        )
        # for head count alone, officers without needed skills go first, saving the skilled
        plain_first = sorted(ranked, key=lambda o: not o.skills.isdisjoint(used_skills))
        for sl in sorted(by_time[key], key=lambda sl: (-s.post(sl.post).priority, sl.post)):
            regulars = [s.officer(oid) for oid in reversed(team[sl.post])]

            def fill(count: int, pool: list[Officer], skill: str | None, sl: Slot = sl) -> None:
                count = min(count, sl.max - len(staffed[sl.key]))
                for o in pool:
                    if count <= 0:
                        return
                    if o.id in busy_now or (skill is not None and skill not in o.skills):
                        continue
                    if books[o.id].blocks(sl.key, first_only=True):
                        continue
                    take(o.id, sl)
                    busy_now.add(o.id)
                    count -= 1

            for skill, need in sorted(sl.skills.items(), key=lambda kv: skill_holders[kv[0]]):
                have = sum(1 for oid in staffed[sl.key] if skill in s.officer(oid).skills)
                fill(need - have, _unique(regulars + ranked), skill)
            fill(sl.min - len(staffed[sl.key]), _unique(regulars + plain_first), None)
            team[sl.post].extend(oid for oid in staffed[sl.key] if oid not in team[sl.post][-30:])
    return sorted(out)


def _unique(officers: Iterable[Officer]) -> list[Officer]:
    return list({o.id: o for o in officers}.values())


def _unwanted(s: Scenario) -> dict[tuple[str, tuple[str, object]], int]:
    """(officer, (shift, date)) -> weight of the requests a duty there would break."""
    out: dict[tuple[str, tuple[str, object]], int] = defaultdict(int)
    for o in s.officers:
        for r in o.requests:
            if r.kind is RequestKind.DAY_OFF:
                for t in s.shift_types:
                    out[(o.id, (t.id, r.date))] += r.weight
            elif r.kind is RequestKind.SHIFT_OFF and r.shift is not None:
                out[(o.id, (r.shift, r.date))] += r.weight
            elif r.shift is not None:
                out[(o.id, (r.shift, r.date))] -= r.weight
    return out
