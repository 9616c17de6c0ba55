"""The independent parts of a scenario: units joined by the officers who serve them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from solver.domain import Scenario


def components(s: Scenario) -> list[Scenario]:
    """Independent parts of a scenario: units joined by the officers who serve them.

    A unit's own officers are in its component even when they serve elsewhere, since fairness
    compares them. Baseline duties go with their officer (or their post, for an unknown officer).
    """
    parent = {u.id: u.id for u in s.units}

    def root(u: str) -> str:
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for o in s.officers:
        for unit in o.serves:
            parent[root(unit)] = root(o.unit)
    groups: dict[str, list[str]] = defaultdict(list)
    for u in s.units:
        groups[root(u.id)].append(u.id)
    out = []
    for units in groups.values():
        members = set(units)
        officers = tuple(o for o in s.officers if o.unit in members)
        posts = tuple(p for p in s.posts if p.unit in members)
        ids = {o.id for o in officers}
        post_ids = {p.id for p in posts}
        out.append(
            replace(
                s,
                units=tuple(u for u in s.units if u.id in members),
                posts=posts,
                officers=officers,
                pinned=tuple(a for a in s.pinned if a.officer in ids),
                baseline=tuple(
                    a
                    for a in s.baseline
                    if a.officer in ids or (not s.has_officer(a.officer) and a.post in post_ids)
                ),
            )
        )
    return out


def orphan_baseline_penalty(s: Scenario) -> int:
    """Baseline duties in the horizon that no component can hold (unknown officer and post)."""
    known_posts = {p.id for p in s.posts}
    orphans = {
        a
        for a in s.baseline
        if s.in_horizon(a.date) and not s.has_officer(a.officer) and a.post not in known_posts
    }
    return len(orphans) * s.weights.change
