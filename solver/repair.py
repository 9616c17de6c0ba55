"""Changing a published roster: what still holds, minimal-change re-planning, who can cover a duty.

- `still_valid` keeps the duties of a roster that hold under a changed scenario (new leave, new
  coverage), dropping the ones that break a rule;
- `replan` re-plans with the solver: duties already worked (started before `now`) are pinned, the
  published roster is the baseline (the spec's `changes` term), and the search starts from what
  still holds, so few duties change;
- `who_can_cover` lists, for one duty, the officers who could take it without breaking a hard
  rule, ranked by the exact change of score, and the others with the rules that exclude them;
- `diff` compares two rosters per officer.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from itertools import pairwise

from solver.domain import (
    SCORE_TERMS,
    Assignment,
    Coverage,
    Officer,
    Roster,
    Scenario,
    Slot,
    SlotKey,
    frozen_map,
)
from solver.facts import fairness_eligible, request_broken, slot_missing
from solver.ledger import Block, Ledger, ledgers
from solver.timeline import Timeline, overlaps


def slot_of(a: Assignment) -> SlotKey:
    return SlotKey(a.post, a.shift, a.date)


def still_valid(s: Scenario, roster: Iterable[Assignment]) -> list[Assignment]:
    """The duties of `roster` that hold under `s`, taken pinned duties first, then by start: a duty
    is dropped when it names an unknown id, has no slot, would exceed its slot's max or would break
    a rule of its officer given the duties kept before it."""
    timeline = Timeline(s)
    books = ledgers(s, timeline)
    slots = {slot.key: slot for slot in s.slots()}
    staffed: Counter[SlotKey] = Counter()
    kept: list[Assignment] = []
    known = [a for a in dict.fromkeys(roster) if s.has_officer(a.officer) and slot_of(a) in slots]
    pins = set(s.pinned)
    for a in sorted(
        known, key=lambda a: (a not in pins, timeline.duty(a.shift, a.date)[0], a.post, a.officer)
    ):
        key = slot_of(a)
        if staffed[key] >= slots[key].max or books[a.officer].blocks(key, first_only=True):
            continue
        books[a.officer].add(key)
        staffed[key] += 1
        kept.append(a)
    return sorted(kept)


def replan(
    s: Scenario,
    published: Sequence[Assignment],
    now: datetime | None = None,
    options: object | None = None,
    on_progress: Callable[..., None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    affected_units: Iterable[str] | None = None,
    following: Sequence[Assignment] = (),
) -> Roster:
    """Re-plan `s` (already holding the change: new leave, new coverage) around the `published`
    roster. Duties starting before `now` (local wall-clock time) are facts and stay; every other
    published duty costs `weights.change` when it goes.

    Only the independent parts (see `solver.solve.components`) holding an `affected_units` unit
    are re-solved (default: the parts where a published duty no longer holds); the others keep
    their published duties as they are.

    `following`: duties already published for the days after the horizon. The re-plan keeps the
    rules it shares with them (rest, 7-day minutes, consecutive days and nights): it is solved
    on the horizon stretched over them, with them pinned and no other slot on those days, and
    returned without them, scored on `s`."""
    if following:
        stretched = stretch(s, following)
        roster = replan(
            stretched,
            [*published, *following],
            now,
            options,
            on_progress,
            should_stop,
            affected_units,
        )
        if roster.status == "INFEASIBLE":
            return roster
        kept = [a for a in roster.assignments if a.date < s.end]
        return _rescored(_with_past(s, published, now), kept, roster)
    return _replan(s, published, now, options, on_progress, should_stop, affected_units)


def _with_past(s: Scenario, published: Sequence[Assignment], now: datetime | None) -> Scenario:
    """`s` with the published roster as baseline and, before `now`, the duties worked pinned and
    the past frozen."""
    timeline = Timeline(s)
    worked: list[Assignment] = []
    if now is not None:
        cutoff = timeline.instant(now)
        for a in published:
            if not (s.has_officer(a.officer) and s.has_post(a.post) and s.has_shift(a.shift)):
                continue
            start, end = timeline.duty(a.shift, a.date)
            spans = [timeline.span(span) for span in s.officer(a.officer).unavailable]
            if start < cutoff and s.in_horizon(a.date) and not any(overlaps((start, end), x) for x in spans):
                worked.append(a)
    return replace(
        s, pinned=tuple(dict.fromkeys((*s.pinned, *worked))), baseline=tuple(published), frozen_until=now
    )


def stretch(s: Scenario, following: Sequence[Assignment]) -> Scenario:
    """`s` over the days of `following` too: those duties pinned, each in a slot made for it
    (exactly as many officers as it has), and no other slot on those days; the scenario's own
    coverage keeps to its own dates. (Duties dated inside the horizon are not `following`.)"""
    following = [a for a in following if a.date >= s.end]
    if not following:
        return s
    extra = (max(a.date for a in following) - s.end).days + 1
    own = s.dates
    counts: dict[tuple[str, str, date], int] = {}
    for a in following:
        counts[(a.post, a.shift, a.date)] = counts.get((a.post, a.shift, a.date), 0) + 1
    posts = []
    for post in s.posts:
        coverage = [
            replace(c, days=tuple(day.isoformat() for day in own if c.selects(day))) for c in post.coverage
        ]
        coverage += [
            Coverage(shift, n, n, frozen_map({}), (day.isoformat(),))
            for (post_id, shift, day), n in sorted(counts.items())
            if post_id == post.id
        ]
        posts.append(replace(post, coverage=tuple(coverage)))
    # a span that is exactly one of these duties (how a service marks duties of other rosters)
    # would keep the officer from it: the duty is in this scenario now
    theirs: dict[str, set[tuple[datetime, datetime]]] = defaultdict(set)
    for a in following:
        begin = datetime.combine(a.date, s.shift(a.shift).start)
        theirs[a.officer].add((begin, begin + timedelta(minutes=s.shift(a.shift).minutes)))
    officers = tuple(
        replace(o, unavailable=tuple(x for x in o.unavailable if (x.start, x.end) not in theirs[o.id]))
        if o.id in theirs
        else o
        for o in s.officers
    )
    return replace(
        s,
        days=s.days + extra,
        posts=tuple(posts),
        officers=officers,
        pinned=tuple(dict.fromkeys((*s.pinned, *following))),
    )


def _replan(
    s: Scenario,
    published: Sequence[Assignment],
    now: datetime | None,
    options: object | None,
    on_progress: Callable[..., None] | None,
    should_stop: Callable[[], bool] | None,
    affected_units: Iterable[str] | None,
) -> Roster:
    from solver.solve import SolveOptions, components, solve

    changed = _with_past(s, published, now)
    holding = still_valid(changed, published)
    if affected_units is None:
        lost = set(published) - set(holding)
        affected = {u for a in lost if s.has_officer(a.officer) for u in (s.officer(a.officer).unit,)}
        affected |= {s.post(a.post).unit for a in lost if s.has_post(a.post)}
    else:
        affected = set(affected_units)
    opts = options if isinstance(options, SolveOptions) else SolveOptions()
    keep: list[Assignment] = []
    focus: list[Scenario] = []
    for part in components(changed):
        if affected & {u.id for u in part.units}:
            focus.append(part)
        else:
            members = {o.id for o in part.officers}
            keep += [a for a in holding if a.officer in members]
    if not focus:
        focus_scenario = replace(changed, posts=(), officers=(), pinned=(), baseline=())
    else:
        focus_scenario = replace(
            changed,
            units=tuple(u for p in focus for u in p.units),
            posts=tuple(x for p in focus for x in p.posts),
            officers=tuple(o for p in focus for o in p.officers),
            pinned=tuple(a for p in focus for a in p.pinned),
            baseline=tuple(a for p in focus for a in p.baseline),
        )
    roster = solve(focus_scenario, opts, on_progress=on_progress, should_stop=should_stop, start=holding)
    if roster.status == "INFEASIBLE":
        return roster
    return _rescored(changed, [*keep, *roster.assignments], roster)


def _rescored(s: Scenario, assignments: list[Assignment], focus: Roster) -> Roster:
    """The whole roster: re-solved parts and kept parts together, scored by the referee (the kept
    parts add a constant, so the bound moves by the same amount)."""
    from solver.check import check_assignments
    from solver.explain import shortfall_reasons

    report = check_assignments(s, assignments)
    if report.violations:
        raise RuntimeError(
            f"re-planned roster breaks {len(report.violations)} rule(s): {report.violations[:3]}"
        )
    constant = report.score.total - (focus.objective or 0)
    return replace(
        focus,
        assignments=tuple(sorted(assignments)),
        objective=report.score.total,
        score=report.score,
        bound=None if focus.bound is None else focus.bound + constant,
        shortfalls=tuple(shortfall_reasons(s, assignments, report.shortfalls)),
    )


@dataclass(frozen=True)
class RosterDiff:
    added: tuple[Assignment, ...]
    removed: tuple[Assignment, ...]

    def by_officer(self) -> dict[str, dict[str, list[Assignment]]]:
        out: dict[str, dict[str, list[Assignment]]] = defaultdict(lambda: {"added": [], "removed": []})
        for a in self.added:
            out[a.officer]["added"].append(a)
        for a in self.removed:
            out[a.officer]["removed"].append(a)
        return dict(out)

    @property
    def changed(self) -> int:
        return len(self.added) + len(self.removed)


def diff(before: Iterable[Assignment], after: Iterable[Assignment]) -> RosterDiff:
    old, new = set(before), set(after)
    return RosterDiff(tuple(sorted(new - old)), tuple(sorted(old - new)))


# --------------------------------------------------------------------------- who can cover


@dataclass(frozen=True)
class Cover:
    """An officer considered for a duty: what excludes them (nothing: they can take it) and, when
    they can, the exact change of each score term if they do."""

    officer: Officer
    blocks: tuple[Block, ...]
    delta: dict[str, int] = field(default_factory=dict)

    @property
    def can(self) -> bool:
        return not self.blocks

    @property
    def total(self) -> int:
        return sum(self.delta.values())


class Scorer:
    """Exact score changes for moving single duties in a roster, without rescoring it all."""

    def __init__(self, s: Scenario, roster: Sequence[Assignment]) -> None:
        self.s = s
        self.timeline = Timeline(s)
        self.roster = list(dict.fromkeys(roster))
        self.present = set(self.roster)
        self.books: dict[str, Ledger] = ledgers(s, self.timeline)
        self.by_slot: dict[SlotKey, list[str]] = defaultdict(list)
        self.duties: dict[str, list[Assignment]] = defaultdict(list)
        for a in self.roster:
            if s.has_officer(a.officer) and s.has_post(a.post) and s.has_shift(a.shift):
                self.books[a.officer].add(slot_of(a))
            self.by_slot[slot_of(a)].append(a.officer)
            self.duties[a.officer].append(a)
        self.slots = {slot.key: slot for slot in s.slots()}
        self.eligible = fairness_eligible(s, self.timeline)
        self.unit_of_eligible = {o.id: unit for unit, officers in self.eligible.items() for o in officers}
        self.counts = {oid: self._counts(self.duties[oid]) for oid in self.unit_of_eligible}
        self.baseline = {a for a in s.baseline if s.in_horizon(a.date)}

    def _counts(self, duties: Iterable[Assignment]) -> tuple[int, int]:
        scored = [a for a in duties if self.s.in_horizon(a.date)]
        return len(scored), sum(1 for a in scored if self.s.shift(a.shift).night)

    def move(self, duty: Assignment, to: str | None, source: str | None) -> dict[str, int]:
        """Score change per term when `source` (or nobody) gives up `duty`'s slot and officer `to`
        (or nobody) takes it."""
        s, w = self.s, self.s.weights
        key = slot_of(duty)
        changes: dict[str, list[Assignment]] = defaultdict(list)  # officer -> duties after
        removed = [a for a in self.duties.get(source or "", []) if slot_of(a) == key] if source else []
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
        for oid, after in changes.items():
            officer = s.officer(oid)
            delta["requests"] += w.request * (
                self._broken(officer, after) - self._broken(officer, self.duties.get(oid, []))
            )
            delta["continuity"] += w.continuity * (self._moves(after) - self._moves(self.duties.get(oid, [])))
        delta["fairness"] = self._fairness_delta({oid: self._counts(after) for oid, after in changes.items()})
        if removed and any(a in self.baseline for a in removed) and w.change:
            delta["changes"] += w.change * sum(1 for a in removed if a in self.baseline)
        if added is not None and added in self.baseline and added not in self.present:
            delta["changes"] -= w.change
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
            ids = [o.id for o in self.eligible[unit]]
            for index, weight in ((0, w.fair_duties), (1, w.fair_nights)):
                before = [self.counts[o][index] for o in ids]
                after = [new_counts[o][index] if o in new_counts else self.counts[o][index] for o in ids]
                delta += weight * ((max(after) - min(after)) - (max(before) - min(before)))
        return delta


BOUNDARY_RULES = (
    "overlap",
    "min_rest",
    "max_minutes_per_7_days",
    "max_consecutive_days",
    "max_consecutive_nights",
)
"""The rules a roster shares with the one published after it: the next week was planned with this
one as its history, so its duties count in these (days off are counted within one roster)."""


def who_can_cover(
    s: Scenario,
    roster: Sequence[Assignment],
    duty: Assignment,
    scorer: Scorer | None = None,
    following: Sequence[Assignment] = (),
) -> list[Cover]:
    """Officers who serve the duty's unit: those who could take it from `duty.officer` (if that
    officer holds it) without breaking a hard rule first, best score change first; then the rest,
    each with the rules that exclude them. `following`: duties published for the days after the
    horizon, which the `BOUNDARY_RULES` must hold with too."""
    scorer = scorer or Scorer(s, roster)
    key = slot_of(duty)
    holder = duty.officer if duty in scorer.present else None
    books = [scorer.books]
    if following:  # the same ledgers on the horizon stretched over the following duties
        stretched = stretch(s, following)
        books.append(ledgers(stretched, Timeline(stretched)))
        for a in [*scorer.roster, *following]:
            if (
                stretched.has_officer(a.officer)
                and stretched.has_post(a.post)
                and stretched.has_shift(a.shift)
            ):
                books[1][a.officer].add(slot_of(a))
    if holder is not None:
        for book in books:
            book[holder].remove(key)
    try:
        there = set(scorer.by_slot.get(key, []))
        unit = s.post(duty.post).unit
        out = []
        for o in s.officers:
            if o.id == holder or o.id in there or unit not in o.serves:
                continue
            blocks = scorer.books[o.id].blocks(key)
            if len(books) > 1:
                blocks += [
                    b for b in books[1][o.id].blocks(key) if b.rule in BOUNDARY_RULES and b not in blocks
                ]
            delta = {} if blocks else scorer.move(duty, o.id, holder)
            out.append(Cover(o, tuple(blocks), delta))
    finally:
        if holder is not None:
            scorer.books[holder].add(key)
    return sorted(out, key=lambda c: (not c.can, c.total if c.can else 0, len(c.blocks), c.officer.id))
