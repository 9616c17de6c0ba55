"""Who-can-cover's fast path (ledgers built per candidate on first use, the scorer kept between
questions, the fairness spread as a tally) answers exactly what the full computation did:
every ledger built, the duty out of its holder's, every score change from the referee."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from data.generate_zhangye import generate
from solver.check import check_assignments
from solver.cover import BOUNDARY_RULES, Cover, who_can_cover
from solver.domain import SCORE_TERMS, Assignment, Scenario
from solver.greedy import greedy_roster
from solver.io.load import scenario_from_dict
from solver.ledger import ledgers
from solver.replan import stretch
from solver.scorer import Scorer
from solver.solve.components import unit_components
from tests.solver.random_scenarios import random_scenario


def full_cover(
    s: Scenario, roster: list[Assignment], duty: Assignment, following: list[Assignment]
) -> list[tuple[str, list[tuple[str, str, dict[str, object]]], dict[str, int]]]:
    """The answer as computed before: every officer's ledger, the stretched ledgers of every
    officer, the duty removed from its holder's; each score change from the referee."""
    books = ledgers(s)
    for a in roster:
        books[a.officer].add(a.slot_key)
    extra = None
    if following:
        stretched = stretch(s, following)
        extra = ledgers(stretched)
        for a in [*roster, *following]:
            if stretched.has_post(a.post) and stretched.has_shift(a.shift):
                extra[a.officer].add(a.slot_key)
    holder = duty.officer if duty in set(roster) else None
    if holder is not None:
        books[holder].remove(duty.slot_key)
        if extra is not None:
            extra[holder].remove(duty.slot_key)
    before = check_assignments(s, roster).score.as_dict()
    there = {a.officer for a in roster if a.slot_key == duty.slot_key}
    unit = s.post(duty.post).unit
    out = []
    for o in s.officers:
        if o.id == holder or o.id in there or unit not in o.serves:
            continue
        blocks = books[o.id].blocks(duty.slot_key)
        if extra is not None:
            blocks += [
                b for b in extra[o.id].blocks(duty.slot_key) if b.rule in BOUNDARY_RULES and b not in blocks
            ]
        delta: dict[str, int] = {}
        if not blocks:
            changed = [a for a in roster if a != duty] + [replace(duty, officer=o.id)]
            after = check_assignments(s, changed).score.as_dict()
            delta = {term: after[term] - before[term] for term in SCORE_TERMS}
        out.append(Cover(o, tuple(blocks), delta))
    group = s.group_of(duty.officer)
    mates = set() if group is None else set(group.members)
    out.sort(
        key=lambda c: (
            not c.can,
            c.officer.id not in mates,
            c.total if c.can else 0,
            len(c.blocks),
            c.officer.id,
        )
    )
    return [flat(c) for c in out]


def flat(c: Cover) -> tuple[str, list[tuple[str, str, dict[str, object]]], dict[str, int]]:
    return (
        c.officer.id,
        [(b.rule, b.message, dict(b.params)) for b in c.blocks],
        {term: change for term, change in c.delta.items() if change or c.can},
    )


def county(seed: int, unit: str) -> Scenario:
    """The independent part holding `unit` of a generated city week (not the sample's seed)."""
    doc = generate(seed=seed)
    units = next(c for c in unit_components(scenario_from_dict(doc)) if unit in c)
    officers = [o for o in doc["officers"] if o["unit"] in units]
    ids = {o["id"] for o in officers}
    return scenario_from_dict(
        {
            **doc,
            "units": [u for u in doc["units"] if u["id"] in units],
            "posts": [p for p in doc["posts"] if p["unit"] in units],
            "officers": [
                {**o, "serves": [u for u in o.get("serves", [o["unit"]]) if u in units]} for o in officers
            ],
            "pinned": [a for a in doc["pinned"] if a["officer"] in ids],
            "groups": [g for g in doc.get("groups", []) if set(g["members"]) <= ids],
        }
    )


def questions(s: Scenario, roster: list[Assignment], rng: random.Random, count: int) -> list[Assignment]:
    """`count` duties of the roster (replacements) and one open seat (an extra hand)."""
    duties = rng.sample(roster, min(count, len(roster)))
    slot = rng.choice(s.slots())
    return [*duties, Assignment(slot.date, slot.shift, slot.post, "")]


def test_the_fast_path_ranks_and_explains_as_the_full_computation_on_a_generated_city() -> None:
    s = county(7, "linze")
    roster = greedy_roster(s)
    scorer = Scorer(s, roster)  # kept between questions, as the service keeps it
    for duty in questions(s, roster, random.Random(18), 2):
        fast = [flat(c) for c in who_can_cover(s, roster, duty, scorer)]
        assert fast == full_cover(s, roster, duty, [])
        assert [flat(c) for c in who_can_cover(s, roster, duty)] == fast  # a scorer of its own


@pytest.mark.parametrize("seed", [3, 11])
def test_the_fast_path_holds_the_boundary_rules_with_the_week_after(seed: int) -> None:
    two = scenario_from_dict(random_scenario(300 + seed, days=14))
    both = greedy_roster(two)
    s = replace(two, days=7, pinned=tuple(a for a in two.pinned if a.date < two.start + timedelta(days=7)))
    roster = [a for a in both if s.in_horizon(a.date)]
    following = [a for a in both if a.date >= s.end]
    assert following
    scorer = Scorer(s, roster)
    for duty in questions(s, roster, random.Random(seed), len(roster)):
        fast = [flat(c) for c in who_can_cover(s, roster, duty, scorer, following=following)]
        assert fast == full_cover(s, roster, duty, following)
