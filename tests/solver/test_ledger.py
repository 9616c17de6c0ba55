"""The ledger (one officer, one extra duty) agrees with the referee (whole rosters)."""

from __future__ import annotations

import random

import pytest

from solver.check import check_assignments
from solver.domain import Assignment, SlotKey
from solver.io.load import scenario_from_dict
from solver.ledger import ledgers
from tests.solver.builders import at, build, day, duty, officer
from tests.solver.random_scenarios import random_scenario, random_v2_scenario

OFFICER_RULES = {
    "serves_unit",
    "unavailable",
    "overlap",
    "min_rest",
    "max_minutes_per_7_days",
    "min_days_off_per_7_days",
    "max_consecutive_days",
    "max_consecutive_nights",
    "owed_rest",
}


@pytest.mark.parametrize("seed", range(25))
def test_ledger_verdicts_match_the_referee(seed):
    s = scenario_from_dict(random_scenario(seed, days=random.Random(seed).choice([5, 7, 10])))
    rng = random.Random(seed)
    books = ledgers(s)
    slots = s.slots()
    roster: list[Assignment] = []
    checked = 0
    for _ in range(300):
        if not slots or not s.officers:
            break
        slot = rng.choice(slots)
        officer = rng.choice(s.officers)
        if books[officer.id].holds(slot.key):
            continue
        blocks = {b.rule for b in books[officer.id].blocks(slot.key)}
        duty = Assignment(date=slot.date, shift=slot.shift, post=slot.post, officer=officer.id)
        after = check_assignments(s, [*roster, duty], rules=sorted(OFFICER_RULES))
        found = {v.rule for v in after.violations if v.officer == officer.id}
        assert blocks == found, (duty, blocks, found)
        checked += 1
        if not blocks:
            roster.append(duty)
            books[officer.id].add(slot.key)
    assert checked > 50
    assert not check_assignments(s, roster, rules=sorted(OFFICER_RULES)).violations


def test_a_busy_span_blocks_a_duty_as_unavailability_with_its_reason():
    elsewhere = [{"start": at(0, "15:00"), "end": at(0, "17:00"), "reason": "on duty at q9"}]
    s = build(officers=[officer("o1", busy=elsewhere)])
    book = ledgers(s)["o1"]
    [block] = book.blocks(SlotKey("p1", "D", day(0)))
    assert (block.rule, block.message) == ("unavailable", "on duty at q9")
    assert not book.blocks(SlotKey("p1", "N", day(0)))


V2_OFFICER_RULES = OFFICER_RULES | {
    "max_duties_per_day",
    "forbidden_succession",
    "max_duties_by_shift",
    "max_minutes_per_horizon",
    "max_weekends",
    "min_consecutive_days_off",
}
"""The v2 rules one more duty can break (the other minimum rules, more duties can mend)."""


@pytest.mark.parametrize("seed", range(15))
def test_ledger_verdicts_match_the_referee_on_v2_rules(seed):
    doc = random_v2_scenario(seed, days=random.Random(seed).choice([7, 10, 14]))
    for o in doc["officers"]:  # minimum rules that more duties mend are not per-duty verdicts
        o.get("rules", {}).pop("min_minutes_per_horizon", None)
        o.get("rules", {}).pop("min_consecutive_days", None)
    s = scenario_from_dict(doc)
    rng = random.Random(seed)
    books = ledgers(s)
    slots = s.slots()
    roster: list[Assignment] = []
    checked = 0
    for _ in range(400):
        slot = rng.choice(slots)
        officer = rng.choice(s.officers)
        if books[officer.id].holds(slot.key):
            continue
        blocks = {b.rule for b in books[officer.id].blocks(slot.key)}
        duty = Assignment(date=slot.date, shift=slot.shift, post=slot.post, officer=officer.id)
        after = check_assignments(s, [*roster, duty], rules=sorted(V2_OFFICER_RULES))
        found = {v.rule for v in after.violations if v.officer == officer.id}
        assert blocks == found, (duty, blocks, found)
        checked += 1
        if not blocks:
            roster.append(duty)
            books[officer.id].add(slot.key)
    assert checked > 50
    assert not check_assignments(s, roster, rules=sorted(V2_OFFICER_RULES)).violations


def test_v2_rules_are_named_across_seeds():
    seen: set[str] = set()
    for seed in range(6):
        s = scenario_from_dict(random_v2_scenario(seed, days=14))
        books = ledgers(s)
        for slot in s.slots():
            for o in s.officers:
                seen |= {b.rule for b in books[o.id].blocks(slot.key)}
                if not books[o.id].blocks(slot.key):
                    books[o.id].add(slot.key)
    assert {"max_duties_per_day", "forbidden_succession", "max_minutes_per_horizon", "max_weekends"} <= seen


def test_owed_rest_blocks_a_duty_exactly_when_the_referee_would_object():
    s = build(format=2, officers=[officer("o1", owed_rest=[{"days": 2, "by": day(3).isoformat()}])])
    book = ledgers(s)["o1"]
    held = [duty("o1", "p1", "D", 0)]
    book.add(held[0].slot_key)
    for n in range(7):
        extra = duty("o1", "p1", "N", n)
        blocked = any(b.rule == "owed_rest" for b in book.blocks(SlotKey("p1", "N", day(n))))
        broken = any(v.rule == "owed_rest" for v in check_assignments(s, [*held, extra]).violations)
        assert blocked == broken, n
    assert [b.rule for b in book.blocks(SlotKey("p1", "D", day(1)))] == []
    book.add(SlotKey("p1", "D", day(1)))
    assert [b.rule for b in book.blocks(SlotKey("p1", "D", day(2)))] == ["owed_rest"]
