"""The duty sheets (勤务表): a unit's day (posts × shifts with leader, positions, officers, phones, a
sign-off line) and an officer's week, as HTML and xlsx; and who may print which."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.core.db import transaction
from app.planning.scenario import ScenarioScope, scenario_from_db
from app.reference.models import Officer, Post
from app.rosters.models import RosterAssignment
from app.rosters.service import new_snapshot, publish, store_roster
from solver.io.roster import roster_from_dict
from tests.app.helpers import as_officer
from tests.conftest import Api

MON = date(2021, 11, 8)
LAYERS = [
    {"id": "far", "name": "远端分流", "heads": 1},
    {"id": "mid", "name": "中端警示", "heads": 1},
    {"id": "near", "name": "近端查控"},
]


def phone_of(officer_id: str) -> str:
    return f"139-0000-{int(officer_id[-2:]) + (100 if officer_id.startswith('hq') else 0):04d}"


@pytest.fixture
def layered(api: Api, session_factory: Any, small_roster_document: dict[str, Any]) -> int:
    """example-small with the layered checkpoint layout at g30-east and a phone for every officer,
    its solved roster stored and published (the leaders and positions named on storing)."""
    with transaction(session_factory) as s:
        s.get(Post, "g30-east").positions = LAYERS  # type: ignore[union-attr]
        for o in s.scalars(select(Officer)):
            o.phone = phone_of(o.id)
        s.flush()
        scenario = scenario_from_db(s, ScenarioScope(start=MON, days=7))
        roster, _ = roster_from_dict(small_roster_document)
        snapshot = new_snapshot(s, scenario)
        stored = store_roster(
            s, scenario, roster, snapshot_id=snapshot.id, unit_ids=["ganzhou", "hq"], created_by=None
        )
        publish(s, stored, None)
        return stored.id


def stored_duties(session_factory: Any, roster_id: int, day: date) -> list[RosterAssignment]:
    with session_factory() as s:
        return list(
            s.scalars(
                select(RosterAssignment).where(
                    RosterAssignment.roster_id == roster_id, RosterAssignment.date == day
                )
            )
        )


def test_stored_leaders_hold_the_skill_and_positions_are_the_posts(
    api: Api, session_factory: Any, layered: int
):
    duties = stored_duties(session_factory, layered, MON)
    g30 = [a for a in duties if a.post_id == "g30-east"]
    by_shift: dict[str, list[RosterAssignment]] = {}
    for a in g30:
        by_shift.setdefault(a.shift_id, []).append(a)
    skilled = {
        o["id"]
        for o in api.get("/officers", params={"limit": 200}).json()["items"]
        if "leader" in o["skills"]
    }
    for shift, on in by_shift.items():
        leaders = [a.officer_id for a in on if a.leader]
        assert len(leaders) == 1 and leaders[0] in skilled, (shift, leaders)
        positions = [a.position for a in on]
        assert positions.count("far") == 1 and positions.count("mid") <= 1
        assert set(positions) <= {"far", "mid", "near"}
    assert all(a.position is None for a in duties if a.post_id != "g30-east")
    # the duty rows of the API carry them too
    listed = api.get(
        "/duties", params={"start": MON.isoformat(), "end": "2021-11-09", "post": "g30-east"}
    ).json()
    assert {(d["officer"], d["shift"], d["leader"], d["position"]) for d in listed["items"]} == {
        (a.officer_id, a.shift_id, a.leader, a.position) for a in g30
    }
    assert {d["position_name"] for d in listed["items"]} <= {"远端分流", "中端警示", "近端查控"}


def test_the_day_sheet_lists_posts_shifts_leader_positions_officers_and_phones(
    api: Api, session_factory: Any, layered: int
):
    duties = stored_duties(session_factory, layered, MON)
    names = {o["id"]: o["name"] for o in api.get("/officers", params={"limit": 200}).json()["items"]}
    response = api.get(
        f"/rosters/{layered}/duty-sheet", params={"unit_id": "ganzhou", "day": MON.isoformat()}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "甘州大队勤务表" in html and "值班领导签字" in html and "日期" in html
    assert '<script src="/static/js/print.js"></script>' in html and "data-print" in html
    assert "onclick" not in html and "size: A4" in html
    rows = re.findall(
        r'<tr class="duty" data-post="([^"]+)" data-shift="([^"]+)" data-officer="([^"]+)"( data-leader)?',
        html,
    )
    assert {(p, s, o) for p, s, o, _ in rows} == {(a.post_id, a.shift_id, a.officer_id) for a in duties}
    assert {(p, s, o) for p, s, o, lead in rows if lead} == {
        (a.post_id, a.shift_id, a.officer_id) for a in duties if a.leader
    }
    for a in duties:
        assert names[a.officer_id] in html and phone_of(a.officer_id) in html
    assert html.count('<span class="leader-mark">带班</span>') == sum(a.leader for a in duties)
    for layer in LAYERS:
        assert layer["name"] in html
    # the published sheet is the same page
    same = api.get("/duty-sheet", params={"unit_id": "ganzhou", "day": MON.isoformat()}, as_="dispatcher")
    assert same.status_code == 200 and same.text == html


def test_the_day_sheet_workbook(api: Api, session_factory: Any, layered: int):
    duties = stored_duties(session_factory, layered, MON)
    names = {o["id"]: o["name"] for o in api.get("/officers", params={"limit": 200}).json()["items"]}
    response = api.get(
        "/duty-sheet",
        params={"unit_id": "ganzhou", "day": MON.isoformat(), "format": "xlsx"},
        as_="dispatcher",
    )
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "甘州大队勤务表"
    assert [c.value for c in ws[3]] == ["岗位", "班次", "时间", "带班", "位置", "民警", "电话"]
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.page_setup.orientation == "portrait"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    by_phone = {r[6]: r for r in rows if r[6]}
    for a in duties:
        row = by_phone[phone_of(a.officer_id)]
        assert row[5] == names[a.officer_id] + ("（带班）" if a.leader else "")
        expected = {"far": "远端分流", "mid": "中端警示", "near": "近端查控"}.get(a.position or "")
        assert row[4] == expected
    leaders = [names[a.officer_id] for a in duties if a.leader]
    column_d = [r[3] for r in rows if r[3]]
    assert all(any(cell.startswith(name) for cell in column_d) for name in leaders)
    assert any(r[0] == "值班领导签字：" for r in rows) and any(r[4] == "日期：" for r in rows)
    g30 = [a for a in duties if a.post_id == "g30-east"]
    assert any(rng.min_col == 1 and rng.size["rows"] == len(g30) for rng in ws.merged_cells.ranges)


def test_the_week_sheet_of_an_officer(api: Api, session_factory: Any, layered: int):
    start, end = MON, MON + timedelta(days=7)
    with session_factory() as s:
        mine = list(
            s.scalars(
                select(RosterAssignment)
                .where(RosterAssignment.roster_id == layered, RosterAssignment.officer_id == "gz-01")
                .where(RosterAssignment.date >= start, RosterAssignment.date < end)
            )
        )
        leaders = {
            (a.post_id, a.shift_id, a.date): a.officer_id
            for a in s.scalars(
                select(RosterAssignment).where(RosterAssignment.roster_id == layered, RosterAssignment.leader)
            )
        }
    assert mine
    names = {o["id"]: o["name"] for o in api.get("/officers", params={"limit": 200}).json()["items"]}
    html = api.get("/officers/gz-01/week-sheet", params={"start": start.isoformat()}, as_="officer")
    assert html.status_code == 200, html.text
    text = html.text
    assert names["gz-01"] in text and "个人周勤务表" in text and "print.js" in text
    assert len(re.findall(r'<tr class="duty"', text)) == len(mine)
    book = api.get(
        "/officers/gz-01/week-sheet", params={"start": start.isoformat(), "format": "xlsx"}, as_="officer"
    )
    assert book.status_code == 200
    ws = load_workbook(io.BytesIO(book.content)).active
    assert [c.value for c in ws[3]] == ["日期", "班次", "时间", "岗位", "位置", "带班"]
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=3 + len(mine))]
    posts = {p["id"]: p["name"] for p in api.get("/posts", params={"limit": 200}).json()["items"]}
    for a, row in zip(sorted(mine, key=lambda a: (a.start_at, a.post_id)), rows, strict=True):
        assert row[0].startswith(a.date.isoformat()) and row[3] == posts[a.post_id]
        leader = leaders.get((a.post_id, a.shift_id, a.date))
        if a.leader:
            assert row[5] == "本人带班"
        elif leader is not None:
            assert row[5] == f"{names[leader]} {phone_of(leader)}"
        else:
            assert row[5] == "—"
        assert row[4] == {"far": "远端分流", "mid": "中端警示", "near": "近端查控"}.get(a.position or "")


def test_who_may_print_which_sheet(api: Api, session_factory: Any, layered: int):
    day = {"unit_id": "ganzhou", "day": MON.isoformat()}
    week = {"start": MON.isoformat()}
    assert api.get(f"/rosters/{layered}/duty-sheet", params=day, as_=None).status_code == 401
    assert api.get("/duty-sheet", params=day, as_="officer").status_code == 403
    assert api.get("/duty-sheet", params=day, as_="hq_dispatcher").status_code == 403
    assert api.get(f"/rosters/{layered}/duty-sheet", params=day, as_="hq_dispatcher").status_code == 403
    assert api.get("/duty-sheet", params=day, as_="dispatcher").status_code == 200
    assert api.get("/duty-sheet", params={**day, "unit_id": "hq"}, as_="admin").status_code == 200
    # officers: their own week only; dispatchers: their units' officers
    assert api.get("/officers/gz-02/week-sheet", params=week, as_="officer").status_code == 403
    other = as_officer(api, session_factory, "gz-02")
    assert api.get("/officers/gz-02/week-sheet", params=week, as_=other).status_code == 200
    assert api.get("/officers/gz-01/week-sheet", params=week, as_=other).status_code == 403
    assert api.get("/officers/gz-01/week-sheet", params=week, as_="dispatcher").status_code == 200
    assert api.get("/officers/hq-01/week-sheet", params=week, as_="dispatcher").status_code == 403
    assert api.get("/officers/hq-01/week-sheet", params=week, as_="hq_dispatcher").status_code == 200
    assert api.get("/officers/gz-01/week-sheet", params=week, as_=None).status_code == 401
    # bad input: 4xx naming the field, never 500
    assert api.get("/officers/nobody/week-sheet", params=week).status_code == 404
    outside = api.get(f"/rosters/{layered}/duty-sheet", params={**day, "day": "2021-12-01"})
    assert outside.status_code == 422 and outside.json()["error"]["details"][0]["path"] == "query.day"
    assert api.get("/duty-sheet", params={**day, "day": "2021-12-01"}).status_code == 404
    assert api.get("/duty-sheet", params={**day, "format": "pdf"}).status_code == 422
    assert api.get("/duty-sheet", params={**day, "unit_id": "nowhere"}).status_code == 404
    assert api.get("/rosters/999999/duty-sheet", params=day).status_code == 404
