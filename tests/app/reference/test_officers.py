from __future__ import annotations

from tests.conftest import Api

OFFICER = {
    "id": "gz-99",
    "name": "新民警",
    "unit": "ganzhou",
    "skills": ["leader"],
    "rules": {"max_consecutive_nights": 2},
}


def test_create_read_update_delete(api: Api) -> None:
    created = api.post("/officers", json=OFFICER)
    assert created.status_code == 201, created.text
    assert created.json() == {
        "id": "gz-99",
        "name": "新民警",
        "unit": "ganzhou",
        "serves": ["ganzhou"],
        "skills": ["leader"],
        "rules": {"max_consecutive_nights": 2},
        "phone": "",
        "calendar_feed": False,
    }
    updated = api.patch("/officers/gz-99", json={"serves": ["ganzhou", "hq"], "skills": []}).json()
    assert updated["serves"] == ["ganzhou", "hq"] and updated["skills"] == []
    assert api.delete("/officers/gz-99").status_code == 204
    assert api.get("/officers/gz-99").status_code == 404


def test_list_filters(api: Api) -> None:
    assert api.get("/officers", as_="dispatcher").json()["total"] == 14
    assert api.get("/officers", params={"unit": "hq"}).json()["total"] == 2
    assert api.get("/officers", params={"serves": "ganzhou"}).json()["total"] == 14
    leaders = api.get("/officers", params={"skill": "leader"}).json()
    assert {o["id"] for o in leaders["items"]} >= {"gz-01", "hq-01"}
    assert api.get("/officers", params={"q": "民警11"}).json()["items"][0]["id"] == "gz-11"
    # the text is matched as written: LIKE's wildcards match only themselves
    for wildcard in ("%", "_", "gz_1"):
        assert api.get("/officers", params={"q": wildcard}).json()["total"] == 0, wildcard


def test_officers_see_only_themselves(api: Api) -> None:
    assert api.get("/officers/gz-01", as_="officer").status_code == 200
    assert api.get("/officers/gz-02", as_="officer").status_code == 403
    assert api.get("/officers/gz-02/unavailability", as_="officer").status_code == 403


def test_unknown_references(api: Api) -> None:
    response = api.post("/officers", json={**OFFICER, "unit": "x", "serves": ["y"], "skills": ["z"]})
    assert response.status_code == 422
    assert [d["path"] for d in response.json()["error"]["details"]] == [
        "body.unit",
        "body.serves",
        "body.skills",
    ]


def test_unavailability(api: Api) -> None:
    span = {"start": "2021-11-10T00:00", "end": "2021-11-12T00:00", "reason": "年休假"}
    created = api.post("/officers/gz-03/unavailability", json=span, as_="dispatcher")
    assert created.status_code == 201, created.text
    span_id = created.json()["id"]
    spans = api.get("/officers/gz-03/unavailability").json()["items"]
    assert {
        "id": span_id,
        "officer": "gz-03",
        "start": "2021-11-10T00:00:00",
        "end": "2021-11-12T00:00:00",
        "reason": "年休假",
    } in spans
    backwards = api.post("/officers/gz-03/unavailability", json={**span, "end": "2021-11-09T00:00"})
    assert backwards.status_code == 422
    assert api.post("/officers/hq-01/unavailability", json=span, as_="dispatcher").status_code == 403
    assert api.delete(f"/officers/gz-03/unavailability/{span_id}", as_="dispatcher").status_code == 204
    assert api.delete(f"/officers/gz-03/unavailability/{span_id}").status_code == 404


def test_history(api: Api) -> None:
    created = api.post("/officers/gz-04/history", json={"shift": "N", "date": "2021-11-07"})
    assert created.status_code == 201
    assert api.post("/officers/gz-04/history", json={"shift": "N", "date": "2021-11-07"}).status_code == 409
    assert api.post("/officers/gz-04/history", json={"shift": "Q", "date": "2021-11-07"}).status_code == 422
    assert api.get("/officers/gz-04/history").json()["total"] == 1
    assert api.delete(f"/officers/gz-04/history/{created.json()['id']}").status_code == 204


def test_officer_files_own_request_pending(api: Api) -> None:
    response = api.post(
        "/officers/gz-01/requests", as_="officer", json={"kind": "day_off", "date": "2021-11-12"}
    )
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert (
        api.post(
            "/officers/gz-02/requests", as_="officer", json={"kind": "day_off", "date": "2021-11-12"}
        ).status_code
        == 404
    )
    by_office = api.post(
        "/officers/gz-02/requests",
        as_="dispatcher",
        json={"kind": "shift_on", "shift": "D", "date": "2021-11-12", "weight": 3},
    )
    assert by_office.json()["status"] == "approved"
    bad = api.post("/officers/gz-02/requests", json={"kind": "shift_on", "date": "2021-11-12"})
    assert bad.status_code == 422


def test_calendar_feed_url_is_issued_and_rotated(api: Api) -> None:
    first = api.post("/officers/gz-01/calendar-feed", as_="officer")
    assert first.status_code == 201
    url = first.json()["url"]
    assert url.startswith("http://testserver/ical/") and url.endswith(".ics")
    assert api.get("/officers/gz-01").json()["calendar_feed"] is True
    second = api.post("/officers/gz-01/calendar-feed", as_="officer").json()["url"]
    assert second != url
    assert api.get(url.removeprefix("http://testserver"), as_=None).status_code == 404
    assert api.get(second.removeprefix("http://testserver"), as_=None).status_code == 200
    assert api.delete("/officers/gz-01/calendar-feed", as_="officer").status_code == 204
    assert api.get(second.removeprefix("http://testserver"), as_=None).status_code == 404
    assert api.post("/officers/gz-02/calendar-feed", as_="officer").status_code == 403
