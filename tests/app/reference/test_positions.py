"""The duty-role fields of reference data: a post's positions and leader skill, an officer's phone,
through the posts and officers API and scenario import and export."""

from __future__ import annotations

import json
from typing import Any

from solver.io.load import scenario_from_dict
from tests.conftest import EXAMPLE_SMALL, Api

LAYERS = [
    {"id": "far", "name": "远端分流", "heads": 1},
    {"id": "mid", "name": "中端警示", "heads": 2},
    {"id": "near", "name": "近端查控"},
]


def example() -> dict[str, Any]:
    return json.loads(EXAMPLE_SMALL.read_text(encoding="utf-8"))


def test_import_stores_and_export_carries_positions_leader_skill_and_phone(api: Api) -> None:
    document = example()
    document["posts"][0]["positions"] = LAYERS
    document["posts"][0]["leader_skill"] = "leader"
    document["officers"][0]["phone"] = "139-0000-0001"
    dry = api.post("/import/scenario", params={"dry_run": True}, json=document)
    assert dry.status_code == 409  # the stored post and officer differ: a clash unless replace
    stored = api.post("/import/scenario", params={"replace": True}, json=document)
    assert stored.status_code == 200, stored.text
    post = api.get("/posts/g30-east").json()
    assert post["positions"] == [
        {"id": "far", "name": "远端分流", "heads": 1},
        {**LAYERS[1]},
        {**LAYERS[2], "heads": None},
    ]
    assert post["leader_skill"] == "leader"
    assert api.get("/officers/gz-01").json()["phone"] == "139-0000-0001"
    exported = api.get("/export/scenario", as_="dispatcher").json()
    out = next(p for p in exported["posts"] if p["id"] == "g30-east")
    assert out["positions"] == LAYERS and out["leader_skill"] == "leader"
    assert next(o for o in exported["officers"] if o["id"] == "gz-01")["phone"] == "139-0000-0001"
    assert scenario_from_dict(exported).post("g30-east").positions[1].heads == 2
    again = api.post("/import/scenario", json=exported)
    assert again.status_code == 200 and again.json()["updated"] == []


def test_import_rejects_bad_positions_with_their_paths(api: Api) -> None:
    document = example()
    document["posts"][0]["positions"] = [*LAYERS, {"id": "far", "name": "重复"}]
    document["posts"][1]["leader_skill"] = "captain"
    document["posts"][2]["positions"] = [{"id": "x", "name": "X", "heads": 0}]
    response = api.post("/import/scenario", params={"replace": True}, json=document)
    assert response.status_code == 422
    paths = {d["path"] for d in response.json()["error"]["details"]}
    assert {"posts[0].positions[3].id", "posts[1].leader_skill", "posts[2].positions[0].heads"} <= paths
    assert api.get("/posts/g30-east").json()["positions"] == []


def test_posts_and_officers_api_set_them(api: Api) -> None:
    changed = api.patch("/posts/g30-east", json={"positions": LAYERS[:2], "leader_skill": "leader"})
    assert changed.status_code == 200, changed.text
    assert [q["id"] for q in changed.json()["positions"]] == ["far", "mid"]
    assert api.patch("/posts/g30-east", json={"leader_skill": "captain"}).status_code == 422
    twice = api.patch("/posts/g30-east", json={"positions": [LAYERS[0], LAYERS[0]]})
    assert twice.status_code == 422
    assert api.patch("/posts/g30-east", json={"positions": []}).json()["positions"] == []
    phone = api.patch("/officers/gz-02", json={"phone": "0936-1234567"})
    assert phone.status_code == 200 and phone.json()["phone"] == "0936-1234567"
    assert api.patch("/posts/g30-east", json={"positions": LAYERS}, as_="officer").status_code == 403
