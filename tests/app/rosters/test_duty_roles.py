"""Stored versions keep the published duty leaders and positions where they still hold: a change
that moves one duty does not reshuffle the leaders of the slots it leaves alone."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.core.db import transaction
from app.planning.roster_rows import roles_of
from app.rosters.models import Roster, RosterAssignment
from app.rosters.service import new_snapshot, roster_domain, store_roster
from solver import domain as d
from solver.roles import role_problems


def stored_roles(factory: Any, roster_id: int) -> dict[d.Assignment, d.DutyRole]:
    with factory() as s:
        return roles_of(s.scalars(select(RosterAssignment).where(RosterAssignment.roster_id == roster_id)))


def test_a_new_version_keeps_the_published_leaders_where_they_hold(
    api: Any, session_factory: Any, published: int
):
    before = stored_roles(session_factory, published)
    with transaction(session_factory) as s:
        stored_version = s.get(Roster, published)
        assert stored_version is not None
        scenario, roster = roster_domain(s, stored_version)
    assert before and role_problems(scenario, roster.assignments, before) == []
    led = next(a for a, r in sorted(before.items()) if r.leader)
    # the leader's duty goes: the slot names another leader, every other slot keeps its own
    after = tuple(a for a in roster.assignments if a != led)
    with transaction(session_factory) as s:
        changed = d.Roster(scenario.name, "FEASIBLE", after)
        snapshot = new_snapshot(s, scenario)
        stored = store_roster(
            s, scenario, changed, snapshot_id=snapshot.id, unit_ids=["ganzhou", "hq"], created_by=None
        )
        new_id = stored.id
    now = stored_roles(session_factory, new_id)
    assert role_problems(scenario, after, now) == []
    for a, role in before.items():
        if a.slot_key != led.slot_key and a != led:
            assert now.get(a) == role, a
    others = [
        a for a in after if a.slot_key == led.slot_key and "leader" in scenario.officer(a.officer).skills
    ]
    if others:
        assert sum(now.get(a, d.DutyRole()).leader for a in others) == 1
