from __future__ import annotations

from tests.conftest import Api


def _file(api: Api) -> int:
    response = api.post(
        "/officers/gz-01/requests",
        as_="officer",
        json={"kind": "day_off", "date": "2021-11-12", "note": "家事"},
    )
    assert response.status_code == 201
    return int(response.json()["id"])


def test_officer_lists_only_own_requests(api: Api) -> None:
    request_id = _file(api)
    api.post("/officers/gz-02/requests", json={"kind": "day_off", "date": "2021-11-13"})
    mine = api.get("/requests", as_="officer", params={"officer": "gz-02"}).json()
    assert [r["id"] for r in mine["items"]] == [request_id]
    assert api.get("/requests", params={"status": "pending"}).json()["total"] == 1
    assert api.get(f"/requests/{request_id}", as_="officer").json()["note"] == "家事"


def test_dispatcher_of_the_unit_decides(api: Api) -> None:
    request_id = _file(api)
    assert (
        api.patch(f"/requests/{request_id}", as_="hq_dispatcher", json={"status": "approved"}).status_code
        == 403
    )
    decided = api.patch(f"/requests/{request_id}", as_="dispatcher", json={"status": "approved"})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert api.patch(f"/requests/{request_id}", json={"status": "maybe"}).status_code == 422
    # decided: the officer can no longer withdraw it
    assert api.delete(f"/requests/{request_id}", as_="officer").status_code == 409


def test_officer_withdraws_pending_request(api: Api) -> None:
    request_id = _file(api)
    assert api.delete(f"/requests/{request_id}", as_="officer").status_code == 204
    assert api.get(f"/requests/{request_id}").status_code == 404


def test_others_requests_are_invisible_to_officers(api: Api) -> None:
    other = api.post("/officers/gz-02/requests", json={"kind": "day_off", "date": "2021-11-13"}).json()["id"]
    assert api.get(f"/requests/{other}", as_="officer").status_code == 404
    assert api.delete(f"/requests/{other}", as_="officer").status_code == 404
