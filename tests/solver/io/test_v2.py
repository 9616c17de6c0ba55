"""Scenario format version 2 in the loader, the writer, the schema and roster documents: the new
working-time rules and over_weight load (merged per officer key by key), every error at its path,
and a version-1 document using a version-2 field is rejected, naming the field."""

from __future__ import annotations

import json

from solver.check import check_roster
from solver.domain import Succession, WorkRules
from solver.io.documents import scenario_json_schema
from solver.io.load import scenario_from_dict
from solver.io.roster import roster_from_dict
from solver.io.write import scenario_to_dict
from tests.solver.builders import build, coverage, officer, post, scenario_doc
from tests.solver.io.helpers import errors, rejected

V2_RULES = {
    "max_duties_per_day": 1,
    "forbidden_successions": [{"first": "N", "then": ["D", "E"]}],
    "max_duties_by_shift": {"N": 2},
    "min_minutes_per_horizon": 480,
    "max_minutes_per_horizon": 2400,
    "min_consecutive_days": 2,
    "min_consecutive_days_off": 2,
    "max_weekends": 1,
}


def test_v2_rules_load_and_officer_overrides_merge_key_by_key():
    s = build(
        format=2,
        rules=V2_RULES,
        officers=[
            officer("o1", rules={"max_weekends": 0, "max_duties_by_shift": {"D": 1}}),
            officer("o2", rules={"max_duties_per_day": None}),
            officer("o3"),
        ],
    )
    assert s.format == 2
    r = s.rules
    assert r.max_duties_per_day == 1 and r.max_weekends == 1 and r.min_consecutive_days_off == 2
    assert r.forbidden_successions == (Succession("N", frozenset({"D", "E"})),)
    assert r.forbidden_after("N") == {"D", "E"} and r.forbidden_after("D") == frozenset()
    o1 = s.rules_for(s.officer("o1"))
    assert o1.max_weekends == 0 and dict(o1.max_duties_by_shift) == {"D": 1}  # the field is replaced
    assert o1.min_minutes_per_horizon == 480  # not overridden: the scenario's value
    assert s.rules_for(s.officer("o2")).max_duties_per_day is None  # null: no such rule for o2
    assert s.rules_for(s.officer("o3")) == r


def test_defaults_mean_no_such_rule():
    r = build().rules
    assert r == WorkRules()
    assert (r.max_duties_per_day, r.min_minutes_per_horizon, r.max_minutes_per_horizon, r.max_weekends) == (
        None,
        None,
        None,
        None,
    )
    assert (r.min_consecutive_days, r.min_consecutive_days_off) == (1, 1)
    assert not r.uses_v2


def test_a_version_1_document_using_a_v2_field_is_rejected_naming_each_field():
    doc = scenario_doc(
        rules={"max_weekends": 1},
        posts=[post("p1", cover=[coverage("D", over_weight=2)])],
        officers=[officer("o1", rules={"min_consecutive_days": 2})],
    )
    errs = errors(doc)
    assert [(e.path, e.id) for e in errs] == [
        ("officers[0].rules.min_consecutive_days", "o1"),
        ("posts[0].coverage[0].over_weight", "p1"),
        ("rules.max_weekends", None),
    ]
    assert all('"format": 2' in e.message for e in errs)
    doc["format"] = 1
    assert len(errors(doc)) == 3
    doc["format"] = 2
    assert scenario_from_dict(doc).format == 2


def test_format_must_be_1_or_2():
    rejected(scenario_doc(format=3), "format", None, "less than or equal to 2")
    rejected(scenario_doc(format="2"), "format", None, "integer")


def test_v2_values_are_checked_with_every_error_at_its_path():
    doc = scenario_doc(
        format=2,
        rules={
            "max_duties_per_day": -1,
            "forbidden_successions": [{"first": "X", "then": ["D", "Y"]}],
            "max_duties_by_shift": {"Z": 1},
            "max_weekends": 1.0,
        },
        officers=[officer("o1", rules={"min_consecutive_days_off": True})],
    )
    assert [(e.path, e.id) for e in errors(doc)] == [
        ("officers[0].rules.min_consecutive_days_off", "o1"),
        ("rules.forbidden_successions[0].first", None),
        ("rules.forbidden_successions[0].then[1]", None),
        ("rules.max_duties_by_shift.Z", None),
        ("rules.max_duties_per_day", None),
        ("rules.max_weekends", None),
    ]


def test_over_weight_loads_onto_slots():
    s = build(format=2, posts=[post("p1", cover=[coverage("D", min=1, over_weight=4)])])
    assert {sl.over_weight for sl in s.slots()} == {4}


def test_write_round_trip_keeps_v2_and_leaves_v1_documents_v1():
    doc = scenario_doc(
        format=2,
        rules=V2_RULES,
        posts=[post("p1", cover=[coverage("D", min=1, over_weight=4)])],
        officers=[officer("o1", rules={"max_weekends": 0})],
    )
    s = scenario_from_dict(doc)
    written = scenario_to_dict(s)
    assert written["format"] == 2
    assert scenario_from_dict(json.loads(json.dumps(written))) == s
    plain = scenario_to_dict(build())
    assert "format" not in plain and "max_weekends" not in plain["rules"]
    assert scenario_from_dict(plain) == build()


def test_the_schema_has_the_v2_fields():
    schema = scenario_json_schema()
    assert schema["properties"]["format"]["maximum"] == 2
    rules = schema["$defs"]["RulesDoc"]["properties"]
    assert set(V2_RULES) <= set(rules)
    assert "over_weight" in schema["$defs"]["CoverageDoc"]["properties"]


def test_a_roster_score_lacking_overstaffing_compares_as_zero():
    s = build()
    score = {"shortfall": 0, "requests": 0, "fairness": 0, "continuity": 0, "changes": 0, "total": 0}
    roster, claimed = roster_from_dict({"assignments": [], "score": score})
    assert claimed == score and roster.score is not None and roster.score.overstaffing == 0
    shortfall = check_roster(s, roster).score.shortfall
    score.update(shortfall=shortfall, total=shortfall)
    roster, claimed = roster_from_dict({"assignments": [], "score": score, "objective": shortfall})
    assert check_roster(s, roster, claimed).ok
