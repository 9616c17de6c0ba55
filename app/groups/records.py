"""Stored groups ↔ the engine's `Group` (solver.domain): what a scenario built from the database
carries, and what a scenario import writes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.groups.models import DutyGroup, GroupMember
from solver import domain as d


def group_to_domain(row: DutyGroup, officer_ids: Collection[str] | None = None) -> d.Group:
    """The engine's group; with `officer_ids`, only the members among them."""
    members = tuple(i for i in row.member_ids if officer_ids is None or i in officer_ids)
    pattern = None
    if row.pattern_start is not None and row.pattern_days:
        pattern = d.Pattern(row.pattern_start, tuple(row.pattern_days))
    return d.Group(row.id, row.name, members, pattern)


def scenario_groups(session: Session, officer_ids: Collection[str]) -> tuple[d.Group, ...]:
    """The stored groups with a member among `officer_ids`, their members restricted to those."""
    out = []
    for row in session.scalars(select(DutyGroup).order_by(DutyGroup.id)):
        g = group_to_domain(row, officer_ids)
        if g.members:
            out.append(g)
    return tuple(out)


def stored_domain_groups(session: Session, ids: Collection[str]) -> dict[str, d.Group]:
    rows = session.scalars(select(DutyGroup).where(DutyGroup.id.in_(list(ids))))
    return {r.id: group_to_domain(r) for r in rows}


def write_group(session: Session, g: d.Group, officer_units: dict[str, str], default_unit: str) -> None:
    """Add or overwrite the group `g`; its members leave any other group. The group's unit is its
    members' most common home unit (`officer_units`), else `default_unit`."""
    row = session.get(DutyGroup, g.id) or DutyGroup(id=g.id)
    counts = Counter(officer_units[i] for i in g.members if i in officer_units)
    row.name = g.name
    if row.unit_id is None or counts:
        row.unit_id = counts.most_common(1)[0][0] if counts else default_unit
    row.pattern_start = None if g.pattern is None else g.pattern.start
    row.pattern_days = None if g.pattern is None else list(g.pattern.days)
    row.members = []
    session.add(row)
    session.flush()
    if g.members:
        session.execute(delete(GroupMember).where(GroupMember.officer_id.in_(g.members)))
        session.flush()
    row.members = [GroupMember(officer_id=i, group_id=g.id, position=n) for n, i in enumerate(g.members)]
    session.flush()
