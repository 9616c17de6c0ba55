from __future__ import annotations

from tests.conftest import Api


def test_pin_list_unpin(api: Api) -> None:
    body = {"officer": "gz-02", "post": "xihuishan", "shift": "D", "date": "2021-11-09"}
    created = api.post("/pinned-duties", as_="dispatcher", json=body)
    assert created.status_code == 201, created.text
    listing = api.get("/pinned-duties", params={"start": "2021-11-09", "end": "2021-11-10"}).json()
    assert [p["officer"] for p in listing["items"]] == ["gz-02"]
    assert api.get("/pinned-duties").json()["total"] == 2  # with example-small's own pin
    assert api.post("/pinned-duties", json=body).status_code == 409
    assert api.delete(f"/pinned-duties/{created.json()['id']}", as_="dispatcher").status_code == 204


def test_pins_are_checked(api: Api) -> None:
    no_slot = {"officer": "gz-02", "post": "ix-center", "shift": "A", "date": "2021-11-13"}  # a Saturday
    response = api.post("/pinned-duties", json=no_slot)
    assert response.status_code == 422 and "no A slot" in response.json()["error"]["message"]
    not_serving = {"officer": "gz-02", "post": "g30-east", "shift": "D", "date": "2021-11-09"}
    api.patch("/officers/gz-02", json={"serves": ["hq"]})
    assert api.post("/pinned-duties", json=not_serving).status_code == 422
    unknown = {"officer": "nobody", "post": "g30-east", "shift": "D", "date": "2021-11-09"}
    assert api.post("/pinned-duties", json=unknown).json()["error"]["details"][0]["path"] == "body.officer"
    other_unit = {"officer": "hq-01", "post": "g30-east", "shift": "D", "date": "2021-11-09"}
    assert api.post("/pinned-duties", as_="hq_dispatcher", json=other_unit).status_code == 403
