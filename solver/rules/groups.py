"""Duty groups (v2, soft): members working together (`group_split`) and on their group's rotation
pattern (`pattern`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from solver.domain import Slot
from solver.groups import group_members, pattern_dates, pattern_wants, patterned
from solver.model.base import Expr, Literal, Penalty, RosterModel


def _any(m: RosterModel, lits: Sequence[Literal], name: str) -> Literal:
    """A literal that is 1 exactly when any of `lits` is (`lits` not empty)."""
    if len(lits) == 1:
        return lits[0]
    var = m.cp.new_bool_var(name)
    for lit in lits:
        m.cp.add_implication(lit, var)
    m.cp.add_bool_or(lits).only_enforce_if(var)
    return var


def group_split(m: RosterModel) -> list[Penalty]:
    """Per group and date, `weights.group_split × (k − 1)` when the members' duties starting that
    date stand at k ≥ 1 distinct (post, shift) pairs. Exact on a `PostModel`; a `ShiftModel` does
    not place officers and counts distinct shifts instead (each is at least one pair): a lower bound."""
    s = m.scenario
    out: list[Penalty] = []
    if not s.weights.group_split:
        return out
    for g in s.groups:
        members = group_members(s, g)
        pairs: dict[date, dict[tuple[str, str], list[Literal]]] = defaultdict(lambda: defaultdict(list))
        for o in members:
            if m.places_officers:
                for slot, lit in _placements_of(m, o.id):
                    pairs[slot.date][(slot.post, slot.shift)].append(lit)
            else:
                for t, lit in m.works(o.id):
                    pairs[t.date][("", t.shift)].append(lit)
        for day, by_pair in sorted(pairs.items()):
            if len(by_pair) < 2:
                continue
            used = [
                _any(m, lits, f"pair[{g.id},{day},{p},{sh}]") for (p, sh), lits in sorted(by_pair.items())
            ]
            works = _any(m, used, f"group_works[{g.id},{day}]")
            # k − 1 when any member works, 0 otherwise; a variable of its own domain (never below
            # 0), so that the LP relaxation cannot take a bound below zero from it
            extra = m.cp.new_int_var(0, len(used) - 1, f"split[{g.id},{day}]")
            m.cp.add(extra == sum(used) - works)
            out.append(
                Penalty(
                    "group_split",
                    s.weights.group_split,
                    extra,
                    f"group {g.id} works at more than one post-shift",
                    date=day,
                )
            )
    return out


def _placements_of(m: RosterModel, officer_id: str) -> list[tuple[Slot, Literal]]:
    """The officer's placement literals with their slots (indexed once per model)."""
    cached = m.cache.get("placements_by_officer")
    if cached is None:
        by_officer: dict[str, list[tuple[Slot, Literal]]] = defaultdict(list)
        for o, slot, lit in m.placements():
            by_officer[o.id].append((slot, lit))
        m.cache["placements_by_officer"] = cached = by_officer
    return cached.get(officer_id, [])  # type: ignore[attr-defined]


def pattern(m: RosterModel) -> list[Penalty]:
    """Per member of a group with a pattern and horizon date without unavailability that day,
    `weights.pattern` when the shifts of the member's duties starting that date differ from the
    pattern's. Exact on every model (it only reads who works when)."""
    s = m.scenario
    out: list[Penalty] = []
    if not s.weights.pattern:
        return out
    for g, o in patterned(s):
        by_date: dict[date, list[tuple[str, Literal]]] = defaultdict(list)
        for t, lit in m.works(o.id):
            by_date[t.date].append((t.shift, lit))
        for day in pattern_dates(s, m.timeline, o):
            wants = pattern_wants(g, day)
            starts = by_date.get(day, [])
            on = [lit for shift, lit in starts if shift in wants]
            off = [lit for shift, lit in starts if shift not in wants]
            departs: Expr
            if wants and not on:
                departs = 1  # the wanted duty is impossible: a departure whatever the roster
            elif not wants:
                if not off:
                    continue
                departs = _any(m, off, f"off_pattern[{o.id},{day}]")
            elif not off:
                departs = 1 - on[0]
            else:
                d = m.cp.new_bool_var(f"departs[{o.id},{day}]")
                m.cp.add_implication(~on[0], d)
                for lit in off:
                    m.cp.add_implication(lit, d)
                m.cp.add_bool_or([~on[0], *off]).only_enforce_if(d)
                departs = d
            shift = next(iter(wants), None)
            out.append(
                Penalty(
                    "pattern",
                    s.weights.pattern,
                    departs,
                    f"group {g.id}'s pattern says {shift or 'no duty'}",
                    officer=o.id,
                    unit=o.unit,
                    date=day,
                    shift=shift,
                )
            )
    return out
