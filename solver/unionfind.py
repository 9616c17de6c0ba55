"""Disjoint sets (union-find), for what joins into independent parts: units joined by the officers
who serve them (`solver.solve.components`), posts joined by the shift types they share
(`solver.rules.continuity`)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Sets of items, each named by its root; `find` halves the paths it walks."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._parent: dict[T, T] = {x: x for x in items}

    def find(self, x: T) -> T:
        """The root of `x`'s set (an item not seen before is a set of its own)."""
        parent = self._parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: T, b: T) -> None:
        """Join the sets of `a` and `b`, under the root of `b`."""
        root = self.find(b)
        self._parent[self.find(a)] = root

    def groups(self, items: Iterable[T]) -> list[list[T]]:
        """`items` by set, in their order; the sets in the order of their first item."""
        out: dict[T, list[T]] = {}
        for x in items:
            out.setdefault(self.find(x), []).append(x)
        return list(out.values())
