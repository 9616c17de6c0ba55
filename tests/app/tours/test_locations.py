"""Stored post coordinates (the posts API), the tour settings and the sample's coordinates."""

from __future__ import annotations

from typing import Any

from app.core.config import Settings
from app.reference.models import Officer, Post
from app.tours.sample import fill_locations, grant_supervisors
from data.zhangye_locations import LOCATIONS
from tests.conftest import Api


def test_a_post_carries_its_location(api: Api) -> None:
    assert api.get("/posts/g30-east").json()["location"] is None
    body = {
        "id": "cp-new",
        "name": "新卡点",
        "kind": "checkpoint",
        "unit": "ganzhou",
        "location": {"lat": 38.9, "lon": 100.5},
    }
    created = api.post("/posts", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["location"] == {"lat": 38.9, "lon": 100.5}
    moved = api.patch("/posts/cp-new", json={"location": {"lat": 39.0, "lon": 100.25}}).json()
    assert moved["location"] == {"lat": 39.0, "lon": 100.25}
    assert api.patch("/posts/cp-new", json={"priority": 5}).json()["location"] == {"lat": 39.0, "lon": 100.25}
    assert api.patch("/posts/cp-new", json={"location": None}).json()["location"] is None


def test_bad_coordinates_are_422_with_their_path(api: Api) -> None:
    response = api.patch("/posts/g30-east", json={"location": {"lat": 95, "lon": 100}})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["path"].endswith("location.lat")
    assert api.get("/posts/g30-east").json()["location"] is None


def test_set_many_locations_all_or_nothing(api: Api) -> None:
    body = {"locations": {"g30-east": {"lat": 38.965, "lon": 100.545}, "nowhere": {"lat": 1, "lon": 2}}}
    response = api.request("PUT", "/posts/locations", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["id"] == "nowhere"
    assert api.get("/posts/g30-east").json()["location"] is None
    body = {
        "locations": {"g30-east": {"lat": 38.965, "lon": 100.545}, "xihuishan": {"lat": 39.1, "lon": 100.3}}
    }
    done = api.request("PUT", "/posts/locations", json=body)
    assert done.status_code == 200, done.text
    assert [p["location"]["lat"] for p in done.json()] == [38.965, 39.1]
    assert api.request("PUT", "/posts/locations", "dispatcher", json=body).status_code == 403


def test_tour_settings_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("ROSTER_TOURS__HQ_LAT", "39.0")
    monkeypatch.setenv("ROSTER_TOURS__SUPERVISOR_SKILL", "leader")
    tours = Settings().tours
    assert (tours.hq_lat, tours.hq_lon, tours.supervisor_skill) == (39.0, 100.45, "leader")


def test_sample_coordinates_and_supervisors(session: Any) -> None:
    session.add(Post(id="gz-g30-dong", name="张掖东收费站", kind="checkpoint", unit_id="ganzhou", priority=1))
    session.flush()
    assert fill_locations(session, LOCATIONS) == 1
    post = session.get(Post, "gz-g30-dong")
    assert post is not None and post.location == {"lat": 38.965, "lon": 100.545}
    assert fill_locations(session, LOCATIONS) == 0  # kept
    granted = grant_supervisors(session, "supervisor", ["gz-01", "nobody"])
    assert granted == ["gz-01"]
    officer = session.get(Officer, "gz-01")
    assert officer is not None and "supervisor" in [s.id for s in officer.skills]
