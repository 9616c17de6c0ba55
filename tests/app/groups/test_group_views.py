"""Duty groups where the roster is read: each duty names its officer's group (and `/duties`
filters by group), the roster workbook shows the groups, *my schedule* shows my group and what
its pattern says."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from openpyxl import load_workbook

from solver.io.roster import roster_from_dict
from tests.conftest import Api

PATTERN = {"start": "2021-11-06", "days": ["N", "N", "D", "D", "E", "E", None, None]}


def make_group(api: Api) -> None:
    body = {"id": "g1", "name": "一组", "unit": "ganzhou", "members": ["gz-01", "gz-02"], "pattern": PATTERN}
    assert api.post("/groups", as_="dispatcher", json=body).status_code == 201


def publish_now(session_factory: Any, document: dict[str, Any]) -> int:
    """example-small's solved roster stored and published on the data as they are now."""
    from app.core.db import transaction
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, publish, store_roster

    with transaction(session_factory) as s:
        scenario = scenario_from_db(s, ScenarioScope(start=date(2021, 11, 8), days=7))
        roster, _ = roster_from_dict(document)
        snapshot = new_snapshot(s, scenario)
        units = [u.id for u in scenario.units]
        stored = store_roster(s, scenario, roster, snapshot_id=snapshot.id, unit_ids=units, created_by=None)
        publish(s, stored, None)
        return stored.id


def test_duties_name_the_group_and_filter_by_it(
    api: Api, session_factory: Any, small_roster_document: Any
) -> None:
    make_group(api)
    publish_now(session_factory, small_roster_document)
    duties = api.get("/duties", params={"limit": 200}).json()["items"]
    assert duties
    for d in duties:
        expected = ("g1", "一组") if d["officer"] in ("gz-01", "gz-02") else (None, None)
        assert (d["group"], d["group_name"]) == expected, d
    grouped = api.get("/duties", params={"group": "g1", "limit": 200}).json()["items"]
    assert grouped and {d["officer"] for d in grouped} <= {"gz-01", "gz-02"}
    assert len(grouped) == sum(1 for d in duties if d["group"] == "g1")


def test_the_roster_workbook_shows_each_officers_group(
    api: Api, session_factory: Any, small_roster_document: Any
) -> None:
    make_group(api)
    roster_id = publish_now(session_factory, small_roster_document)
    response = api.get(f"/rosters/{roster_id}/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["汇总 Summary", "甘州大队", "执勤组 Groups"]
    cells = [str(c) for row in book["甘州大队"].iter_rows(min_row=3, values_only=True) for c in row if c]
    names = {o["id"]: o["name"] for o in api.get("/officers", params={"limit": 200}).json()["items"]}
    duty = next(d for d in small_roster_document["assignments"] if d["officer"] == "gz-01")
    assert any(f"{names['gz-01']}〔一组〕" in c for c in cells), duty
    assert not any(f"{names['gz-03']}〔" in c for c in cells)
    rows = list(book["执勤组 Groups"].iter_rows(min_row=3, values_only=True))
    assert rows[0][0].startswith("一组") and rows[0][1] == f"{names['gz-01']}、{names['gz-02']}"
    assert rows[0][2] == "2021-11-06"
    # 2021-11-08 is the third day of the cycle: D (日班 in example-small's names)
    shift_names = {s["id"]: s["name"] for s in api.get("/shift-types").json()["items"]}
    expected = [PATTERN["days"][(2 + i) % 8] for i in range(7)]
    assert list(rows[0][3:10]) == ["休" if s is None else shift_names[s] for s in expected]


def test_my_schedule_shows_my_group_and_its_pattern(api: Api, published: int) -> None:
    mine = api.get("/me/schedule", as_="officer", params={"start": "2021-11-08", "end": "2021-11-15"})
    assert mine.status_code == 200 and mine.json()["group"] is None
    make_group(api)
    body = api.get("/me/schedule", as_="officer", params={"start": "2021-11-08", "end": "2021-11-15"}).json()
    assert body["items"] and all(d["officer"] == "gz-01" and d["group"] == "g1" for d in body["items"])
    group = body["group"]
    assert (group["id"], group["name"], group["pattern"]) == ("g1", "一组", PATTERN)
    assert [m["id"] for m in group["members"]] == ["gz-01", "gz-02"]
    start = date(2021, 11, 8)
    assert group["plan"] == [
        {"date": (start + timedelta(days=i)).isoformat(), "shift": PATTERN["days"][(2 + i) % 8]}
        for i in range(7)
    ]
    # without a period: four weeks from the service's today
    assert len(api.get("/me/schedule", as_="officer").json()["group"]["plan"]) == 28


def test_the_roster_csv_has_each_officers_group(
    api: Api, session_factory: Any, small_roster_document: Any
) -> None:
    make_group(api)
    roster_id = publish_now(session_factory, small_roster_document)
    text = api.get(f"/rosters/{roster_id}/export.csv").content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows
    for row in rows:
        expected = ("g1", "一组") if row["officer"] in ("gz-01", "gz-02") else ("", "")
        assert (row["group"], row["group_name"]) == expected, row
