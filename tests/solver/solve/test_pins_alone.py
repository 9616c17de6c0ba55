"""The pins check judges the pinned officers alone: the same hard violations as the referee on
the whole scenario (every hard rule concerns one officer or one slot)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from solver.check import HARD_RULES, check_assignments
from solver.domain import Assignment
from solver.greedy import greedy_roster
from solver.io.load import scenario_from_dict
from solver.minimums import MINIMUM_RULES
from solver.solve.checks import pin_conflicts
from tests.solver.random_scenarios import random_scenario, random_v2_scenario


@pytest.mark.parametrize("seed", range(6))
def test_pin_conflicts_are_the_whole_referees_verdicts(seed: int) -> None:
    make = random_v2_scenario if seed % 2 else random_scenario
    s = scenario_from_dict(make(500 + seed))
    rng = random.Random(seed)
    duties = greedy_roster(s)
    slots = s.slots()
    # pins of the roster, and some that break rules together: one officer at two posts at once
    pins = rng.sample(duties, min(6, len(duties)))
    clashing = False
    for a in rng.sample(pins, min(2, len(pins))):
        same_time = [x for x in slots if (x.date, x.shift) == (a.date, a.shift) and x.post != a.post]
        if same_time:
            other = rng.choice(same_time)
            pins.append(Assignment(other.date, other.shift, other.post, a.officer))
            clashing = True
    pinned = replace(s, pinned=tuple(dict.fromkeys(pins)))
    whole = check_assignments(pinned, list(dict.fromkeys(pins)))
    expected = sorted(
        f"{v.rule}: {v.message}"
        for v in whole.violations
        if v.rule in HARD_RULES and v.rule != "pinned_missing" and v.rule not in MINIMUM_RULES
    )
    found = sorted(line.split(" — pins involved")[0] for line in pin_conflicts(pinned))
    assert found == expected
    assert bool(found) or not clashing  # an officer at two posts at once breaks a rule
