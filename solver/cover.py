"""Who can cover a duty: the officers who could take it without breaking a hard rule, ranked by the
exact change of score, and the others with the rules that exclude them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from solver.domain import Assignment, Officer, Scenario
from solver.ledger import Block, Ledger
from solver.replan import stretch
from solver.scorer import Scorer
from solver.timeline import Timeline


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


BOUNDARY_RULES = (
    "overlap",
    "min_rest",
    "max_minutes_per_7_days",
    "max_consecutive_days",
    "max_consecutive_nights",
)
"""The rules a roster shares with the one published after it: the next week was planned with this
one as its history, so its duties count in these (days off are counted within one roster)."""


class Boundary:
    """The ledgers of the horizon stretched over the duties published after it (`stretch`), for
    the `BOUNDARY_RULES`: built per officer on first use, like the scorer's."""

    def __init__(self, s: Scenario, roster: Sequence[Assignment], following: Sequence[Assignment]) -> None:
        self.stretched = stretch(s, following)
        self.timeline = Timeline(self.stretched)
        self.duties: dict[str, list[Assignment]] = {}
        for a in [*roster, *following]:
            if self.stretched.has_post(a.post) and self.stretched.has_shift(a.shift):
                self.duties.setdefault(a.officer, []).append(a)
        self.books: dict[str, Ledger] = {}

    def book(self, oid: str) -> Ledger:
        found = self.books.get(oid)
        if found is None:
            found = Ledger(self.stretched, self.timeline, self.stretched.officer(oid))
            for a in self.duties.get(oid, ()):
                found.add(a.slot_key)
            found = self.books.setdefault(oid, found)
        return found


def who_can_cover(
    s: Scenario,
    roster: Sequence[Assignment],
    duty: Assignment,
    scorer: Scorer | None = None,
    following: Sequence[Assignment] = (),
    boundary: Boundary | None = None,
    only: Collection[str] | None = None,
) -> list[Cover]:
    """Officers who serve the duty's unit: those who could take it from `duty.officer` (if that
    officer holds it) without breaking a hard rule first, members of `duty.officer`'s duty group
    before the others (v2), best score change first; then the rest,
    each with the rules that exclude them. `following`: duties published for the days after the
    horizon, which the `BOUNDARY_RULES` must hold with too.

    `scorer` (of `s` and `roster`) and `boundary` (of `s`, the scorer's roster and `following`)
    may be kept between questions on the same roster: nothing here changes them. `only`: judge
    these officers alone (the others are left out of the answer)."""
    scorer = scorer or Scorer(s, roster)
    if following and boundary is None:
        boundary = Boundary(s, scorer.roster, following)
    key = duty.slot_key
    holder = duty.officer if duty in scorer.present else None
    # The holder's own ledgers are never asked: they are not a candidate, and each officer's
    # verdict comes from their own ledger alone, so the duty need not leave the holder's.
    there = set(scorer.by_slot.get(key, []))
    unit = s.post(duty.post).unit
    out = []
    for o in s.officers:
        if o.id == holder or o.id in there or unit not in o.serves:
            continue
        if only is not None and o.id not in only:
            continue
        blocks = scorer.books[o.id].blocks(key)
        if boundary is not None:
            blocks += [
                b for b in boundary.book(o.id).blocks(key) if b.rule in BOUNDARY_RULES and b not in blocks
            ]
        delta = {} if blocks else scorer.move(duty, o.id, holder)
        out.append(Cover(o, tuple(blocks), delta))
    group = s.group_of(duty.officer)
    mates = set() if group is None else set(group.members)
    return sorted(
        out,
        key=lambda c: (
            not c.can,
            c.officer.id not in mates,
            c.total if c.can else 0,
            len(c.blocks),
            c.officer.id,
        ),
    )
