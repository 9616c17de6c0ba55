"""Who can cover a duty: the officers who could take it without breaking a hard rule, ranked by the
exact change of score, and the others with the rules that exclude them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from solver.domain import Assignment, Officer, Scenario
from solver.ledger import Block, ledgers
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


def who_can_cover(
    s: Scenario,
    roster: Sequence[Assignment],
    duty: Assignment,
    scorer: Scorer | None = None,
    following: Sequence[Assignment] = (),
) -> list[Cover]:
    """Officers who serve the duty's unit: those who could take it from `duty.officer` (if that
    officer holds it) without breaking a hard rule first, members of `duty.officer`'s duty group
    before the others (v2), best score change first; then the rest,
    each with the rules that exclude them. `following`: duties published for the days after the
    horizon, which the `BOUNDARY_RULES` must hold with too."""
    scorer = scorer or Scorer(s, roster)
    key = duty.slot_key
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
                books[1][a.officer].add(a.slot_key)
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
