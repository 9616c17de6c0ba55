"""Duty leaders (带班) and positions, a step after the solve (a project extension of the format).

The solver decides who staffs which slot; this module names, for each slot, the officer who leads
it and the position of the post each officer stands at. Neither enters the score: the referee never
reads them, so the roster's objective is the same with or without them.

- *Leader.* A slot's leader skill is its post's `leader_skill`, or `leader` when the slot's coverage
  requires that skill; a slot without one names no leader. Among the slot's officers holding the
  skill, the one who has led least so far (dates, then shift types, in order) leads; ties go to
  the smaller officer id.
- *Positions.* The slot's officers (by id) are dealt over the post's positions, each to the
  position holding fewest so far (ties: the first listed), skipping positions at their `heads`;
  officers beyond every position's `heads` stand at none.

`keep` (the roles of an earlier version) are kept where they still hold, so that a re-plan or a
swap does not move leaders and positions on the slots it leaves alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType

from solver.domain import Assignment, DutyRole, Roster, Scenario, SlotKey

LEADER = "leader"
"""The role value of a duty leader in documents (`"role": "leader"`)."""
DEFAULT_LEADER_SKILL = "leader"
"""The leader skill of a post without `leader_skill`, when its coverage requires it."""


def leader_skill(s: Scenario, key: SlotKey) -> str | None:
    """The skill the leader of this slot holds (None: the slot names no leader)."""
    post = s.post(key.post)
    if post.leader_skill is not None:
        return post.leader_skill
    for cov in post.coverage:
        if cov.shift == key.shift and cov.selects(key.date) and DEFAULT_LEADER_SKILL in cov.skills:
            return DEFAULT_LEADER_SKILL
    return None


def _slots(s: Scenario, assignments: Iterable[Assignment]) -> dict[SlotKey, list[Assignment]]:
    """The duties of each slot of a known post, slots in date, shift-type, post order."""
    order = {t.id: i for i, t in enumerate(s.shift_types)}
    by_slot: dict[SlotKey, list[Assignment]] = defaultdict(list)
    for a in sorted(set(assignments), key=lambda a: a.officer):
        if s.has_post(a.post) and s.has_officer(a.officer) and s.has_shift(a.shift):
            by_slot[a.slot_key].append(a)
    return dict(sorted(by_slot.items(), key=lambda kv: (kv[0].date, order.get(kv[0].shift, 0), kv[0].post)))


def assign_roles(
    s: Scenario, assignments: Iterable[Assignment], keep: Mapping[Assignment, DutyRole] | None = None
) -> dict[Assignment, DutyRole]:
    """The leader and position of every duty that has one (deterministic; see the module)."""
    keep = keep or {}
    led: Counter[str] = Counter()
    out: dict[Assignment, DutyRole] = {}
    for key, duties in _slots(s, assignments).items():
        leader = _leader(s, key, duties, keep, led)
        if leader is not None:
            led[leader.officer] += 1
        positions = _positions(s, key, duties, keep)
        for a in duties:
            role = DutyRole(leader=a == leader, position=positions.get(a))
            if role != DutyRole():
                out[a] = role
    return out


def _leader(
    s: Scenario,
    key: SlotKey,
    duties: list[Assignment],
    keep: Mapping[Assignment, DutyRole],
    led: Counter[str],
) -> Assignment | None:
    skill = leader_skill(s, key)
    if skill is None:
        return None
    holders = [a for a in duties if skill in s.officer(a.officer).skills]
    kept = [a for a in holders if keep.get(a, DutyRole()).leader]
    if kept:
        return kept[0]
    return min(holders, key=lambda a: (led[a.officer], a.officer), default=None)


def _positions(
    s: Scenario, key: SlotKey, duties: list[Assignment], keep: Mapping[Assignment, DutyRole]
) -> dict[Assignment, str]:
    positions = s.post(key.post).positions
    if not positions:
        return {}
    heads = {p.id: p.heads for p in positions}
    count = {p.id: 0 for p in positions}

    def has_room(pid: str) -> bool:
        cap = heads[pid]
        return cap is None or count[pid] < cap

    out: dict[Assignment, str] = {}
    for a in duties:
        pid = keep.get(a, DutyRole()).position
        if pid in count and has_room(pid):
            out[a] = pid
            count[pid] += 1
    for a in duties:
        if a in out:
            continue
        open_ = [p.id for p in positions if has_room(p.id)]
        if not open_:
            break
        pid = min(open_, key=lambda p: count[p])  # min keeps the first listed among equals
        out[a] = pid
        count[pid] += 1
    return out


def with_roles(s: Scenario, roster: Roster, keep: Mapping[Assignment, DutyRole] | None = None) -> Roster:
    """The roster with its leaders and positions (those it carries kept where they hold)."""
    kept = {**(keep or {}), **roster.roles}
    return replace(roster, roles=MappingProxyType(assign_roles(s, roster.assignments, kept)))


def role_problems(
    s: Scenario, assignments: Iterable[Assignment], roles: Mapping[Assignment, DutyRole]
) -> list[str]:
    """What is wrong with the leaders and positions of a roster (empty: nothing)."""
    duties = set(assignments)
    problems: list[str] = []
    leaders: dict[SlotKey, list[str]] = defaultdict(list)
    placed: Counter[tuple[SlotKey, str]] = Counter()
    for a, role in sorted(roles.items()):
        where = f"{a.officer} {a.post} {a.shift} {a.date}"
        if a not in duties or not s.has_post(a.post) or not s.has_officer(a.officer):
            problems.append(f"role of a duty not in the roster: {where}")
            continue
        if role.leader:
            leaders[a.slot_key].append(a.officer)
            skill = leader_skill(s, a.slot_key)
            if skill is not None and skill not in s.officer(a.officer).skills:
                problems.append(f"leader without the leader skill {skill!r}: {where}")
        if role.position is not None:
            known = {p.id: p for p in s.post(a.post).positions}
            if role.position not in known:
                problems.append(f"unknown position {role.position!r} of post {a.post}: {where}")
            else:
                placed[(a.slot_key, role.position)] += 1
                cap = known[role.position].heads
                if cap is not None and placed[(a.slot_key, role.position)] == cap + 1:
                    problems.append(
                        f"position {role.position!r} holds more than {cap} officer(s): "
                        f"{a.post} {a.shift} {a.date}"
                    )
    for key, officers in sorted(leaders.items(), key=lambda kv: (kv[0].date, kv[0].shift, kv[0].post)):
        if len(officers) > 1:
            problems.append(
                f"{len(officers)} leaders on {key.post} {key.shift} {key.date}: {', '.join(officers)}"
            )
    return problems
