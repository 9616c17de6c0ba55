"""One set of limits (issue 10, point 6): the scenario loader refuses exactly what the API refuses,
with field paths, and the database columns are as wide as the limits."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from app.core.schemas import Id, Name
from app.reference.models import Officer, Unavailability, Unit
from solver.io import limits
from solver.io.errors import InvalidDocument
from solver.io.load import scenario_from_dict
from tests.conftest import EXAMPLE_SMALL, Api

BAD_IDS = {
    "empty": "",
    "2 MB": "x" * 2_000_000,
    "65 characters": "x" * 65,
    "NUL": "a\x00b",
    "slash": "a/b",
    "only spaces": "   ",
    "trailing space": "a/b c 102 ",
    "leading space": " gz-99",
    "trailing tab": "gz-99\t",
    "lone surrogate": "gz\ud800",
}
GOOD_IDS = {"plain": "gz-99", "inner space": "gz 99", "64 characters": "x" * 64, "chinese": "甘州-1"}
BAD_NAMES = {
    "empty": "",
    "only spaces": "  ",
    "10 MB": "名" * 10_000_000,
    "201 characters": "n" * 201,
    "NUL": "a\x00",
    "lone surrogate": "\udfff",
}
GOOD_NAMES = {"200 characters": "n" * 200, "chinese": "测试警员", "inner space": "Li Wei"}

API_ID = TypeAdapter(Id)
API_NAME = TypeAdapter(Name)


def _document() -> dict[str, Any]:
    return json.loads(EXAMPLE_SMALL.read_text(encoding="utf-8"))


def _loader_accepts(document: dict[str, Any]) -> tuple[bool, list[str]]:
    try:
        scenario_from_dict(document)
    except InvalidDocument as exc:
        return False, [e.path for e in exc.errors]
    return True, []


def _api_accepts(adapter: TypeAdapter[Any], value: str) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("name", [*BAD_IDS, *GOOD_IDS])
def test_an_officer_id_is_valid_for_the_loader_exactly_when_for_the_api(name: str) -> None:
    value = {**BAD_IDS, **GOOD_IDS}[name]
    document = _document()
    document["officers"].append({"id": value, "name": "新警员", "unit": document["units"][0]["id"]})
    at = len(document["officers"]) - 1
    accepted, paths = _loader_accepts(document)
    assert accepted == _api_accepts(API_ID, value) == (name in GOOD_IDS)
    if not accepted:
        assert paths == [f"officers[{at}].id"]


@pytest.mark.parametrize("name", [*BAD_NAMES, *GOOD_NAMES])
def test_a_name_is_valid_for_the_loader_exactly_when_for_the_api(name: str) -> None:
    value = {**BAD_NAMES, **GOOD_NAMES}[name]
    document = _document()
    document["officers"][1]["name"] = value
    document["units"][0]["name"] = value
    accepted, paths = _loader_accepts(document)
    assert accepted == _api_accepts(API_NAME, value) == (name in GOOD_NAMES)
    if not accepted:
        assert set(paths) == {"units[0].name", "officers[1].name"}


def test_the_columns_are_as_wide_as_the_limits() -> None:
    assert Unit.__table__.c.id.type.length == limits.ID_LENGTH
    assert Officer.__table__.c.id.type.length == limits.ID_LENGTH
    assert Officer.__table__.c.name.type.length == limits.NAME_LENGTH
    assert Unavailability.__table__.c.reason.type.length == limits.TEXT_LENGTH


def test_the_scenario_schema_carries_the_limits() -> None:
    from solver.io.documents import scenario_json_schema

    officer = scenario_json_schema()["$defs"]["OfficerDoc"]["properties"]
    assert officer["id"]["maxLength"] == limits.ID_LENGTH and officer["id"]["pattern"] == limits.ID_PATTERN
    assert officer["name"] == {
        "maxLength": limits.NAME_LENGTH,
        "minLength": 1,
        "title": "Name",
        "type": "string",
    }


def test_import_refuses_what_the_api_refuses_with_field_paths(api: Api) -> None:
    document = _document()
    document["officers"][0]["id"] = "a/b c 102 "
    document["officers"][1]["name"] = ""
    document["officers"][2]["unavailable"] = [
        {"start": "2021-11-08T08:00", "end": "2021-11-08T10:00", "reason": "r" * 201}
    ]
    document["rules"]["weights"]["shortfall"] = 2**31
    response = api.post("/import/scenario", json=document)
    assert response.status_code == 422, response.text
    paths = [d["path"] for d in response.json()["error"]["details"]]
    for path in (
        "officers[0].id",
        "officers[1].name",
        "officers[2].unavailable[0].reason",
        "rules.weights.shortfall",
    ):
        assert path in paths, paths
    officer = {"id": "a/b c 102 ", "name": "", "unit": "ganzhou"}
    refused = api.post("/officers", json=officer)
    assert refused.status_code == 422
    assert {d["path"] for d in refused.json()["error"]["details"]} == {"body.id", "body.name"}
    assert api.get("/officers/gz-01").status_code == 200  # nothing stored half-way
    assert api.get("/export/scenario").json()["officers"][0]["id"] == "gz-01"


def test_an_export_always_imports_back(api: Api) -> None:
    exported = api.get("/export/scenario").json()
    again = copy.deepcopy(exported)
    response = api.post("/import/scenario", params={"dry_run": True}, json=again)
    assert response.status_code == 200, response.text
