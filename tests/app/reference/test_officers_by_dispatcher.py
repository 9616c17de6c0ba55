"""The duty office manages its own officers: a dispatcher adds and edits officers of the units
they manage (moved or serving within them), not of others; officers do neither."""

from __future__ import annotations

from tests.conftest import Api

NEW = {"id": "gz-80", "name": "新警丙", "unit": "ganzhou", "skills": []}


def test_a_dispatcher_adds_and_edits_officers_of_their_unit(api: Api) -> None:
    created = api.post("/officers", as_="dispatcher", json=NEW)
    assert created.status_code == 201, created.text
    assert created.json()["serves"] == ["ganzhou"]
    edited = api.patch("/officers/gz-80", as_="dispatcher", json={"name": "新警丁", "skills": ["leader"]})
    assert edited.status_code == 200, edited.text
    assert edited.json()["name"] == "新警丁" and edited.json()["skills"] == ["leader"]
    assert api.get("/officers/gz-80", as_="dispatcher").json()["name"] == "新警丁"


def test_not_of_another_unit_and_not_by_officers(api: Api) -> None:
    assert api.post("/officers", as_="hq_dispatcher", json=NEW).status_code == 403
    assert api.post("/officers", as_="dispatcher", json={**NEW, "unit": "hq"}).status_code == 403
    serving = {**NEW, "serves": ["ganzhou", "hq"]}
    assert api.post("/officers", as_="dispatcher", json=serving).status_code == 403
    assert api.post("/officers", as_="officer", json=NEW).status_code == 403
    assert api.get("/officers/gz-80").status_code == 404  # nothing stored
    assert api.patch("/officers/gz-02", as_="hq_dispatcher", json={"name": "x"}).status_code == 403
    assert api.patch("/officers/gz-02", as_="dispatcher", json={"unit": "hq"}).status_code == 403
    assert api.patch("/officers/gz-02", as_="officer", json={"name": "x"}).status_code == 403
    assert api.get("/officers/gz-02").json()["unit"] == "ganzhou"
    assert api.post("/officers", as_="admin", json={**NEW, "unit": "hq", "id": "hq-80"}).status_code == 201
