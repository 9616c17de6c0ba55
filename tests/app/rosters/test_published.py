"""Queries on the published roster."""

from __future__ import annotations

from collections import Counter
from typing import Any

from solver import domain as d
from tests.conftest import Api


def assignments(doc: dict[str, Any], **match: str) -> list[dict[str, Any]]:
    return [a for a in doc["assignments"] if all(a[k] == v for k, v in match.items())]


def test_duties_filters(api: Api, published: int, small_roster_document: dict[str, Any]) -> None:
    for path, at in (("/duties", {}), ("/on-duty", {"at": "2021-11-09T03:00"})):
        too_long = api.get(path, params={**at, "post_name": "A" * 50_000})  # (a 500 from SQLite's LIKE)
        assert too_long.status_code == 422, too_long.text
        assert too_long.json()["error"]["details"][0]["path"] == "query.post_name"
    everything = api.get("/duties", params={"limit": 200}).json()
    assert everything["total"] == len(small_roster_document["assignments"])
    by_post = api.get("/duties", params={"post": "g30-east", "shift": "N", "limit": 200}).json()
    assert by_post["total"] == len(assignments(small_roster_document, post="g30-east", shift="N"))
    day = api.get("/duties", params={"start": "2021-11-09", "end": "2021-11-10", "limit": 200}).json()
    assert {d["date"] for d in day["items"]} == {"2021-11-09"}
    mine = api.get("/duties", params={"officer": "gz-05", "limit": 200}).json()
    assert mine["total"] == len(assignments(small_roster_document, officer="gz-05"))
    duty = mine["items"][0]
    assert set(duty) == {
        "roster_id",
        "date",
        "shift",
        "shift_name",
        "start",
        "end",
        "officer",
        "officer_name",
        "post",
        "post_name",
        "unit",
        "leader",
        "position",
        "position_name",
        "group",
        "group_name",
    }
    assert duty["officer_name"] == "甘州民警5"
    page = api.get("/duties", params={"limit": 5, "offset": 5}).json()
    assert len(page["items"]) == 5 and page["total"] == everything["total"]


def test_on_duty_at_an_instant(api: Api, published: int, small_roster_document: dict[str, Any]) -> None:
    expected = sorted(
        a["officer"]
        for a in assignments(small_roster_document, post="g30-east", shift="N", date="2021-11-09")
    )
    local = api.get("/on-duty", params={"at": "2021-11-09T03:00", "post": "g30-east"}, as_="officer").json()
    assert sorted(d["officer"] for d in local["duties"]) == expected
    assert local["at"] == "2021-11-09T03:00:00+08:00" and local["count"] == len(expected)
    assert all(d["start"] == "2021-11-09T00:00:00+08:00" for d in local["duties"])
    utc = api.get("/on-duty", params={"at": "2021-11-08T19:00:00Z", "post_name": "张掖东"}).json()
    assert sorted(d["officer"] for d in utc["duties"]) == expected
    wildcard = api.get("/on-duty", params={"at": "2021-11-09T03:00", "post_name": "%"}).json()
    assert wildcard["count"] == 0  # the name is matched as written, not as a LIKE pattern
    # an 8-hour duty ends at 08:00: not on duty then (end exclusive)
    at_end = api.get("/on-duty", params={"at": "2021-11-09T08:00", "post": "g30-east"}).json()
    assert {d["shift"] for d in at_end["duties"]} <= {"D"}
    everyone = api.get("/on-duty", params={"at": "2021-11-09T03:00"}).json()
    assert everyone["count"] == len(
        [a for a in small_roster_document["assignments"] if a["date"] == "2021-11-09" and a["shift"] == "N"]
    )
    assert api.get("/on-duty", params={"at": "yesterday"}).json()["error"]["details"][0]["path"] == "query.at"


def test_officer_scope(api: Api, published: int) -> None:
    assert api.get("/duties", as_="officer", params={"unit": "hq"}).status_code == 403
    units = {d["unit"] for d in api.get("/duties", as_="officer", params={"limit": 200}).json()["items"]}
    assert units == {"ganzhou"}
    assert (
        api.get("/reports/coverage", as_="officer", params={"start": "2021-11-08", "unit": "hq"}).status_code
        == 403
    )


def test_my_schedule(api: Api, published: int, small_roster_document: dict[str, Any]) -> None:
    mine = api.get("/me/schedule", as_="officer", params={"limit": 100}).json()
    assert mine["total"] == len(assignments(small_roster_document, officer="gz-01"))
    assert {d["officer"] for d in mine["items"]} == {"gz-01"}
    assert api.get("/me/schedule").status_code == 404  # the admin account is no officer
    other = api.get(
        "/officers/gz-01/schedule", as_="dispatcher", params={"start": "2021-11-10", "end": "2021-11-11"}
    )
    assert {d["date"] for d in other.json()["items"]} <= {"2021-11-10"}
    assert api.get("/officers/gz-02/schedule", as_="officer").status_code == 403


def test_coverage_report(api: Api, published: int, small_roster_document: dict[str, Any]) -> None:
    report = api.get("/reports/coverage", params={"start": "2021-11-08", "end": "2021-11-15"}).json()
    assert len(report["days"]) == 14  # 7 days x 2 units
    ganzhou = [d for d in report["days"] if d["unit"] == "ganzhou"]
    assert sum(d["assigned"] for d in ganzhou) == len(small_roster_document["assignments"])
    monday = next(d for d in ganzhou if d["date"] == "2021-11-08")
    assert monday["slots"] == 3 + 2 + 1 + 1 and monday["required"] == 6 + 2 + 1 + 1
    short = [s for s in small_roster_document["shortfalls"] if s["skill"] is None]
    assert sum(d["missing"] for d in report["days"]) == sum(s["missing"] for s in short)
    bad = api.get("/reports/coverage", params={"start": "2021-11-08", "end": "2021-11-01"})
    assert bad.status_code == 422


def test_officer_report(api: Api, published: int, small_roster_document: dict[str, Any]) -> None:
    report = api.get("/reports/officers", params={"start": "2021-11-08", "unit": "ganzhou"}).json()
    counts = Counter(a["officer"] for a in small_roster_document["assignments"])
    stats = {s["officer"]: s for s in report["officers"]}
    assert {k: v["duties"] for k, v in stats.items() if v["duties"]} == {
        k: v for k, v in counts.items() if k.startswith("gz")
    }
    for s in stats.values():
        assert (0 <= s["days_off"] <= 7 and s["hours"] >= 8 * s["duties"]) or s["duties"] == 0
    [fair] = report["units"]
    counted = [s["duties"] for s in stats.values() if s["fairness_counted"]]
    assert fair["duties_spread"] == max(counted) - min(counted)
    assert any(not s["fairness_counted"] for s in stats.values())  # gz-03 is on leave in example-small


def test_coverage_report_carries_the_solvers_reasons(api: Api, session_factory: Any) -> None:
    from dataclasses import replace
    from datetime import date

    from app.core.db import transaction
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, publish, store_roster

    short = d.Shortfall(
        "hospital",
        "D",
        date(2021, 11, 10),
        1,
        None,
        "no officer is free",
        "无可用民警",
        {"min_rest": 3, "free": 0},
    )
    with transaction(session_factory) as s:
        scenario = scenario_from_db(s, ScenarioScope(date(2021, 11, 8), 7))
        roster = d.Roster(scenario.name, "FEASIBLE", (), objective=0, shortfalls=(short,))
        snapshot = new_snapshot(s, scenario)
        stored = store_roster(
            s, scenario, replace(roster), snapshot_id=snapshot.id, unit_ids=["ganzhou"], created_by=None
        )
        publish(s, stored, None)
    report = api.get(
        "/reports/coverage", as_="officer", params={"start": "2021-11-10", "end": "2021-11-11"}
    ).json()
    [day] = report["days"]
    assert day["missing"] == 1 and day["assigned"] == 0
    assert day["shortfalls"] == [
        {
            "post": "hospital",
            "post_name": "市人民医院周边",
            "shift": "D",
            "missing": 1,
            "skill": None,
            "reason": "no officer is free",
            "reason_zh": "无可用民警",
            "causes": {"min_rest": 3, "free": 0},
        }
    ]
