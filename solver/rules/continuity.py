"""Continuity: an officer's successive duties at the same post (soft)."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from ortools.sat.python import cp_model

from solver.domain import Officer
from solver.model.base import Literal, Penalty, RosterModel, TimeKey
from solver.model.post import PostModel
from solver.unionfind import UnionFind


def continuity(m: RosterModel) -> list[Penalty]:
    """Each pair of successive horizon duties of an officer (by start, whatever the gap) at
    different posts costs `weights.continuity`. Exact on a `PostModel`; a `ShiftModel` does not
    place officers at posts and relaxes this term to a lower bound: an officer whose duties fall
    in k families of posts (posts joined by shift types they share) moves at least k - 1 times."""
    if not m.scenario.weights.continuity:
        return []
    if not isinstance(m, PostModel):
        return _families_lower_bound(m)
    out = []
    for officer in m.officers:
        posts = {slot.post for t in m.times[officer.id] for slot, _ in m.posts_of(officer.id, t)}
        if len(posts) < 2:
            continue
        moves = _moves_fixed(m, officer.id) if m.fixed_work is not None else _moves(m, officer.id, posts)
        out.append(_penalty(m, officer, moves, "post changes"))
    return out


def _penalty(m: RosterModel, officer: Officer, moves: cp_model.LinearExprT, detail: str) -> Penalty:
    return Penalty(
        "continuity", m.scenario.weights.continuity, moves, detail, officer=officer.id, unit=officer.unit
    )


def _moves_fixed(m: PostModel, officer_id: str) -> cp_model.LinearExprT:
    """Working times are known: successive pairs are fixed, so count the pairs at the same post."""
    times = m.times[officer_id]
    same = []
    for a, b in pairwise(times):
        at_b = {slot.post: lit for slot, lit in m.posts_of(officer_id, b)}
        for slot, lit_a in m.posts_of(officer_id, a):
            lit_b = at_b.get(slot.post)
            if lit_b is None:
                continue
            both = m.cp.new_bool_var(f"same[{officer_id},{a.shift},{a.date},{slot.post}]")
            m.cp.add_implication(both, lit_a)
            m.cp.add_implication(both, lit_b)
            m.cp.add_bool_or([~lit_a, ~lit_b, both])
            same.append(both)
    return max(len(times) - 1, 0) - sum(same)


def _moves(m: PostModel, officer_id: str, posts: set[str]) -> cp_model.LinearExprT:
    """Working times are decisions: carry the post of the latest duty along the officer's possible
    starts (`last`, 0 before the first duty) and count the starts where it changes; the first duty
    changes it from 0, so the count exceeds the moves by one when the officer works at all."""
    index = {post: i + 1 for i, post in enumerate(sorted(posts))}
    previous: cp_model.LinearExprT = 0
    changed = []
    works = m.works(officer_id)
    for t, work in works:
        here = m.posts_of(officer_id, t)
        last = m.cp.new_int_var_from_domain(
            cp_model.Domain.from_values([0, *index.values()]), f"last[{officer_id},{t.shift},{t.date}]"
        )
        m.cp.add(last == sum(index[slot.post] * lit for slot, lit in here)).only_enforce_if(work)
        m.cp.add(last == previous).only_enforce_if(~work)
        change = m.cp.new_bool_var(f"move[{officer_id},{t.shift},{t.date}]")
        m.cp.add(last != previous).only_enforce_if(change)
        m.cp.add(last == previous).only_enforce_if(~change)
        changed.append(change)
        previous = last
    any_duty = m.cp.new_bool_var(f"any[{officer_id}]")
    m.cp.add_max_equality(any_duty, [w for _, w in works])
    moves = m.cp.new_int_var(0, max(len(works) - 1, 0), f"moves[{officer_id}]")
    m.cp.add(moves == sum(changed) - any_duty)
    return moves


def post_families(m: RosterModel, officer: Officer) -> dict[TimeKey, str]:
    """For each duty start, the family of posts of the officer's units it could be at: posts that
    share a shift type (on any date) are in one family, named by one of its posts."""
    key = ("post_families", tuple(sorted(officer.serves)))
    cached = m.cache.get(key)
    if cached is None:
        cached = _families(m, set(officer.serves))
        m.cache[key] = cached
    return cached  # type: ignore[return-value]


def _families(m: RosterModel, units: set[str]) -> dict[TimeKey, str]:
    joined: UnionFind[str] = UnionFind()
    first_post_of_shift: dict[str, str] = {}
    for slot in m.slots:
        if m.scenario.post(slot.post).unit not in units:
            continue
        joined.union(slot.post, first_post_of_shift.setdefault(slot.shift, slot.post))
    out = {}
    for key, slots in m.slots_at.items():
        posts = [s.post for s in slots if m.scenario.post(s.post).unit in units]
        if posts:
            out[key] = joined.find(posts[0])
    return out


def _families_lower_bound(m: RosterModel) -> list[Penalty]:
    out = []
    for officer in m.officers:
        family_of = post_families(m, officer)
        members: dict[str, list[Literal]] = defaultdict(list)
        for t, lit in m.works(officer.id):
            if t.key in family_of:
                members[family_of[t.key]].append(lit)
        if len(members) < 2:
            continue
        used = []
        for family, lits in sorted(members.items()):
            y = m.cp.new_bool_var(f"family[{officer.id},{family}]")
            for lit in lits:
                m.cp.add_implication(lit, y)
            m.cp.add_bool_or(lits).only_enforce_if(y)
            used.append(y)
        any_duty = m.cp.new_bool_var(f"any[{officer.id}]")
        m.cp.add_max_equality(any_duty, used)
        moves = m.cp.new_int_var(0, len(used) - 1, f"family_moves[{officer.id}]")
        m.cp.add(moves == sum(used) - any_duty)
        out.append(_penalty(m, officer, moves, "post families (lower bound)"))
    return out
