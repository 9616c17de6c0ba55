"""Exact score changes for moving single duties in a roster (who-can-cover ranks by them; the
solve's rebalancing pass moves duties by them)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import pairwise

from solver.domain import SCORE_TERMS, Assignment, Officer, Scenario, Slot, SlotKey
from solver.facts import fairness_eligible, request_broken, slot_missing
from solver.groups import pattern_dates, pattern_departs
from solver.ledger import Ledger
from solver.timeline import Timeline


class Books(dict[str, Ledger]):
    """Each officer's ledger holding their duties of the scorer's roster, built on first use: a
    question about a few officers (who can cover one duty) builds a few ledgers, not one per
    officer of the scenario. An officer the scenario does not know has none (KeyError)."""

    def __init__(self, scorer: Scorer) -> None:
        super().__init__()
        self.scorer = scorer

    def __missing__(self, oid: str) -> Ledger:
        sc = self.scorer
        s = sc.s
        if not s.has_officer(oid):
            raise KeyError(oid)
        book = Ledger(s, sc.timeline, s.officer(oid))
        for a in sc.duties.get(oid, ()):
            if s.has_post(a.post) and s.has_shift(a.shift):
                book.add(a.slot_key)
        return self.setdefault(oid, book)


class Scorer:
    """Exact score changes for moving single duties in a roster, without rescoring it all.

    The per-officer ledgers (`books`) are built when first asked for; the fairness spread of each
    unit is kept as a tally of counts, so a score change costs the same in a unit of 10 officers
    as in one of 300. Whoever changes the roster behind it (rebalancing) keeps `duties`, `by_slot`,
    `roster`, `present` and the books in step and calls `recount` for the officers it touched."""

    def __init__(self, s: Scenario, roster: Sequence[Assignment]) -> None:
        self.s = s
        self.timeline = Timeline(s)
        self.roster = list(dict.fromkeys(roster))
        self.present = set(self.roster)
        self.by_slot: dict[SlotKey, list[str]] = defaultdict(list)
        self.duties: dict[str, list[Assignment]] = defaultdict(list)
        for a in self.roster:
            self.by_slot[a.slot_key].append(a.officer)
            self.duties[a.officer].append(a)
        self.books: dict[str, Ledger] = Books(self)
        self.slots = {slot.key: slot for slot in s.slots()}
        self.eligible = fairness_eligible(s, self.timeline)
        self.unit_of_eligible = {o.id: unit for unit, officers in self.eligible.items() for o in officers}
        self.counts = {oid: self._counts(self.duties[oid]) for oid in self.unit_of_eligible}
        self._tallies: dict[str, tuple[Counter[int], Counter[int]]] = {}
        self.baseline = {a for a in s.baseline if s.in_horizon(a.date)}

    def recount(self, oid: str) -> None:
        """The officer's fairness counts again, after their duties changed."""
        if oid in self.counts:
            self.counts[oid] = self._counts(self.duties[oid])
            self._tallies.pop(self.unit_of_eligible[oid], None)

    def _tally(self, unit: str) -> tuple[Counter[int], Counter[int]]:
        """How many of the unit's eligible officers have each count of duties, of nights."""
        found = self._tallies.get(unit)
        if found is None:
            counts = [self.counts[o.id] for o in self.eligible[unit]]
            found = (Counter(c[0] for c in counts), Counter(c[1] for c in counts))
            self._tallies[unit] = found
        return found

    def _counts(self, duties: Iterable[Assignment]) -> tuple[int, int]:
        scored = [a for a in duties if self.s.in_horizon(a.date)]
        return len(scored), sum(1 for a in scored if self.s.shift(a.shift).night)

    def move(self, duty: Assignment, to: str | None, source: str | None) -> dict[str, int]:
        """Score change per term when `source` (or nobody) gives up `duty`'s slot and officer `to`
        (or nobody) takes it."""
        s, w = self.s, self.s.weights
        key = duty.slot_key
        changes: dict[str, list[Assignment]] = defaultdict(list)  # officer -> duties after
        removed = [a for a in self.duties.get(source or "", []) if a.slot_key == key] if source else []
        added = Assignment(date=duty.date, shift=duty.shift, post=duty.post, officer=to) if to else None
        for oid in {o for o in (source, to) if o}:
            after = [a for a in self.duties.get(oid, []) if a not in removed]
            if added is not None and added.officer == oid:
                after.append(added)
            changes[oid] = after
        delta = dict.fromkeys(SCORE_TERMS, 0)
        # shortfall of the one slot
        slot = self.slots.get(key)
        if slot is not None:
            before = list(self.by_slot.get(key, []))
            after_staff = [o for o in before if o != source] + ([to] if to else [])
            delta["shortfall"] = (
                s.post(key.post).priority
                * w.shortfall
                * (self._missing(slot, after_staff) - self._missing(slot, before))
            )
            if slot.over_weight:  # v2: officers above the slot's minimum
                over_after = max(0, len(dict.fromkeys(after_staff)) - slot.min)
                over_before = max(0, len(dict.fromkeys(before)) - slot.min)
                delta["overstaffing"] = slot.over_weight * (over_after - over_before)
        for oid, after in changes.items():
            officer = s.officer(oid)
            delta["requests"] += w.request * (
                self._broken(officer, after) - self._broken(officer, self.duties.get(oid, []))
            )
            delta["continuity"] += w.continuity * (self._moves(after) - self._moves(self.duties.get(oid, [])))
        delta["fairness"] = self._fairness_delta({oid: self._counts(after) for oid, after in changes.items()})
        if s.groups and s.in_horizon(duty.date):
            delta["pattern"] = sum(
                self._pattern(oid, duty, after) - self._pattern(oid, duty, self.duties.get(oid, []))
                for oid, after in changes.items()
            )
            delta["group_split"] = self._group_split_delta(duty, changes)
        if removed and any(a in self.baseline for a in removed) and w.change:
            delta["changes"] += w.change * sum(1 for a in removed if a in self.baseline)
        if added is not None and added in self.baseline and added not in self.present:
            delta["changes"] -= w.change
        return delta

    def _pattern(self, oid: str, duty: Assignment, duties: Sequence[Assignment]) -> int:
        """The pattern term of `oid` on `duty`'s date with `duties` (v2)."""
        group = self.s.group_of(oid)
        if group is None or group.pattern is None or not self.s.has_officer(oid):
            return 0
        officer = self.s.officer(oid)
        if duty.date not in pattern_dates(self.s, self.timeline, officer):
            return 0
        shifts = [a.shift for a in duties if a.date == duty.date]
        return self.s.weights.pattern * pattern_departs(group, duty.date, shifts)

    def _group_split_delta(self, duty: Assignment, changes: dict[str, list[Assignment]]) -> int:
        """The change of the group_split term on `duty`'s date when `changes` replace officers' duties."""
        delta = 0
        groups = {g.id: g for oid in changes if (g := self.s.group_of(oid)) is not None}
        for g in groups.values():
            counts = []
            for duties_of in (
                lambda m: self.duties.get(m, []),
                lambda m: changes.get(m, self.duties.get(m, [])),
            ):
                pairs = {(a.post, a.shift) for m in g.members for a in duties_of(m) if a.date == duty.date}
                counts.append(max(0, len(pairs) - 1))
            delta += self.s.weights.group_split * (counts[1] - counts[0])
        return delta

    def _missing(self, slot: Slot, staff: list[str]) -> int:
        officers = [self.s.officer(oid) for oid in dict.fromkeys(staff) if self.s.has_officer(oid)]
        return sum(missing for _skill, _need, missing in slot_missing(slot, officers))

    def _broken(self, officer: Officer, duties: Sequence[Assignment]) -> int:
        return sum(
            r.weight
            for r in officer.requests
            if self.s.in_horizon(r.date) and request_broken(r, [a.shift for a in duties if a.date == r.date])
        )

    def _moves(self, duties: Sequence[Assignment]) -> int:
        scored = sorted(
            (a for a in duties if self.s.in_horizon(a.date)),
            key=lambda a: (self.timeline.duty(a.shift, a.date)[0], a.post, a.shift),
        )
        return sum(1 for x, y in pairwise(scored) if x.post != y.post)

    def _fairness_delta(self, new_counts: dict[str, tuple[int, int]]) -> int:
        w = self.s.weights
        delta = 0
        for unit in {self.unit_of_eligible[o] for o in new_counts if o in self.unit_of_eligible}:
            changed = [o for o in new_counts if self.unit_of_eligible.get(o) == unit]
            for index, weight in ((0, w.fair_duties), (1, w.fair_nights)):
                if not weight:
                    continue
                tally = self._tally(unit)[index]
                after = tally.copy()
                for o in changed:
                    after[self.counts[o][index]] -= 1
                    after[new_counts[o][index]] += 1
                values = [value for value, n in after.items() if n > 0]
                delta += weight * ((max(values) - min(values)) - (max(tally) - min(tally)))
        return delta
