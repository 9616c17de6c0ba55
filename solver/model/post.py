"""`PostModel`: one Boolean per officer and slot, exact for every term of the objective."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from ortools.sat.python import cp_model

from solver.domain import Assignment, Officer, Scenario, Slot, SlotKey
from solver.model.base import Expr, FixedWork, Infeasible, Literal, RosterModel, TimeKey, TimePoint


class PostModel(RosterModel):
    """One Boolean per officer and slot they could staff (every officer and slot when `plain`)."""

    def __init__(
        self, scenario: Scenario, *, plain: bool = False, fixed_work: FixedWork | None = None
    ) -> None:
        super().__init__(scenario, plain=plain, fixed_work=fixed_work)
        self.x: dict[tuple[str, SlotKey], Literal] = {}
        self.x_by_slot: dict[SlotKey, list[tuple[Officer, Literal]]] = defaultdict(list)
        self.x_by_time: dict[tuple[str, TimeKey], list[tuple[Slot, Literal]]] = defaultdict(list)
        for o in self.officers:
            for t in self.times[o.id]:
                for slot in self.slots_at[t.key]:
                    if not plain and not self.eligible(o, slot):
                        continue
                    var = self.cp.new_bool_var(f"x[{o.id},{slot.post},{slot.shift},{slot.date}]")
                    self.x[(o.id, slot.key)] = var
                    self.x_by_slot[slot.key].append((o, var))
                    self.x_by_time[(o.id, t.key)].append((slot, var))
                # an officer starts at most one duty at a time: one post, and `work` says whether
                self.cp.add(sum(v for _, v in self.x_by_time[(o.id, t.key)]) == self._work[(o.id, t.key)])
        if self.fixed_work is not None:
            for lit in self._work.values():
                self.cp.add(lit == 1)

    def staffing(self, slot: Slot) -> Expr:
        return sum(v for _, v in self.x_by_slot[slot.key])

    def skilled(self, slot: Slot, skill: str) -> Expr:
        return sum(v for o, v in self.x_by_slot[slot.key] if skill in o.skills)

    def placement(self, officer_id: str, key: SlotKey) -> Literal | None:
        return self.x.get((officer_id, key))

    def placements(self) -> Iterator[tuple[Officer, Slot, Literal]]:
        for key, pairs in self.x_by_slot.items():
            slot = self.slot_index[key]
            for o, var in pairs:
                yield o, slot, var

    def posts_of(self, officer_id: str, t: TimePoint) -> list[tuple[Slot, Literal]]:
        return self.x_by_time[(officer_id, t.key)]

    def force(self, assignments: Iterable[Assignment]) -> None:
        for a in assignments:
            var = self.x.get((a.officer, a.slot_key))
            if var is None:
                raise Infeasible(f"{a.officer} cannot staff {a.post} {a.shift} {a.date}")
            self.cp.add(var == 1)

    def assignments(self, solver: cp_model.CpSolver) -> list[Assignment]:
        return self._placed(solver.boolean_value)

    def assignments_from(self, values: Sequence[int]) -> list[Assignment]:
        """The roster of a solution given as the value of every variable (by proto index)."""
        return self._placed(lambda var: bool(values[var.index]))

    def _placed(self, is_set: Callable[[cp_model.IntVar], bool]) -> list[Assignment]:
        return sorted(
            Assignment(date=key.date, shift=key.shift, post=key.post, officer=oid)
            for (oid, key), var in self.x.items()
            if is_set(var)
        )
