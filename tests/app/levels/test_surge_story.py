"""The surge story through the API (issue 14), on a small Zhangye-like detachment (example-small):
the week is declared 一级 for the whole detachment before anything is published, it is rostered and
published and the owed rest (补休) accrues from it, and the two following weeks' rosters grant it:
each officer with a balance gets the days off asked of that week, the balance goes down to zero by
the deadline, and every step is in the officer's history and the officers report."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.app.helpers import approve, as_officer, make_api
from tests.conftest import Api

WEEK1, WEEK2, WEEK3 = date(2021, 11, 8), date(2021, 11, 15), date(2021, 11, 22)
# 28 normal hours a week; each 4 hours above owe a day; due 13 days after the surge (2021-11-28)
RULE = {"normal_minutes_per_week": 1680, "minutes_per_owed_day": 240, "deadline_days": 13}
G30_LEVEL1 = [
    {"shift": s, "min": 3, "max": 3, "skills": {"leader": 1}} for s in ("N", "D", "E")
]  # every checkpoint shift a head more around the clock


@pytest.fixture
def surge(live_db: Any) -> Iterator[Api]:
    """Real commits, nothing published, "now" = Tuesday 2021-11-09 noon."""
    yield from make_api(live_db)


def roster_week(api: Api, start: date) -> int:
    """Solve the week for every unit by a job, as the generate page does, and publish it."""
    made = api.post("/jobs", json={"start": start.isoformat(), "time_limit": 2})
    assert made.status_code == 202, made.text
    job = made.json()
    deadline = time.monotonic() + 120
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
        job = api.get(f"/jobs/{job['id']}").json()
    assert job["status"] == "succeeded" and job["roster_id"], job
    published = api.post(f"/rosters/{job['roster_id']}/publish")
    assert published.status_code == 200, published.text
    return int(job["roster_id"])


def duties(api: Api, start: date) -> dict[str, list[dict[str, Any]]]:
    """The week's published duties per officer, each with its `minutes`."""
    params = {"start": start.isoformat(), "end": (start + timedelta(days=7)).isoformat(), "limit": 200}
    items: list[dict[str, Any]] = []
    while True:
        page = api.get("/duties", params={**params, "offset": len(items)}).json()
        items += page["items"]
        if len(items) >= page["total"]:
            break
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in items:
        span = datetime.fromisoformat(d["end"]) - datetime.fromisoformat(d["start"])
        out[d["officer"]].append({**d, "minutes": int(span.total_seconds() // 60)})
    return out


def days_off(mine: list[dict[str, Any]], start: date) -> int:
    """Dates of the week on which the officer has no duty (no shift of the sample runs past midnight)."""
    return 7 - len(
        {d["date"] for d in mine if start.isoformat() <= d["date"] < (start + timedelta(days=7)).isoformat()}
    )


def balances(api: Api) -> dict[str, int]:
    return {b["officer"]: b["balance"] for b in api.get("/owed-rest").json()}


def test_a_surge_week_declared_level1_then_the_owed_rest_granted_in_the_two_weeks_after(
    surge: Api, live_db: Any
) -> None:
    api = surge
    assert api.request("PUT", "/owed-rest/rule", json=RULE).json() == RULE
    assert api.request("PUT", "/duty-levels/level1/coverage/g30-east", json=G30_LEVEL1).status_code == 200

    # 一级 for the whole detachment, the sample week, before anything is published: a record only
    body = {"level": "level1", "start": "2021-11-08", "end": "2021-11-15", "reason": "疫情防控 启动一级勤务"}
    made = api.post("/duty-levels/declarations", json=body)
    assert made.status_code == 201, made.text
    impact = made.json()
    assert impact["units"] == ["ganzhou", "hq"] and impact["level"] == "level1"
    assert [x["officer"] for x in impact["cancelled_leave"]] == ["gz-03"]  # annual leave; 一级 cancels it
    assert [(x["officer"], x["kind"]) for x in impact["cancelled_requests"]] == [
        ("gz-04", "day_off"),
        ("gz-05", "shift_off"),
    ]
    done = approve(api, impact["change"]["id"], as_="admin")
    assert done.status_code == 200 and done.json()["status"] == "applied", done.text
    assert balances(api) == {}  # nothing worked yet

    # the week rostered at 一级 and published: the owed rest accrues from what it gives
    week1 = roster_week(api, WEEK1)
    worked = duties(api, WEEK1)
    g30_d = [d for ds in worked.values() for d in ds if d["post"] == "g30-east" and d["shift"] == "D"]
    assert max(sum(1 for d in g30_d if d["date"] == day) for day in {d["date"] for d in g30_d}) == 3
    minutes = {o: sum(d["minutes"] for d in ds) for o, ds in worked.items()}
    owed = {o: (m - 1680) // 240 for o, m in minutes.items() if m - 1680 >= 240}
    assert owed and balances(api) == owed, (minutes, balances(api))
    assert all(b <= 7 for b in owed.values())

    # week 2: each officer owing b days is asked half (7 of the 14 days to the deadline), rounded up
    from app.planning.scenario import ScenarioScope, scenario_for

    with live_db() as s:
        asked = {
            o.id: (o.owed_rest[0].days, o.owed_rest[0].by)
            for o in scenario_for(s, ScenarioScope(WEEK2, 7)).officers
            if o.owed_rest
        }
    assert asked == {o: (-(-b // 2), date(2021, 11, 21)) for o, b in owed.items()}
    week2 = roster_week(api, WEEK2)
    given2 = duties(api, WEEK2)
    after2 = {}
    for officer, b in owed.items():
        off = days_off(given2.get(officer, []), WEEK2)
        assert off >= asked[officer][0], (officer, off, asked[officer])  # the hard owed_rest rule
        after2[officer] = b - min(b, off)
    assert {o: b for o, b in balances(api).items()} == after2

    # week 3 reaches the deadline: whatever is still owed is asked, and given
    week3 = roster_week(api, WEEK3)
    given3 = duties(api, WEEK3)
    for officer, b in after2.items():
        assert days_off(given3.get(officer, []), WEEK3) >= b, officer
    assert set(balances(api).values()) == {0}

    # the history: accrued by the declaration's week, granted by the rosters after it
    granted_by: dict[int, int] = defaultdict(int)
    histories: dict[str, list[dict[str, Any]]] = {}
    for officer, b in owed.items():
        mine = api.get(f"/officers/{officer}/owed-rest", as_=as_officer(api, live_db, officer)).json()
        histories[officer] = mine["history"]
        assert mine["balance"] == 0 and mine["deadline"] is None
        kinds = [(e["kind"], e["start"]) for e in mine["history"]]
        assert kinds[0] == ("accrued", "2021-11-08") and mine["history"][0]["days"] == b
        assert mine["history"][0]["minutes_over"] == minutes[officer] - 1680
        grants = mine["history"][1:]
        assert {e["kind"] for e in grants} == {"granted"} and sum(e["days"] for e in grants) == b
        for e in grants:
            granted_by[e["roster_id"]] += e["days"]
    assert set(granted_by) == {week2, week3} and granted_by[week2] > 0 and granted_by[week3] > 0, granted_by
    assert week1 not in granted_by

    # the officers report shows the balance and its history
    report = api.get("/reports/officers", params={"start": "2021-11-08", "end": "2021-11-29"}).json()
    rows = {r["officer"]: r for r in report["officers"]}
    officer, b = sorted(owed.items())[0]
    assert rows[officer]["owed_rest"] == 0
    lines = [x for x in report["owed_rest"] if x["officer"] == officer]
    assert lines[0]["kind"] == "accrued" and lines[0]["days"] == b
    assert sum(x["days"] for x in lines if x["kind"] == "granted") == b
    sheet = api.get("/reports/officers.xlsx", params={"start": "2021-11-08", "end": "2021-11-29"})
    assert sheet.status_code == 200
    book = load_workbook(BytesIO(sheet.content))
    assert book.sheetnames == ["民警统计 Officers", "公平 Fairness", "补休 Owed rest"]
    history = list(book["补休 Owed rest"].iter_rows(min_row=2, values_only=True))
    assert len(history) == len(report["owed_rest"])
    assert {(r[0], r[2]) for r in history if r[1] == "累计 accrued"} == set(owed.items())
    table = {r[0]: r for r in book["民警统计 Officers"].iter_rows(min_row=3, values_only=True)}
    assert table[officer][8] == 0 and table[officer][3] == rows[officer]["duties"]

    # a new version of week 2 replaces what the old one granted, never adds to it
    granted3 = {o: sum(e["days"] for e in h if e["roster_id"] == week3) for o, h in histories.items()}
    again = roster_week(api, WEEK2)
    given = duties(api, WEEK2)
    for officer, b in owed.items():
        history = api.get(f"/officers/{officer}/owed-rest").json()["history"]
        assert week2 not in {e["roster_id"] for e in history}
        still = b - granted3[officer]  # what week 2 is to give now
        now = sum(e["days"] for e in history if e["roster_id"] == again)
        assert now == min(still, days_off(given.get(officer, []), WEEK2)), officer
