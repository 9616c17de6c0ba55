"""Rebalancing a roster by moving single duties from one officer to another.

The greedy first roster keeps officers at the posts they stood at (continuity), so some officers
of a unit get every duty they may take while others get none, and fairness (the spread of duties
and nights within a unit) is the largest term. CP-SAT rarely repairs that on a large part: the
spread only falls once *every* officer at the top has given up a duty, a plateau of many
simultaneous changes. This pass walks the plateau: it moves one duty at a time, from an officer
with the most duties (or nights) of their unit to one with at least two fewer, when the officer
taking it breaks no hard rule (the `Ledger`) and the exact score change (the who-can-cover
`Scorer`) is negative, or zero while the sum of squared counts falls. Duties that break a request
go to whoever takes them at a lower score. Every step lowers (score, squares) lexicographically,
so the pass ends; it is deterministic and bounded by `max_evaluations`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime

from solver.domain import Assignment, Officer, RequestKind, Scenario
from solver.facts import request_broken
from solver.scorer import Scorer


def rebalance(
    s: Scenario,
    roster: Sequence[Assignment],
    max_evaluations: int = 50_000,
    should_stop: Callable[[], bool] | None = None,
) -> list[Assignment]:
    """A roster at most as costly as `roster` (the same one when no move helps); hard rules are
    checked per move by the ledger, and the caller keeps the result only if the referee agrees.
    `max_evaluations` bounds the work (a cheap estimate counts 1, an exact check `EXACT_COST`
    more), so the result is deterministic; `should_stop` (polled between moves) ends it early."""
    return _Rebalance(s, roster, max_evaluations, should_stop).run()


EXACT_COST = 20
"""The work of one exact check (ledger and score change) in cheap estimates, for the budget."""


class _Rebalance:
    def __init__(
        self,
        s: Scenario,
        roster: Sequence[Assignment],
        max_evaluations: int,
        should_stop: Callable[[], bool] | None,
    ) -> None:
        self.s = s
        self.should_stop = should_stop
        self.scorer = Scorer(s, roster)
        self.left = max_evaluations
        self.fixed = set(s.pinned)
        self.cutoff = None if s.frozen_until is None else self.scorer.timeline.instant(s.frozen_until)
        self.night = {t.id: t.night for t in s.shift_types}
        self.unit_of_post = {p.id: p.unit for p in s.posts}
        self.starts: dict[tuple[str, date], datetime] = {}
        self.sequences: dict[str, tuple[list[datetime], list[Assignment]]] = {}
        self.movable: dict[tuple[str, date, str], bool] = {}
        self.unwanted: dict[tuple[str, str, date], int] = defaultdict(int)
        for o in s.officers:  # what a duty costs its officer in day-off and shift-off requests
            for r in o.requests:
                if r.kind is not RequestKind.SHIFT_ON:
                    for shift in s.shift_types:
                        if r.shift in (None, shift.id):
                            self.unwanted[(o.id, shift.id, r.date)] += s.weights.request * r.weight

    def run(self) -> list[Assignment]:
        while self.left > 0:
            moved = self._fairness_pass()
            if not self._requests_pass() and not moved:
                break
        return sorted(self.scorer.roster)

    # ------------------------------------------------------------------ moves

    def _movable(self, a: Assignment) -> bool:
        key = (a.shift, a.date, a.post)
        known = self.movable.get(key)
        if known is None:
            known = self.movable[key] = self._may_move(a)
        return known and a not in self.fixed

    def _may_move(self, a: Assignment) -> bool:
        if not self.s.in_horizon(a.date) or a.slot_key not in self.scorer.slots:
            return False
        return self.cutoff is None or self.scorer.timeline.duty(a.shift, a.date)[0] >= self.cutoff

    def _try(self, a: Assignment, to: Officer, tie_break: int) -> bool:
        """Move `a` to officer `to` if they can take it and it pays; True when moved. A cheap
        estimate (continuity and requests of the two officers) skips hopeless moves; the
        `Scorer`'s exact change decides."""
        sc = self.scorer
        if to.id == a.officer or to.id in sc.by_slot.get(a.slot_key, ()):
            return False
        if self.unit_of_post[a.post] not in to.serves:
            return False
        self.left -= 1  # an estimate costs 1, an exact check EXACT_COST more
        if self._estimate(a, to) > 0:
            return False
        self.left -= EXACT_COST
        if sc.books[to.id].blocks(a.slot_key, first_only=True):
            return False
        delta = sum(sc.move(a, to.id, a.officer).values())
        if delta > 0 or (delta == 0 and tie_break >= 0):
            return False
        self._apply(a, to.id)
        return True

    def _start(self, a: Assignment) -> datetime:
        key = (a.shift, a.date)
        start = self.starts.get(key)
        if start is None:
            start = self.starts[key] = self.scorer.timeline.duty(a.shift, a.date)[0]
        return start

    def _sequence(self, officer_id: str) -> tuple[list[datetime], list[Assignment]]:
        """The officer's duties by start (cached until a move touches them)."""
        cached = self.sequences.get(officer_id)
        if cached is None:
            duties = sorted(self.scorer.duties.get(officer_id, []), key=lambda x: (self._start(x), x.post))
            cached = self.sequences[officer_id] = ([self._start(x) for x in duties], duties)
        return cached

    def _estimate(self, a: Assignment, to: Officer) -> int:
        """Continuity and requests change of the move, from the neighbouring duties only."""
        w = self.s.weights
        change = 0
        if w.continuity:
            _, before = self._sequence(a.officer)
            i = before.index(a)
            prev = before[i - 1].post if i > 0 else None
            nxt = before[i + 1].post if i + 1 < len(before) else None
            change += w.continuity * _moves_around(prev, nxt, a.post, removed=True)
            starts, theirs = self._sequence(to.id)
            j = bisect_left(starts, self._start(a))
            prev = theirs[j - 1].post if j > 0 else None
            nxt = theirs[j].post if j < len(theirs) else None
            change += w.continuity * _moves_around(prev, nxt, a.post, removed=False)
        change += self.unwanted.get((to.id, a.shift, a.date), 0)
        change -= self.unwanted.get((a.officer, a.shift, a.date), 0)
        return change

    def _apply(self, a: Assignment, to: str) -> None:
        sc = self.scorer
        moved = Assignment(date=a.date, shift=a.shift, post=a.post, officer=to)
        sc.books[a.officer].remove(a.slot_key)
        sc.books[to].add(a.slot_key)
        staff = sc.by_slot[a.slot_key]
        staff[staff.index(a.officer)] = to
        sc.duties[a.officer].remove(a)
        sc.duties[to].append(moved)
        sc.present.discard(a)
        sc.present.add(moved)
        sc.roster[sc.roster.index(a)] = moved
        for oid in (a.officer, to):
            self.sequences.pop(oid, None)
            sc.recount(oid)

    def _squares(self, a: Assignment, to: str) -> int:
        """Change of the weighted sum of squared counts (duties, nights) when `to` takes `a`."""
        w, counts = self.s.weights, self.scorer.counts
        giver, taker = counts.get(a.officer), counts.get(to)
        change = 0
        for index, weight in ((0, w.fair_duties), (1, w.fair_nights)):
            if index == 1 and not self.night[a.shift]:
                continue
            if giver is not None:
                change += weight * (1 - 2 * giver[index])
            if taker is not None:
                change += weight * (1 + 2 * taker[index])
        return change

    # ------------------------------------------------------------------ passes

    def _fairness_pass(self) -> bool:
        """Moves between the top and the bottom of each unit's counts (duties or nights): each
        officer at the top gives up at most one duty per pass, each one at the bottom takes at
        most one, from officers with at least two more. True when anything moved."""
        w = self.s.weights
        moved = False
        for _unit, officers in sorted(self.scorer.eligible.items()):
            if len(officers) < 2:
                continue
            for index, weight in ((1, w.fair_nights), (0, w.fair_duties)):
                if not weight:
                    continue
                for side in ("top", "bottom"):
                    for a, takers in self._candidates(officers, index, side):
                        if self._give(a, takers):
                            moved = True
                        if self.left <= 0:
                            return moved
        return moved

    def _candidates(
        self, officers: list[Officer], index: int, side: str
    ) -> Iterator[tuple[list[Assignment], list[Officer]]]:
        """(duties of one giver, officers who could take one) for each officer at the top (or,
        for each officer at the bottom, each officer with at least two more)."""
        counts = self.scorer.counts
        top = max(counts[o.id][index] for o in officers)
        low = min(counts[o.id][index] for o in officers)
        if top - low < 2:
            return
        by_id = sorted(officers, key=lambda o: o.id)

        def duties(giver: Officer) -> list[Assignment]:
            return [
                a
                for a in sorted(self.scorer.duties[giver.id])
                if self._movable(a) and (index == 0 or self.night[a.shift])
            ]

        if side == "top":
            for giver in [o for o in by_id if counts[o.id][index] == top]:
                takers = sorted(
                    (o for o in officers if counts[o.id][index] <= counts[giver.id][index] - 2),
                    key=lambda o: (counts[o.id][index], o.id),
                )
                yield duties(giver), takers
        else:
            for taker in [o for o in by_id if counts[o.id][index] == low]:
                givers = sorted(
                    (o for o in officers if counts[o.id][index] >= counts[taker.id][index] + 2),
                    key=lambda o: (-counts[o.id][index], o.id),
                )
                yield [a for g in givers for a in duties(g)], [taker]

    def _give(self, duties: list[Assignment], takers: list[Officer]) -> bool:
        for a in duties:
            for taker in takers:
                if self.left <= 0:
                    return False
                if self.should_stop is not None and self.should_stop():
                    self.left = 0
                    return False
                if self._try(a, taker, self._squares(a, taker.id)):
                    return True
        return False

    def _requests_pass(self) -> bool:
        """Duties that break their officer's request, each to an officer who takes it for less.
        True when anything moved."""
        sc = self.scorer
        moved = False
        takers = sorted(self.s.officers, key=lambda t: t.id)
        for o in sorted(self.s.officers, key=lambda t: t.id):
            broken_dates = {
                r.date
                for r in o.requests
                if self.s.in_horizon(r.date)
                and request_broken(r, [a.shift for a in sc.duties.get(o.id, []) if a.date == r.date])
            }
            breaking = [x for x in sc.duties.get(o.id, []) if x.date in broken_dates and self._movable(x)]
            for a in sorted(breaking):
                if self._give([a], sorted(takers, key=lambda t: (sc.counts.get(t.id, (0, 0))[0], t.id))):
                    moved = True
                if self.left <= 0:
                    return moved
        return moved


def _moves_around(prev: str | None, nxt: str | None, post: str, removed: bool) -> int:
    """Change of post changes when a duty at `post` between duties at `prev` and `nxt` (None:
    none) leaves the sequence (`removed`) or joins it."""
    with_it = (prev is not None and prev != post) + (nxt is not None and nxt != post)
    without = int(prev is not None and nxt is not None and prev != nxt)
    return without - with_it if removed else with_it - without
