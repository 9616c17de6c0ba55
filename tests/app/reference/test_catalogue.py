"""Units, skills and shift types."""

from __future__ import annotations

from tests.conftest import Api


def test_units_crud(api: Api) -> None:
    assert api.get("/units").json()["total"] == 2
    assert api.post("/units", json={"id": "linze", "name": "临泽大队"}).status_code == 201
    assert api.post("/units", json={"id": "linze", "name": "again"}).status_code == 409
    assert api.get("/units/linze", as_="officer").json() == {"id": "linze", "name": "临泽大队"}
    assert api.patch("/units/linze", json={"name": "临泽"}).json()["name"] == "临泽"
    assert api.delete("/units/linze").status_code == 204
    assert api.get("/units/linze").status_code == 404


def test_unit_in_use_cannot_be_deleted(api: Api) -> None:
    response = api.delete("/units/ganzhou")
    assert response.status_code == 409
    assert "post(s)" in response.json()["error"]["message"]
    assert api.get("/units/ganzhou").status_code == 200  # nothing partly deleted


def test_skills_crud(api: Api) -> None:
    assert api.post("/skills", json={"id": "driver", "name": "驾驶员"}).status_code == 201
    assert api.get("/skills/driver", as_="dispatcher").json()["name"] == "驾驶员"
    assert api.patch("/skills/driver", json={"name": "司机"}).json()["name"] == "司机"
    assert api.delete("/skills/driver").status_code == 204
    assert api.delete("/skills/leader").status_code == 409
    assert {s["id"] for s in api.get("/skills").json()["items"]} == {"leader"}


def test_shift_types_crud(api: Api) -> None:
    body = {"id": "X", "name": "加班", "start": "22:30", "minutes": 120}
    created = api.post("/shift-types", json=body)
    assert created.status_code == 201
    assert created.json() == {**body, "night": False, "position": 0}
    assert api.get("/shift-types/X", as_="officer").json()["start"] == "22:30"
    assert api.patch("/shift-types/X", json={"night": True}).json()["night"] is True
    bad = api.patch("/shift-types/X", json={"minutes": 0})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["path"] == "body.minutes"
    assert api.delete("/shift-types/X").status_code == 204
    assert api.delete("/shift-types/N").status_code == 409
    ids = [s["id"] for s in api.get("/shift-types").json()["items"]]
    assert ids == ["N", "D", "E", "A"]


def test_unknown_field_is_rejected(api: Api) -> None:
    response = api.post("/units", json={"id": "u9", "name": "n", "colour": "red"})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"] == "body.colour"


def test_not_found_is_404_in_the_error_shape(api: Api) -> None:
    response = api.get("/skills/nope")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "no skill 'nope'", "details": []}}
