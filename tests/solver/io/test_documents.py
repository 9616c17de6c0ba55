"""The document models: required and unknown fields, and the JSON Schema they generate."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest

from solver.io.documents import scenario_json_schema
from solver.io.load import load_scenario
from solver.io.write import scenario_to_dict
from tests.solver.builders import iso, scenario_doc
from tests.solver.io.helpers import EXAMPLE, changed, errors, rejected, rich_doc


@pytest.mark.parametrize("field", ["name", "horizon", "shift_types", "units", "posts", "officers"])
def test_required_top_level_fields(field):
    doc = scenario_doc()
    del doc[field]
    errs = [(e.path, e.id, e.message) for e in errors(doc)]
    assert (field, None, "required field is missing") in errs
    if field not in ("shift_types", "units"):  # without those, every reference to them is unknown too
        assert len(errs) == 1


def test_required_fields_of_objects():
    doc = scenario_doc()
    del doc["officers"][1]["name"]
    del doc["posts"][2]["coverage"]
    errs = errors(doc)
    assert [(e.path, e.id, e.message) for e in errs] == [
        ("officers[1].name", "o2", "required field is missing"),
        ("posts[2].coverage", "q1", "required field is missing"),
    ]


@pytest.mark.parametrize(
    ("edit", "path", "oid"),
    [
        (lambda d: d.update(version=1), "version", None),
        (lambda d: d["horizon"].update(end=iso(6)), "horizon.end", None),
        (lambda d: d["officers"][0].update(nickname="Li"), "officers[0].nickname", "o1"),
        (lambda d: d["posts"][0]["coverage"][0].update(note="x"), "posts[0].coverage[0].note", "p1"),
        (lambda d: d.update(rules={"weights": {"bonus": 1}}), "rules.weights.bonus", None),
        (lambda d: d.update(rules={"max_hours": 1}), "rules.max_hours", None),
        (
            lambda d: d["officers"][1].update(rules={"weights": {"change": 1}}),
            "officers[1].rules.weights",
            "o2",
        ),
        (
            lambda d: d.update(
                pinned=[{"officer": "o1", "post": "p1", "shift": "D", "date": iso(0), "why": "x"}]
            ),
            "pinned[0].why",
            None,
        ),
    ],
)
def test_unknown_fields_are_rejected(edit, path, oid):
    rejected(changed(edit), path, oid, "unknown field")


def test_the_schema_is_a_draft_2020_12_object_schema_closed_to_unknown_fields():
    schema = scenario_json_schema()
    json.dumps(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert set(schema["required"]) == {"name", "horizon", "shift_types", "units", "posts", "officers"}
    assert set(schema["properties"]) == {
        "format",  # version 2
        "name",
        "timezone",
        "horizon",
        "shift_types",
        "units",
        "skills",
        "posts",
        "officers",
        "rules",
        "pinned",
        "baseline",
        "frozen_until",  # optional extension, documented in docs/scenario-format.md
        "groups",  # version 2
    }
    objects = [schema, *schema["$defs"].values()]
    assert all(o.get("additionalProperties") is False for o in objects)
    assert (
        schema["$defs"]["ShiftTypeDoc"]["properties"]["minutes"].items()
        >= {"minimum": 1, "maximum": 1440}.items()
    )
    assert (
        schema["$defs"]["HorizonDoc"]["properties"]["days"].items() >= {"minimum": 1, "maximum": 366}.items()
    )


def validate(
    instance: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, path: str = ""
) -> list[str]:
    """A small JSON Schema validator for the keywords the loader's schema uses (no dependency added)."""
    root = root or schema
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return validate(instance, root["$defs"][name], root, path)
    if "anyOf" in schema:
        if any(not validate(instance, option, root, path) for option in schema["anyOf"]):
            return []
        return [f"{path}: matches no option"]
    kinds = {
        "object": dict,
        "array": list,
        "string": str,
        "boolean": bool,
        "null": type(None),
        "integer": int,
        "number": (int, float),
    }
    kind = schema.get("type")
    wrong_type = kind is not None and not isinstance(instance, kinds[kind])
    if wrong_type or (kind in ("integer", "number") and isinstance(instance, bool)):
        return [f"{path}: not {kind}"]
    problems = []
    if "enum" in schema and instance not in schema["enum"]:
        problems.append(f"{path}: not in enum")
    if isinstance(instance, (int, float)) and not isinstance(instance, bool):
        if "minimum" in schema and instance < schema["minimum"]:
            problems.append(f"{path}: below minimum")
        if "maximum" in schema and instance > schema["maximum"]:
            problems.append(f"{path}: above maximum")
    if isinstance(instance, str):
        if len(instance) < schema.get("minLength", 0):
            problems.append(f"{path}: too short")
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            problems.append(f"{path}: does not match {schema['pattern']}")
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            problems += validate(item, schema["items"], root, f"{path}[{i}]")
    if isinstance(instance, dict):
        props = schema.get("properties", {})
        problems += [f"{path}.{k}: required" for k in schema.get("required", []) if k not in instance]
        for key, value in instance.items():
            if key in props:
                problems += validate(value, props[key], root, f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{path}.{key}: not allowed")
            elif isinstance(schema.get("additionalProperties"), dict):
                problems += validate(value, schema["additionalProperties"], root, f"{path}.{key}")
            if "propertyNames" in schema:
                problems += validate(
                    key, {"type": "string", **schema["propertyNames"]}, root, f"{path}.{key}"
                )
    return problems


def test_the_schema_accepts_valid_documents_and_rejects_invalid_ones():
    schema = scenario_json_schema()
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for doc in (example, scenario_doc(), rich_doc(), scenario_to_dict(load_scenario(EXAMPLE))):
        assert validate(doc, schema) == []
    for edit in (
        lambda d: d.update(extra=1),
        lambda d: d["horizon"].update(days=0),
        lambda d: d["shift_types"][0].update(minutes=1441),
        lambda d: d["shift_types"][0].update(start="8:00"),
        lambda d: d["posts"][0].update(kind="road"),
        lambda d: d["posts"][0]["coverage"][0].update(max=None),
        lambda d: d["officers"][0].update(id=""),
        lambda d: d.pop("name"),
    ):
        assert validate(changed(edit), schema) != []


def test_the_schema_validates_the_samples_with_jsonschema():
    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    for sample in (EXAMPLE, EXAMPLE.with_name("zhangye-2021-11-08.json")):
        validator.validate(json.loads(sample.read_text(encoding="utf-8")))
