from __future__ import annotations

from tests.conftest import Api

POST = {
    "id": "ix-west",
    "name": "西关十字路口",
    "kind": "intersection",
    "unit": "ganzhou",
    "priority": 4,
    "coverage": [{"shift": "A", "min": 1, "max": 2, "days": ["mon", "2021-11-13"]}, {"shift": "D", "min": 1}],
}


def test_create_read_update_delete(api: Api) -> None:
    created = api.post("/posts", json=POST)
    assert created.status_code == 201, created.text
    assert created.json()["coverage"] == [
        {"shift": "A", "min": 1, "max": 2, "skills": {}, "days": ["mon", "2021-11-13"], "over_weight": 0},
        {"shift": "D", "min": 1, "max": 1, "skills": {}, "days": None, "over_weight": 0},
    ]
    assert api.get("/posts/ix-west", as_="officer").json()["name"] == "西关十字路口"
    updated = api.patch("/posts/ix-west", json={"priority": 9, "coverage": [{"shift": "N", "min": 2}]}).json()
    assert updated["priority"] == 9 and [c["shift"] for c in updated["coverage"]] == ["N"]
    assert api.delete("/posts/ix-west").status_code == 204
    assert api.get("/posts/ix-west").status_code == 404


def test_list_filters_and_pagination(api: Api) -> None:
    assert api.get("/posts").json()["total"] == 4
    assert [p["id"] for p in api.get("/posts", params={"kind": "checkpoint"}).json()["items"]] == [
        "g30-east",
        "xihuishan",
    ]
    assert api.get("/posts", params={"q": "张掖东"}).json()["items"][0]["id"] == "g30-east"
    for wildcard in ("%", "_", "g30_east"):  # matched as written, not as LIKE patterns
        assert api.get("/posts", params={"q": wildcard}).json()["total"] == 0, wildcard
    assert api.get("/posts", params={"unit": "hq"}).json()["total"] == 0
    page = api.get("/posts", params={"limit": 2, "offset": 2}).json()
    assert page["total"] == 4 and len(page["items"]) == 2 and page["offset"] == 2
    assert api.get("/posts", params={"kind": "castle"}).status_code == 422


def test_references_are_checked_with_paths(api: Api) -> None:
    body = {**POST, "unit": "nowhere", "coverage": [{"shift": "Z", "min": 1, "skills": {"diver": 1}}]}
    response = api.post("/posts", json=body)
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert {(d["path"], d["id"]) for d in details} == {
        ("body.unit", "nowhere"),
        ("body.coverage", "Z"),
        ("body.coverage", "diver"),
    }
    assert api.get("/posts/ix-west").status_code == 404  # nothing stored


def test_coverage_rules_are_validated(api: Api) -> None:
    body = {**POST, "coverage": [{"shift": "D", "min": 3, "max": 2}]}
    response = api.post("/posts", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"] == "body.coverage[0]"
    overlapping = {
        **POST,
        "coverage": [
            {"shift": "A", "min": 1, "days": ["mon"]},
            {"shift": "A", "min": 1, "days": ["2021-11-08"]},
        ],
    }
    response = api.post("/posts", json=overlapping)
    assert response.status_code == 422
    assert "select the same date" in response.json()["error"]["details"][0]["message"]


def test_duplicate_id_is_409(api: Api) -> None:
    assert api.post("/posts", json={**POST, "id": "g30-east"}).status_code == 409
