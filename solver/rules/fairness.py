"""Fairness inside each unit: the spread of duties and of night duties between its officers."""

from __future__ import annotations

from solver.facts import fairness_eligible
from solver.model.base import Penalty, RosterModel


def fairness(m: RosterModel) -> list[Penalty]:
    """Per unit, `fair_duties * (most - fewest duties)` + `fair_nights * (most - fewest nights)`,
    over the unit's own officers with no unavailability in the horizon (officers without duties
    count 0)."""
    s = m.scenario
    out = []
    for unit, officers in fairness_eligible(s, m.timeline).items():
        if len(officers) < 2:
            continue
        for what, weight, nights_only in (
            ("duties", s.weights.fair_duties, False),
            ("night duties", s.weights.fair_nights, True),
        ):
            if not weight:
                continue
            counts = [sum(lit for t, lit in m.works(o.id) if t.night or not nights_only) for o in officers]
            top = max(sum(1 for t, _ in m.works(o.id) if t.night or not nights_only) for o in officers)
            if top == 0:
                continue
            most = m.cp.new_int_var(0, top, f"most[{unit},{what}]")
            fewest = m.cp.new_int_var(0, top, f"fewest[{unit},{what}]")
            m.cp.add_max_equality(most, counts)
            m.cp.add_min_equality(fewest, counts)
            out.append(Penalty("fairness", weight, most - fewest, f"spread of {what}", unit=unit))
    return out
