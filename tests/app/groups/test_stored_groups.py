"""Stored duty groups: a scenario import writes the groups it names (a clash unless replace), the
export carries them, and a moved member leaves their old group."""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.conftest import EXAMPLE_SMALL, Api

GROUPS = [
    {
        "id": "g1",
        "name": "一组",
        "members": ["gz-01", "gz-02"],
        "pattern": {"start": "2021-11-08", "days": ["D", "D", None]},
    },
    {"id": "g2", "name": "二组", "members": ["gz-03"]},
]


def document(groups: list[dict[str, Any]]) -> dict[str, Any]:
    doc = json.loads(EXAMPLE_SMALL.read_text(encoding="utf-8"))
    doc["format"] = 2
    doc["groups"] = copy.deepcopy(groups)
    return doc


def exported_groups(api: Api) -> list[dict[str, Any]]:
    response = api.get("/export/scenario")
    assert response.status_code == 200, response.text
    return response.json().get("groups", [])


def test_import_and_export_carry_groups(api: Api) -> None:
    assert exported_groups(api) == []
    first = api.post("/import/scenario", json=document(GROUPS))
    assert first.status_code == 200, first.text
    assert {"group g1", "group g2"} <= set(first.json()["added"])
    assert exported_groups(api) == GROUPS

    changed = copy.deepcopy(GROUPS)
    changed[0]["pattern"]["days"] = ["N", None]
    clash = api.post("/import/scenario", json=document(changed))
    assert clash.status_code == 409, clash.text
    assert "g1" in clash.text
    assert exported_groups(api) == GROUPS  # nothing written

    ok = api.post("/import/scenario", json=document(changed), params={"replace": "true"})
    assert ok.status_code == 200, ok.text
    assert "group g1" in ok.json()["updated"] and "group g2" not in ok.json()["updated"]
    groups = {g["id"]: g for g in exported_groups(api)}
    assert groups["g1"]["pattern"] == {"start": "2021-11-08", "days": ["N", None]}

    # a document naming only g2, with gz-02 in it: gz-02 leaves g1 (one group per officer)
    moved = api.post(
        "/import/scenario",
        json=document([{"id": "g2", "name": "二组", "members": ["gz-03", "gz-02"]}]),
        params={"replace": "true"},
    )
    assert moved.status_code == 200, moved.text
    groups = {g["id"]: g for g in exported_groups(api)}
    assert groups["g1"]["members"] == ["gz-01"]
    assert groups["g2"]["members"] == ["gz-03", "gz-02"]


def test_scenario_of_a_unit_keeps_only_its_officers_in_groups(api: Api, session_factory: Any) -> None:
    from datetime import date

    from app.planning.scenario import ScenarioScope, scenario_from_db

    groups = [
        {"id": "mixed", "name": "混编组", "members": ["gz-01", "hq-01"]},
        {
            "id": "gz",
            "name": "甘州组",
            "members": ["gz-04"],
            "pattern": {"start": "2021-11-08", "days": ["N"]},
        },
    ]
    assert api.post("/import/scenario", json=document(groups)).status_code == 200
    with session_factory() as session:
        # hq's officers are hq-01 and hq-02 (both serve ganzhou too); no gz officer is in hq's scenario
        s = scenario_from_db(session, ScenarioScope(start=date(2021, 11, 8), days=7, unit_ids=["hq"]))
        assert [(g.id, g.members) for g in s.groups] == [("mixed", ("hq-01",))]
        s = scenario_from_db(session, ScenarioScope(start=date(2021, 11, 8), days=7, unit_ids=["ganzhou"]))
        assert [(g.id, g.members) for g in s.groups] == [("gz", ("gz-04",)), ("mixed", ("gz-01", "hq-01"))]
        assert s.groups[0].pattern is not None and s.groups[0].pattern.days == ("N",)
