"""The independent parts of a scenario: units joined by the officers who serve them.

A duty at a post can only be taken, and scored, within its part; who-can-cover judges it there.
`units_joined_to` is the one place the service works the parts out (the solver splits a scenario
the same way, `solver.solve.components`, with the same `solver.unionfind`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.reference.models import Officer, officer_serves
from solver.unionfind import UnionFind


def units_joined_to(unit: str, links: Iterable[tuple[str, str]]) -> set[str]:
    """The units in one part with `unit`, given (officer's home unit, unit they serve) pairs."""
    pairs = list(links)
    parts: UnionFind[str] = UnionFind()
    for home, served in pairs:
        parts.union(served, home)
    mine = parts.find(unit)
    return {unit} | {u for pair in pairs for u in pair if parts.find(u) == mine}


def service_links(session: Session) -> list[tuple[str, str]]:
    """(home unit, unit served) of every officer and unit they serve."""
    rows = session.execute(
        select(Officer.unit_id, officer_serves.c.unit_id).join(
            officer_serves, officer_serves.c.officer_id == Officer.id
        )
    )
    return [(home, served) for home, served in rows]


def units_in_part_of(session: Session, unit: str) -> set[str]:
    """The stored units in one part with `unit`."""
    return units_joined_to(unit, service_links(session))
