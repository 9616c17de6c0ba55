"""What changes between two rosters, per officer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from solver.domain import Assignment


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

    def moved(self) -> tuple[tuple[Assignment, Assignment], ...]:
        """Removed and added duties paired as moves, each duty in one pair at most: first an
        officer's duty moved on its date (another post or shift), then a slot's duty handed to
        another officer (the same post, shift and date)."""
        pairs: list[tuple[Assignment, Assignment]] = []
        added = list(self.added)
        removed = list(self.removed)
        for same in (
            lambda a, b: a.officer == b.officer and a.date == b.date,
            lambda a, b: (a.post, a.shift, a.date) == (b.post, b.shift, b.date),
        ):
            for before in list(removed):
                after = next((b for b in added if same(before, b)), None)
                if after is not None:
                    pairs.append((before, after))
                    removed.remove(before)
                    added.remove(after)
        return tuple(sorted(pairs))


def diff(before: Iterable[Assignment], after: Iterable[Assignment]) -> RosterDiff:
    old, new = set(before), set(after)
    return RosterDiff(tuple(sorted(new - old)), tuple(sorted(old - new)))
