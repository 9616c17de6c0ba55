"""Shortfall reasons and the score analysis, tested on the engine directly (not through HTTP)."""

from __future__ import annotations

from solver.domain import Shortfall
from solver.explain import CAUSE_ORDER, CAUSE_TEXT, analyse, shortfall_reasons
from solver.rules import HARD_RULES
from tests.solver.builders import at, build, coverage, day, duty, officer, post


def test_a_short_slot_in_the_frozen_past_gets_a_reason() -> None:
    """Before `frozen_until` nothing new may start: the free officers are blocked by that rule."""
    s = build(
        posts=[post("p1", cover=[coverage("D", min=2)])],
        officers=[officer("o1"), officer("o2")],
        frozen_until=at(3, "00:00"),
    )
    short = [Shortfall("p1", "D", day(1), 2)]
    [reason] = shortfall_reasons(s, [], short)
    assert reason.causes == {"frozen_until": 2}
    assert "frozen" in (reason.reason or "") and reason.reason_zh


def test_free_officers_are_named_free() -> None:
    s = build(posts=[post("p1", cover=[coverage("D", min=3)])], officers=[officer("o1"), officer("o2")])
    [reason] = shortfall_reasons(s, [duty("o1", "p1", "D", 0)], [Shortfall("p1", "D", day(0), 2)])
    assert reason.causes == {"free": 1}


def test_every_per_officer_hard_rule_has_a_cause_text() -> None:
    """The ledger names the referee's rule ids of the per-officer hard rules; each needs words
    for the shortfall reason (a missing one once made approving a change answer 500)."""
    slot_rules = {"coverage_max", "pinned_missing"}
    per_officer = {r.id for r in HARD_RULES} - slot_rules
    assert per_officer <= set(CAUSE_TEXT)
    assert CAUSE_ORDER[-1] == "free"


def test_analyse_lists_every_term_with_its_top_contributors() -> None:
    s = build(posts=[post("p1", cover=[coverage("D", min=2)])], officers=[officer("o1"), officer("o2")])
    terms = {t.term: t for t in analyse(s, [duty("o1", "p1", "D", 0)])}
    assert terms["shortfall"].total == 2 * 1000 * 7 - 1000
    assert terms["shortfall"].top_posts == [("p1", 13000)]


def test_officers_busy_elsewhere_are_counted_with_the_unavailable() -> None:
    elsewhere = [{"start": at(0, "08:00"), "end": at(0, "16:00"), "reason": "on duty at q9"}]
    s = build(posts=[post("p1", cover=[coverage("D", min=1)])], officers=[officer("o1", busy=elsewhere)])
    [reason] = shortfall_reasons(s, [], [Shortfall("p1", "D", day(0), 1)])
    assert reason.causes == {"unavailable": 1}


def test_a_slot_no_other_officer_serves_says_so_in_both_languages() -> None:
    s = build(posts=[post("q1", "u2", cover=[coverage("D", min=1)])], officers=[officer("o1")])
    [reason] = shortfall_reasons(s, [], [Shortfall("q1", "D", day(0), 1)])
    assert reason.causes == {}
    assert reason.reason == "no other officers serve unit 2; 1 missing on 11-08 shift D"
    assert reason.reason_zh == "unit 2没有其他可派的民警；11-08 shift D缺1人"


def test_each_excluding_rule_is_counted_in_the_catalogue_s_order() -> None:
    s = build(
        posts=[post("p1", cover=[coverage("D", min=3)]), post("p2", cover=[coverage("D", min=1)])],
        officers=[
            officer("o1"),
            officer("o2", unavailable=[{"start": at(0, "00:00"), "end": at(1, "00:00"), "reason": "leave"}]),
            officer("o3"),
        ],
    )
    roster = [duty("o1", "p1", "D", 0), duty("o3", "p2", "D", 0)]
    [reason] = shortfall_reasons(s, roster, [Shortfall("p1", "D", day(0), 2)])
    assert reason.causes == {"unavailable": 1, "overlap": 1}
    assert list(reason.causes) == [c for c in CAUSE_ORDER if c in reason.causes]
    assert reason.reason == "unit 1: 2 other officers could serve post p1; on 11-08 shift D: " + ", ".join(
        [f"1 {CAUSE_TEXT['unavailable'][0]}", f"1 {CAUSE_TEXT['overlap'][0]}"]
    )


def test_analyse_names_the_officers_and_units_behind_each_term() -> None:
    s = build(
        posts=[post("p1", cover=[coverage("D", max=1)]), post("p2", cover=[coverage("D", max=1)])],
        officers=[officer("o1", requests=[{"kind": "day_off", "date": day(1).isoformat(), "weight": 3}])],
    )
    roster = [duty("o1", "p1", "D", 0), duty("o1", "p2", "D", 1)]
    terms = {t.term: t for t in analyse(s, roster)}
    assert [t.term for t in analyse(s, roster)] == [
        "shortfall",
        "overstaffing",
        "requests",
        "fairness",
        "continuity",
        "changes",
        "group_split",
        "pattern",
    ]
    assert terms["requests"].total == 30 and terms["requests"].top_officers == [("o1", 30)]
    assert terms["continuity"].total == 1 and terms["continuity"].top_posts == [("p2", 1)]
    assert terms["requests"].top_units == [("u1", 30)] and terms["changes"].items == 0


def test_a_short_slot_names_officers_owed_rest() -> None:
    s = build(
        format=2,
        posts=[post("p1", cover=[coverage("D", min=2)])],
        officers=[officer("o1", owed_rest=[{"days": 1, "by": day(1).isoformat()}]), officer("o2")],
    )
    roster = [duty("o1", "p1", "D", 0), duty("o2", "p1", "D", 1)]
    [reason] = shortfall_reasons(s, roster, [Shortfall("p1", "D", day(1), 1)])
    assert reason.causes == {"owed_rest": 1}
    assert CAUSE_TEXT["owed_rest"][0] in (reason.reason or "")
    assert CAUSE_TEXT["owed_rest"][1] in (reason.reason_zh or "")
