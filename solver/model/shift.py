"""`ShiftModel`: who works when, and how many officers of each interchangeable kind staff each slot."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TypeAlias

from ortools.sat.python import cp_model

from solver.domain import Assignment, Officer, Scenario, Slot, SlotKey
from solver.model.base import Expr, Infeasible, Literal, RosterModel, TimeKey

Kind: TypeAlias = tuple[frozenset[str], tuple[str, ...]]  # (relevant skills, units served)


def officer_kind(officer: Officer, skills: frozenset[str]) -> Kind:
    """Officers of one kind are interchangeable for coverage: same relevant skills, same units served."""
    return (frozenset(officer.skills & skills), tuple(sorted(officer.serves)))


class ShiftModel(RosterModel):
    """Who works when, and how many officers of each kind staff each slot."""

    places_officers = False

    def __init__(self, scenario: Scenario, *, plain: bool = False) -> None:
        super().__init__(scenario, plain=plain)
        used_skills = frozenset(k for s in self.slots for k in s.skills)
        self.kind_of = {o.id: officer_kind(o, used_skills) for o in self.officers}
        members: dict[tuple[Kind, TimeKey], list[Literal]] = defaultdict(list)
        for o in self.officers:
            for t, lit in self.works(o.id):
                members[(self.kind_of[o.id], t.key)].append(lit)
        # n[kind, slot]: officers of that kind staffing the slot
        self.n: dict[tuple[Kind, SlotKey], cp_model.IntVar] = {}
        self.n_by_slot: dict[SlotKey, list[tuple[frozenset[str], cp_model.IntVar]]] = defaultdict(list)
        post_unit = {p.id: p.unit for p in scenario.posts}
        for (kind, tkey), lits in members.items():
            skills, serves = kind
            seats = []
            for slot in self.slots_at[tkey]:
                if post_unit[slot.post] not in serves:
                    continue
                top = min(slot.max, len(lits))
                var = self.cp.new_int_var(0, top, f"n[{sorted(skills)},{slot.post},{slot.shift},{slot.date}]")
                self.n[(kind, slot.key)] = var
                self.n_by_slot[slot.key].append((skills, var))
                seats.append(var)
            # everyone of this kind who works at this time staffs one of the kind's seats
            self.cp.add(sum(lits) == sum(seats))

    def staffing(self, slot: Slot) -> Expr:
        return sum(v for _, v in self.n_by_slot[slot.key])

    def skilled(self, slot: Slot, skill: str) -> Expr:
        return sum(v for skills, v in self.n_by_slot[slot.key] if skill in skills)

    def placement(self, officer_id: str, key: SlotKey) -> Literal | None:
        return None

    def placements(self) -> Iterator[tuple[Officer, Slot, Literal]]:
        return iter(())

    def force(self, assignments: Iterable[Assignment]) -> None:
        seats: dict[tuple[Kind, SlotKey], int] = defaultdict(int)
        for a in assignments:
            lit = self.work(a.officer, (a.shift, a.date))
            kind = self.kind_of.get(a.officer)
            key = (kind, a.slot_key) if kind is not None else None
            if lit is None or key is None or key not in self.n:
                raise Infeasible(f"{a.officer} cannot staff {a.post} {a.shift} {a.date}")
            self.cp.add(lit == 1)
            seats[key] += 1
        for key, count in seats.items():
            self.cp.add(self.n[key] >= count)

    def assignments(self, solver: cp_model.CpSolver) -> list[Assignment]:
        raise TypeError("a ShiftModel does not place officers at posts; see solver.solve.placement")

    def working(self, solver: cp_model.CpSolver) -> dict[str, list[TimeKey]]:
        return {
            o.id: [t.key for t, lit in self.works(o.id) if solver.boolean_value(lit)] for o in self.officers
        }

    def seats(self, solver: cp_model.CpSolver) -> dict[tuple[Kind, SlotKey], int]:
        return {key: solver.value(var) for key, var in self.n.items() if solver.value(var)}
