"""Tour plans through the API: planned from the published roster, accepted by the referee,
versions, re-planning a day, who may read what, and every bad request a 4xx naming its field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.rosters.queries import published_assignments
from app.tours.models import TourPlanRow, TourPlanVersion
from app.tours.service import check
from tests.app.tours.helpers import FAST, SUPERVISORS, inline, locate
from tests.conftest import Api

WEEK = {"start": "2021-11-08", "days": 7}


def plan_week(api: Api, **extra: Any) -> dict[str, Any]:
    response = api.post(
        "/tours", as_="dispatcher", json={**WEEK, "supervisors": SUPERVISORS, **FAST, **extra}
    )
    assert response.status_code == 202, response.text
    job = api.get(f"/tour-jobs/{response.json()['id']}", as_="dispatcher").json()
    assert job["status"] == "succeeded", job
    return dict(job)


def test_the_week_is_planned_from_the_published_roster(
    api: Api, published: int, session_factory: Any
) -> None:
    inline(api, session_factory)
    locate(api)
    job = plan_week(api)
    assert job["version"] == 1 and job["days_done"] == 7 and "visits" in job["message"]
    plan = api.get(f"/tours/{job['plan_id']}", as_="dispatcher").json()
    assert [s["id"] for s in plan["supervisors"]] == SUPERVISORS
    assert {s["id"]: (s["lat"], s["lon"]) for s in plan["sites"]} == {
        "g30-east": (38.965, 100.545),
        "xihuishan": (39.05, 100.30),
    }
    assert plan["depots"][0]["lat"] == 38.93 and plan["routes"], plan
    assert {v["site"] for r in plan["routes"] for v in r["visits"]} == {"g30-east", "xihuishan"}

    report = api.get(f"/tours/{job['plan_id']}/check", as_="dispatcher").json()
    assert report["ok"] and report["violations"] == [] and report["share_met"] == 1.0, report

    # No supervisor is on the road during one of their published duties.
    with session_factory() as s:
        duties = published_assignments(s, datetime(2021, 11, 8).date(), datetime(2021, 11, 15).date())
        supervisor_duties = [
            (a.officer_id, a.date, a.shift_id) for a in duties if a.officer_id in SUPERVISORS
        ]
        row = s.get(TourPlanRow, job["plan_id"])
        assert row is not None
        windows = row.problem["windows"]
        version = s.query(TourPlanVersion).filter_by(plan_id=row.id).one()
        assert check(row, version).ok
    assert supervisor_duties, "the supervisors have duties in the published roster"
    for r in plan["routes"]:
        assert any(
            w["supervisor"] == r["supervisor"] and w["start"] <= r["start"] and r["end"] <= w["end"]
            for w in windows
        ), r
    busy = {(o, str(d)) for o, d, _ in supervisor_duties}
    whole_day = [w for w in windows if (w["supervisor"], w["date"]) in busy and w["end"][11:] == "20:00:00"]
    assert len(whole_day) < len(windows), "duties cut the free windows"

    versions = api.get(f"/tours/{job['plan_id']}/versions", as_="dispatcher").json()
    assert [(v["version"], v["kind"]) for v in versions] == [(1, "plan")]
    listed = api.get("/tours", as_="dispatcher").json()
    assert listed["total"] == 1 and listed["items"][0]["latest_version"] == 1


def test_a_day_is_replanned_when_a_supervisor_is_called_away(
    api: Api, published: int, session_factory: Any
) -> None:
    inline(api, session_factory)
    locate(api)
    job = plan_week(api)
    plan = api.get(f"/tours/{job['plan_id']}", as_="dispatcher").json()
    route = plan["routes"][0]
    at = route["visits"][0]["departure"]
    response = api.post(
        f"/tours/{job['plan_id']}/replan",
        as_="dispatcher",
        json={"supervisor": route["supervisor"], "at": at},
    )
    assert response.status_code == 202, response.text
    replanned = api.get(f"/tour-jobs/{response.json()['id']}", as_="dispatcher").json()
    assert replanned["status"] == "succeeded" and replanned["version"] == 2, replanned
    latest = api.get(f"/tours/{job['plan_id']}", as_="dispatcher").json()
    assert latest["version"]["version"] == 2 and "called away" in latest["version"]["note"]
    assert latest["interruptions"] == [{"supervisor": route["supervisor"], "at": at}]
    assert api.get(f"/tours/{job['plan_id']}/check", as_="dispatcher").json()["ok"]
    first = api.get(f"/tours/{job['plan_id']}", params={"version": 1}, as_="dispatcher").json()
    assert first["interruptions"] == [] and first["routes"] == plan["routes"]
    bad = api.post(
        f"/tours/{job['plan_id']}/replan", as_="dispatcher", json={"supervisor": "gz-09", "at": at}
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["path"] == "body.supervisor"
    outside = api.post(
        f"/tours/{job['plan_id']}/replan",
        as_="dispatcher",
        json={"supervisor": route["supervisor"], "at": "2021-12-01T10:00"},
    )
    assert outside.status_code == 422 and outside.json()["error"]["details"][0]["path"] == "body.at"


def test_a_supervisor_reads_their_own_routes_only(api: Api, published: int, session_factory: Any) -> None:
    inline(api, session_factory)
    locate(api)
    job = plan_week(api)
    mine = api.get(f"/tours/{job['plan_id']}", as_="officer").json()  # officer = gz-01
    assert {r["supervisor"] for r in mine["routes"]} <= {"gz-01"}
    assert api.get("/tours", as_="officer").json()["total"] == 1
    assert api.get(f"/tours/{job['plan_id']}/check", as_="officer").status_code == 403
    assert api.post("/tours", as_="officer", json=WEEK).status_code == 403
    assert api.get(f"/tour-jobs/{job['id']}", as_="officer").status_code == 403
    assert api.get(f"/tours/{job['plan_id']}", as_=None).status_code == 401


def test_bad_requests_name_what_is_wrong(api: Api, published: int, session_factory: Any) -> None:
    inline(api, session_factory)
    unlocated = api.post("/tours", as_="dispatcher", json={**WEEK, "supervisors": SUPERVISORS})
    assert unlocated.status_code == 422
    assert {d["id"] for d in unlocated.json()["error"]["details"]} == {"g30-east", "xihuishan"}
    locate(api)
    unknown = api.post("/tours", as_="dispatcher", json={**WEEK, "supervisors": ["gz-01", "nobody"]})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"][0] == {
        "path": "body.supervisors[1]",
        "message": "unknown officer 'nobody'",
        "id": "nobody",
    }
    nobody = api.post("/tours", as_="dispatcher", json=WEEK)  # nobody holds the skill `supervisor`
    assert nobody.status_code == 422 and "supervisor skill" in nobody.json()["error"]["message"]
    unpublished = api.post(
        "/tours", as_="dispatcher", json={"start": "2021-12-06", "supervisors": SUPERVISORS}
    )
    assert (
        unpublished.status_code == 422 and "no roster is published" in unpublished.json()["error"]["message"]
    )
    too_long = api.post("/tours", as_="dispatcher", json={**WEEK, "days": 90, "supervisors": SUPERVISORS})
    assert too_long.status_code == 422
    assert api.get("/tours", as_="dispatcher").json()["total"] == 0  # nothing stored half-way
    assert api.get("/tours/999", as_="dispatcher").status_code == 404


def test_the_supervisor_skill_chooses_the_supervisors(api: Api, published: int, session_factory: Any) -> None:
    from app.tours.sample import grant_supervisors

    inline(api, session_factory)
    locate(api)
    with session_factory() as s:
        grant_supervisors(s, "supervisor", ["hq-01", "hq-02"])
        s.commit()
    job = api.post("/tours", as_="dispatcher", json={**WEEK, **FAST}).json()
    plan = api.get(f"/tours/{job['plan_id']}", as_="dispatcher").json()
    assert [s["id"] for s in plan["supervisors"]] == ["hq-01", "hq-02"]


def test_a_later_plan_follows_on_from_the_visits_already_planned(
    api: Api, published: int, session_factory: Any
) -> None:
    from datetime import date, timedelta

    from app.tours.problems import last_visits
    from solver.tours import TourSettings, interval_days, problem_from_dict

    inline(api, session_factory)
    locate(api)
    first = plan_week(api)
    plan = api.get(f"/tours/{first['plan_id']}", as_="dispatcher").json()
    start = date(2021, 11, 10)
    expected: dict[str, date] = {}
    for r in plan["routes"]:
        day = date.fromisoformat(r["date"])
        for v in r["visits"]:
            if day < start:
                expected[v["site"]] = max(expected.get(v["site"], day), day)
    with session_factory() as s:
        assert last_visits(s, start) == expected and expected
    second = plan_week(api, start=start.isoformat(), days=3)
    with session_factory() as s:
        row = s.get(TourPlanRow, second["plan_id"])
        assert row is not None
        problem = problem_from_dict(row.problem)
    for site in problem.sites:
        k = interval_days(site, TourSettings())
        deadlines = [r.deadline for r in problem.requirements if r.site == site.id and r.kind == "periodic"]
        if site.id in expected and deadlines:
            assert min(deadlines) == max(start, expected[site.id] + timedelta(days=k)), site.id


def test_an_imported_travel_matrix_gives_the_driving_times(
    api: Api, published: int, session_factory: Any
) -> None:
    inline(api, session_factory)
    locate(api)
    points = ["hq", "g30-east", "xihuishan"]
    minutes = {a: {b: 37.0 for b in points if b != a} for a in points}
    gap = {a: {b: v for b, v in row.items() if (a, b) != ("hq", "xihuishan")} for a, row in minutes.items()}
    missing = api.post(
        "/tours",
        as_="dispatcher",
        json={**WEEK, "supervisors": SUPERVISORS, **FAST, "travel_matrix": {"minutes": gap}},
    )
    assert missing.status_code == 422, missing.text
    assert missing.json()["error"]["details"][0]["path"].startswith("body.travel_matrix")
    assert api.get("/tours", as_="dispatcher").json()["total"] == 0  # nothing stored half-way
    job = plan_week(api, travel_matrix={"minutes": minutes})
    plan = api.get(f"/tours/{job['plan_id']}", as_="dispatcher").json()
    assert plan["routes"]
    for r in plan["routes"]:  # every leg of every route is one matrix entry of 37 minutes
        assert r["drive_minutes"] == 37 * (len(r["visits"]) + 1), r
    assert api.get(f"/tours/{job['plan_id']}/check", as_="dispatcher").json()["ok"]


def test_a_plan_brings_its_own_visit_lengths_and_frequencies(
    api: Api, published: int, session_factory: Any
) -> None:
    inline(api, session_factory)
    locate(api)
    bad = api.post(
        "/tours",
        as_="dispatcher",
        json={**WEEK, "supervisors": SUPERVISORS, "rules": {"tour_start": "25:00"}},
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["path"].startswith("body.rules")
    rules = {"visit_minutes": {"checkpoint": 45}, "interval_days": {"checkpoint": 1}}
    job = plan_week(api, rules=rules)
    plan = api.get(f"/tours/{job['plan_id']}", as_="dispatcher").json()
    visits = [v for r in plan["routes"] for v in r["visits"]]
    seen = {(v["site"], v["arrival"][:10]) for v in visits}
    days = {f"2021-11-{d:02d}" for d in range(8, 15)}
    assert {(s, day) for s in ("g30-east", "xihuishan") for day in days} <= seen  # every day
    for v in visits:
        arrival, departure = datetime.fromisoformat(v["arrival"]), datetime.fromisoformat(v["departure"])
        assert (departure - arrival).total_seconds() == 45 * 60, v
    report = api.get(f"/tours/{job['plan_id']}/check", as_="dispatcher").json()
    assert report["ok"] and report["share_met"] == 1.0, report
