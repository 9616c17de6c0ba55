"""Loading the version-2 fields of duty groups, rotation patterns, owed rest and post locations."""

from __future__ import annotations

from datetime import date
from typing import Any

from solver.domain import Group, Location, OwedRest, Pattern
from solver.io.documents import scenario_json_schema
from solver.io.load import scenario_from_dict
from solver.io.write import scenario_to_dict
from tests.solver.builders import iso, scenario_doc
from tests.solver.io.helpers import errors, rejected


def v2(**overrides: Any) -> dict[str, Any]:
    return scenario_doc(format=2, **overrides)


def group(gid: str, *members: str, pattern: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": gid, "name": f"group {gid}", "members": list(members)}
    if pattern is not None:
        out["pattern"] = pattern
    return out


def test_groups_patterns_owed_rest_and_locations_load_into_the_domain():
    doc = v2(
        groups=[group("g1", "o1", "o2", pattern={"start": iso(-3), "days": ["D", None, "E"]}), group("g2")]
    )
    doc["officers"][2]["owed_rest"] = [{"days": 2, "by": iso(4)}]
    doc["posts"][0]["location"] = {"lat": 38.93, "lon": 100}
    s = scenario_from_dict(doc)
    assert s.groups == (
        Group("g1", "group g1", ("o1", "o2"), Pattern(date(2021, 11, 5), ("D", None, "E"))),
        Group("g2", "group g2", (), None),
    )
    assert s.group_of("o2") is s.groups[0] and s.group_of("o3") is None
    assert s.officer("o3").owed_rest == (OwedRest(2, date(2021, 11, 12)),)
    assert s.post("p1").location == Location(38.93, 100.0) and s.post("p2").location is None
    # the pattern starts three days before the horizon: MON is its index 3 mod 3 = 0
    assert s.groups[0].pattern is not None
    assert [s.groups[0].pattern.shift_on(d) for d in s.dates[:4]] == ["D", None, "E", "D"]
    assert s.weights.group_split == 10 and s.weights.pattern == 5


def test_the_writer_round_trips_version_2_fields_and_says_format_2():
    doc = v2(groups=[group("g1", "o1", pattern={"start": iso(0), "days": ["N", None]})])
    doc["officers"][0]["owed_rest"] = [{"days": 1, "by": iso(2)}]
    doc["posts"][1]["location"] = {"lat": -1.5, "lon": 179.25}
    doc["rules"] = {"weights": {"pattern": 7}}
    s = scenario_from_dict(doc)
    out = scenario_to_dict(s)
    assert out["format"] == 2 and out["rules"]["weights"]["pattern"] == 7
    assert out["rules"]["weights"]["group_split"] == 10  # format 2 writes every default out
    assert scenario_from_dict(out) == s


def test_a_version_1_scenario_is_written_without_version_2_fields():
    out = scenario_to_dict(scenario_from_dict(scenario_doc()))
    assert "format" not in out and "groups" not in out
    assert "pattern" not in out["rules"]["weights"]
    scenario_from_dict(out)


def test_a_member_in_two_groups_is_named_with_both_places():
    err = rejected(
        v2(groups=[group("g1", "o1", "o2"), group("g2", "o3", "o2")]), "groups[1].members[1]", "o2"
    )
    assert "'g1'" in err.message and "groups[0].members[1]" in err.message


def test_a_member_listed_twice_in_one_group():
    rejected(v2(groups=[group("g1", "o1", "o1")]), "groups[0].members[1]", "o1", "listed twice")


def test_an_unknown_member_or_pattern_shift_and_a_duplicate_group_id():
    doc = v2(groups=[group("g1", "zz", pattern={"start": iso(0), "days": ["D", "Q"]}), group("g1")])
    assert [(e.path, e.id) for e in errors(doc)] == [
        ("groups[0].members[0]", "g1"),
        ("groups[0].pattern.days[1]", "g1"),
        ("groups[1].id", "g1"),
    ]


def test_an_empty_pattern_and_one_longer_than_56_days_are_rejected():
    rejected(
        v2(groups=[group("g1", "o1", pattern={"start": iso(0), "days": []})]), "groups[0].pattern.days", "g1"
    )
    rejected(
        v2(groups=[group("g1", "o1", pattern={"start": iso(0), "days": ["D"] * 57})]),
        "groups[0].pattern.days",
        "g1",
    )
    scenario_from_dict(v2(groups=[group("g1", "o1", pattern={"start": iso(0), "days": [None] * 56})]))


def test_a_pattern_needs_a_start_date_and_a_group_a_name():
    rejected(
        v2(groups=[group("g1", "o1", pattern={"start": "2021-13-01", "days": ["D"]})]),
        "groups[0].pattern.start",
        "g1",
    )
    rejected(v2(groups=[{"id": "g1", "members": []}]), "groups[0].name", "g1")


def test_owed_rest_asking_more_days_than_the_horizon_has_up_to_by_names_the_officer():
    doc = v2()
    doc["officers"][1]["owed_rest"] = [{"days": 3, "by": iso(1)}]
    err = rejected(doc, "officers[1].owed_rest[0].days", "o2", "only 2 date(s)")
    assert "'o2'" in err.message
    doc["officers"][1]["owed_rest"] = [{"days": 2, "by": iso(1)}, {"days": 7, "by": iso(30)}]
    scenario_from_dict(doc)  # exactly as many as there are dates; `by` past the horizon end counts 7
    doc["officers"][1]["owed_rest"] = [{"days": 8, "by": iso(30)}]
    rejected(doc, "officers[1].owed_rest[0].days", "o2", "only 7 date(s)")


def test_owed_rest_before_the_horizon_is_ignored_and_days_must_be_positive():
    doc = v2()
    doc["officers"][0]["owed_rest"] = [{"days": 5, "by": iso(-1)}]
    scenario_from_dict(doc)
    doc["officers"][0]["owed_rest"] = [{"days": 0, "by": iso(3)}]
    rejected(doc, "officers[0].owed_rest[0].days", "o1")


def test_a_location_outside_the_ranges_is_rejected():
    for key, value in (("lat", 90.5), ("lat", -91), ("lon", 180.01), ("lon", "100")):
        doc = v2()
        doc["posts"][2]["location"] = {"lat": 0, "lon": 0, key: value}
        rejected(doc, f"posts[2].location.{key}", "q1")
    doc = v2()
    doc["posts"][2]["location"] = {"lat": 0}
    rejected(doc, "posts[2].location.lon", "q1")


def test_a_version_1_document_using_a_version_2_field_names_the_field():
    doc = scenario_doc(format=1, groups=[])
    rejected(doc, "groups", None, '"format": 1')
    doc = scenario_doc()
    doc["officers"][0]["owed_rest"] = [{"days": 1, "by": iso(0)}]
    rejected(doc, "officers[0].owed_rest", "o1", "version-2 field")
    doc = scenario_doc(rules={"weights": {"group_split": 3}})
    rejected(doc, "rules.weights.group_split", None)
    rejected(scenario_doc(format=3), "format")


def test_the_schema_describes_groups_owed_rest_and_locations():
    schema = scenario_json_schema()
    defs = schema["$defs"]
    assert {"GroupDoc", "PatternDoc", "OwedRestDoc", "LocationDoc"} <= set(defs)
    assert defs["PatternDoc"]["properties"]["days"]["maxItems"] == 56
    assert "groups" in schema["properties"] and "format" in schema["properties"]
