"""The independent parts of a scenario: units joined by the officers who serve them."""

from __future__ import annotations

from dataclasses import replace

from solver.domain import Scenario
from solver.unionfind import UnionFind


def unit_components(s: Scenario) -> list[set[str]]:
    """The unit ids of each independent part: units joined by the officers who serve them (an
    officer joins every unit they serve to their own), in the order of the scenario's units."""
    joined = UnionFind(u.id for u in s.units)
    for o in s.officers:
        for unit in o.serves:
            joined.union(unit, o.unit)
    for g in s.groups:  # a duty group is judged as one (group_split): its members stay in one part
        homes = [s.officer(m).unit for m in g.members if s.has_officer(m)]
        for unit in homes[1:]:
            joined.union(unit, homes[0])
    return [set(units) for units in joined.groups(u.id for u in s.units)]


def components(s: Scenario) -> list[Scenario]:
    """Independent parts of a scenario: the scenario of each of its `unit_components`.

    A unit's own officers are in its component even when they serve elsewhere, since fairness
    compares them; the members of a duty group are in one component, with their group. Baseline
    duties go with their officer (or their post, for an unknown officer).
    """
    return [part_of(s, members) for members in unit_components(s)]


def part_of(s: Scenario, members: set[str]) -> Scenario:
    """The scenario of the units `members`: a union of whole `unit_components` (one or several:
    a bundle of parts is as independent of the rest as each of its parts)."""
    officers = tuple(o for o in s.officers if o.unit in members)
    posts = tuple(p for p in s.posts if p.unit in members)
    ids = {o.id for o in officers}
    post_ids = {p.id for p in posts}
    return replace(
        s,
        units=tuple(u for u in s.units if u.id in members),
        posts=posts,
        officers=officers,
        pinned=tuple(a for a in s.pinned if a.officer in ids),
        groups=tuple(g for g in s.groups if any(m in ids for m in g.members)),
        baseline=tuple(
            a for a in s.baseline if a.officer in ids or (not s.has_officer(a.officer) and a.post in post_ids)
        ),
    )


def orphan_baseline_penalty(s: Scenario) -> int:
    """Baseline duties in the horizon that no component can hold (unknown officer and post)."""
    known_posts = {p.id for p in s.posts}
    orphans = {
        a
        for a in s.baseline
        if s.in_horizon(a.date) and not s.has_officer(a.officer) and a.post not in known_posts
    }
    return len(orphans) * s.weights.change
