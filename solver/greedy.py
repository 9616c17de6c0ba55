"""A cheap first roster: greedy filling, day by day, highest priority first.

At each duty start, the skill seats of every slot are filled first (highest priority first), then
the head count, each from the officers who stood at that post before (continuity), then from
everyone else with the fewest duties (fairness), saving skilled officers for skill seats; members
of a duty group whose pattern asks for this duty come first, and those it asks for are placed
beside their group up to the slots' max. Duty groups stand together (v2 `group_split`): once a
member takes a seat, the free members of the group come next for that slot, and members whose
group already stands at another post or shift that date come last. Every
duty is checked with the officer's `Ledger`, so the roster keeps every hard rule. The CP-SAT
models improve on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime

from solver.domain import Assignment, Group, Officer, RequestKind, Scenario, Slot, SlotKey
from solver.groups import group_members
from solver.ledger import Ledger, ledgers
from solver.timeline import Timeline

SLOT_RULES = frozenset({"serves_unit", "frozen_until"})
"""The ledger's rules whose verdict depends on the slot's post, not only on the duty's time."""


def greedy_roster(scenario: Scenario, start: Sequence[Assignment] = ()) -> list[Assignment]:
    """The greedy roster; with `start` (duties known to hold together, pins among them), those
    duties are kept and only the seats they leave empty are filled: a repair, not a new roster."""
    return fill(scenario, scenario.dates, start)


def fill(s: Scenario, day_order: Sequence[date], start: Sequence[Assignment] = ()) -> list[Assignment]:
    """The greedy roster, taking days in `day_order`, around the duties of `start`."""
    timeline = Timeline(s)
    books = ledgers(s, timeline)
    for book in books.values():
        book.judge_minimum_runs = False  # runs are built day by day; see `_top_up`
    staffed: dict[SlotKey, list[str]] = defaultdict(list)
    team: dict[str, list[str]] = defaultdict(list)  # post -> officers who stood there, latest last
    out: list[Assignment] = []
    group_at: dict[tuple[str, date], tuple[str, str]] = {}  # (group, date) -> its first (post, shift)

    def take(oid: str, slot: Slot) -> None:
        books[oid].add(slot.key)
        staffed[slot.key].append(oid)
        team[slot.post].append(oid)
        out.append(Assignment(date=slot.date, shift=slot.shift, post=slot.post, officer=oid))
        group = s.group_of(oid)
        if group is not None:
            group_at.setdefault((group.id, slot.date), (slot.post, slot.shift))

    slots = s.slots()
    slot_by_key = {sl.key: sl for sl in slots}
    for a in dict.fromkeys((*s.pinned, *start)):
        take(a.officer, slot_by_key[a.slot_key])

    by_time: dict[tuple[str, date], list[Slot]] = defaultdict(list)
    for sl in slots:
        by_time[(sl.shift, sl.date)].append(sl)
    rank_of_day = {d: i for i, d in enumerate(day_order)}
    order = sorted(by_time, key=lambda k: (rank_of_day[k[1]], timeline.duty(*k)[0]))
    unwanted = _unwanted(s)
    holders: dict[str, int] = defaultdict(int)
    for o in s.officers:
        for k in o.skills:
            holders[k] += 1
    used_skills = frozenset(k for sl in slots for k in sl.skills)
    officer_of = {o.id: o for o in s.officers}

    def off_pattern(oid: str, key: tuple[str, date]) -> int:
        """0: the officer's group pattern asks for this duty; 1: no pattern; 2: it asks otherwise."""
        group = s.group_of(oid)
        if group is None or group.pattern is None:
            return 1
        return 0 if group.pattern.shift_on(key[1]) == key[0] else 2

    cutoff = None if s.frozen_until is None else timeline.instant(s.frozen_until)
    for key in order:
        if cutoff is not None and timeline.duty(*key)[0] < cutoff:
            continue  # the frozen past: only its pinned duties
        busy_now = {oid for sl in by_time[key] for oid in staffed[sl.key]}
        night = s.shift(key[0]).night
        ranked = sorted(
            s.officers,
            key=lambda o: (
                unwanted.get((o.id, key), 0),
                off_pattern(o.id, key),
                books[o.id].nights_on.total() if night else 0,
                len(books[o.id].duties),
                o.id,
            ),
        )
        unskilled_first = sorted(ranked, key=lambda o: not o.skills.isdisjoint(used_skills))
        by_priority = sorted(by_time[key], key=lambda sl: (-s.post(sl.post).priority, sl.post))

        blocked_now: set[str] = set()  # officers a rule of time keeps from every slot of this start

        def blocked(oid: str, sl: Slot, blocked_now: set[str] = blocked_now) -> bool:
            """Whether the ledger refuses `sl` to the officer. A refusal for a rule of time (every
            rule but `serves_unit` and `frozen_until`, which read the post) holds for every slot of
            this duty start until the officer's ledger changes, and it only changes by a duty at
            this start (after which the officer is busy now): it is remembered for the start."""
            if oid in blocked_now:
                return True
            found = books[oid].blocks(sl.key, first_only=True)
            if found and found[0].rule not in SLOT_RULES:
                blocked_now.add(oid)
            return bool(found)

        def place(
            sl: Slot, count: int, pool: Iterable[Officer], skill: str | None, busy_now: set[str] = busy_now
        ) -> None:
            count = min(count, sl.max - len(staffed[sl.key]))
            if count <= 0:
                return
            tried: set[str] = set()
            for o in together(sl, pool):
                if count <= 0:
                    return
                if o.id in busy_now or (skill is not None and skill not in o.skills):
                    continue
                if o.id in tried:
                    continue
                tried.add(o.id)
                if blocked(o.id, sl):
                    continue
                take(o.id, sl)
                busy_now.add(o.id)
                count -= 1

        def together(sl: Slot, pool: Iterable[Officer], key: tuple[str, date] = key) -> Iterator[Officer]:
            """`pool` with duty groups kept together (v2 `group_split`): first the members of the
            groups that already stand at this post and shift today, then the pool without the
            members whose group stands elsewhere today, then those (they still staff a seat that
            nobody else can: shortfall costs far more than a split)."""
            if not s.groups:
                yield from pool
                return
            here = (sl.post, sl.shift)

            def mates(group: Group) -> Iterator[Officer]:  # (not those a duty now would cost a request)
                return (o for o in group_members(s, group) if unwanted.get((o.id, key), 0) <= 0)

            standing = {g.id: g for oid in staffed[sl.key] if (g := s.group_of(oid)) is not None}
            for g in standing.values():  # the groups seated here, whose place today this is
                if group_at[(g.id, sl.date)] == here:
                    yield from mates(g)
            later: list[Officer] = []
            for o in pool:
                group = s.group_of(o.id)
                at = None if group is None else group_at.get((group.id, sl.date))
                if at is not None and at != here:
                    later.append(o)
                else:
                    yield o
                    if group is not None and at is None and group_at.get((group.id, sl.date)) == here:
                        # o was just placed here: the rest of the group next
                        yield from mates(group)
            yield from later

        def regulars_first(sl: Slot, pool: list[Officer], key: tuple[str, date] = key) -> Iterable[Officer]:
            """Officers who stood at this post lately (latest first) unless a duty now would
            break one of their requests or depart from their group's pattern, then the pool in
            its order."""
            seen = set()
            for oid in reversed(team[sl.post][-40:]):
                if oid not in seen and unwanted.get((oid, key), 0) <= 0 and off_pattern(oid, key) < 2:
                    seen.add(oid)
                    yield officer_of[oid]
            yield from pool

        for sl in by_priority:  # skill seats everywhere first
            for skill, need in sorted(sl.skills.items(), key=lambda kv: holders[kv[0]]):
                have = sum(1 for oid in staffed[sl.key] if skill in officer_of[oid].skills)
                place(sl, need - have, regulars_first(sl, ranked), skill)
        for sl in by_priority:  # then the head count, sparing skilled officers
            place(sl, sl.min - len(staffed[sl.key]), regulars_first(sl, unskilled_first), None)
        if s.groups:  # then the members their pattern asks for now, beside their group if there is room
            for o in ranked:
                if o.id in busy_now or off_pattern(o.id, key) != 0:
                    continue
                group = s.group_of(o.id)
                assert group is not None
                beside = [sl for sl in by_priority if set(staffed[sl.key]) & set(group.members)]
                for sl in [*beside, *(sl for sl in by_priority if sl not in beside)]:
                    if len(staffed[sl.key]) < sl.max and not blocked(o.id, sl):
                        take(o.id, sl)
                        busy_now.add(o.id)
                        break
    _top_up(s, slots, staffed, books, take, cutoff, timeline)
    return sorted(out)


def _top_up(
    s: Scenario,
    slots: Sequence[Slot],
    staffed: dict[SlotKey, list[str]],
    books: dict[str, Ledger],
    take: Callable[[str, Slot], None],
    cutoff: datetime | None,
    timeline: Timeline,
) -> None:
    """v2 `min_minutes_per_horizon`: officers still below their minimum take free seats (below a
    slot's max) that every rule the ledger checks allows, earliest first. The greedy roster does not
    promise the minimum rules (`min_minutes_per_horizon`, `min_consecutive_days`): where it misses
    them the CP-SAT models find the first roster."""
    for o in s.officers:
        need = s.rules_for(o).min_minutes_per_horizon
        if not need:
            continue
        book = books[o.id]
        for sl in slots:
            have = sum(h.minutes for h in book.duties if s.in_horizon(h.date))
            if have >= need:
                break
            if len(staffed[sl.key]) >= sl.max or o.id in staffed[sl.key]:
                continue
            if cutoff is not None and timeline.duty(sl.shift, sl.date)[0] < cutoff:
                continue
            if not book.blocks(sl.key, first_only=True):
                take(o.id, sl)


def _unwanted(s: Scenario) -> dict[tuple[str, tuple[str, date]], int]:
    """(officer, (shift, date)) -> weight of the requests a duty there would break (negative:
    a duty there grants a shift_on request)."""
    out: dict[tuple[str, tuple[str, date]], int] = defaultdict(int)
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
