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


def diff(before: Iterable[Assignment], after: Iterable[Assignment]) -> RosterDiff:
    old, new = set(before), set(after)
    return RosterDiff(tuple(sorted(new - old)), tuple(sorted(old - new)))
