"""The format-2 working-time rules in the service: the detachment's settings, an officer's
overrides and a coverage entry's over_weight are stored, shown and exported as imported, and
planning reads them back."""

from __future__ import annotations

import json
from typing import Any

from solver.io.load import scenario_from_dict
from tests.conftest import EXAMPLE_SMALL, Api

V2_RULES = {
    "max_duties_per_day": 1,
    "forbidden_successions": [{"first": "N", "then": ["D"]}],
    "max_minutes_per_horizon": 2880,
    "min_consecutive_days_off": 2,
    "max_weekends": 1,
}


def v2_example() -> dict[str, Any]:
    doc = json.loads(EXAMPLE_SMALL.read_text(encoding="utf-8"))
    doc["format"] = 2
    doc["rules"].update(V2_RULES)
    doc["officers"][0].setdefault("rules", {}).update({"max_weekends": 0, "max_duties_by_shift": {"N": 1}})
    doc["posts"][0]["coverage"][0]["over_weight"] = 3
    return doc


def test_import_keeps_the_v2_rules_and_export_writes_them_back(api: Api) -> None:
    response = api.post("/import/scenario", params={"replace": True}, json=v2_example())
    assert response.status_code == 200, response.text
    exported = api.get("/export/scenario", as_="dispatcher").json()
    assert exported["format"] == 2
    scenario, original = scenario_from_dict(exported), scenario_from_dict(v2_example())
    assert scenario.rules == original.rules
    first = original.officers[0]
    assert scenario.rules_for(scenario.officer(first.id)) == original.rules_for(first)
    assert {p.id: p for p in scenario.posts} == {p.id: p for p in original.posts}  # over_weight kept
    assert scenario.posts[0].coverage[0].over_weight == 3 or any(
        c.over_weight == 3 for p in scenario.posts for c in p.coverage
    )


def test_settings_show_and_update_the_v2_rules(api: Api) -> None:
    settings = api.get("/settings", as_="officer").json()
    assert settings["rules"]["max_weekends"] is None and settings["rules"]["forbidden_successions"] == []
    assert settings["rules"]["min_consecutive_days"] == 1
    updated = api.patch(
        "/settings",
        json={"rules": {"max_weekends": 2, "forbidden_successions": [{"first": "N", "then": ["D"]}]}},
    )
    assert updated.status_code == 200, updated.text
    rules = updated.json()["rules"]
    assert rules["max_weekends"] == 2 and rules["forbidden_successions"] == [{"first": "N", "then": ["D"]}]
    exported = scenario_from_dict(api.get("/export/scenario", as_="dispatcher").json())
    assert exported.rules.max_weekends == 2 and exported.rules.forbidden_after("N") == {"D"}
    bad = api.patch("/settings", json={"rules": {"max_weekends": -1}})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["path"] == "body.rules.max_weekends"
