"""Scenario import and export, and the officer/post sheets."""

from __future__ import annotations

import io
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.reference.models import Officer
from solver.io.load import scenario_from_dict
from tests.app.helpers import new_unit_document
from tests.conftest import EXAMPLE_SMALL, Api


def example() -> dict[str, Any]:
    return json.loads(EXAMPLE_SMALL.read_text(encoding="utf-8"))


def test_reimport_clashes_unless_replace(api: Api) -> None:
    document = example()
    document["units"][0]["name"] = "甘州大队（改）"
    document["officers"][0]["name"] = "改名"
    response = api.post("/import/scenario", json=document)
    assert response.status_code == 409
    assert response.json()["error"]["details"][0]["path"] == "unit"
    replaced = api.post("/import/scenario", params={"replace": True}, json=document)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["officers"] == 14 and "officer gz-01" in replaced.json()["updated"]


def test_reimporting_the_same_document_changes_nothing(api: Api) -> None:
    response = api.post("/import/scenario", json=example())
    assert response.status_code == 200, response.text
    assert response.json()["updated"] == [] and response.json()["added"] == []


def test_invalid_scenario_reports_loader_errors_and_stores_nothing(api: Api) -> None:
    document = example()
    document["units"].append({"id": "new-unit", "name": "新单位"})
    document["posts"][0]["coverage"][0]["max"] = 1  # below min 2
    document["officers"][0]["unit"] = "atlantis"
    response = api.post("/import/scenario", params={"replace": True}, json=document)
    assert response.status_code == 422
    paths = [d["path"] for d in response.json()["error"]["details"]]
    assert "officers[0].unit" in paths and any(p.startswith("posts[0].coverage[0]") for p in paths)
    assert api.get("/units/new-unit").status_code == 404


def test_not_json(api: Api) -> None:
    response = api.post("/import/scenario", content=b"{nope", headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["message"].startswith("not valid JSON")


def test_export_round_trips_through_the_loader(api: Api) -> None:

    response = api.get("/export/scenario", as_="dispatcher")
    assert response.status_code == 200
    document = response.json()
    scenario = scenario_from_dict(document)
    original = scenario_from_dict(example())
    assert scenario.start == original.start and scenario.days == original.days
    assert {o.id: o for o in scenario.officers} == {o.id: o for o in original.officers}
    assert {p.id: p for p in scenario.posts} == {p.id: p for p in original.posts}
    assert scenario.pinned == original.pinned and scenario.rules == original.rules


def test_import_with_baseline_publishes_it(api: Api) -> None:
    document = example()
    document["baseline"] = [{"officer": "gz-02", "post": "xihuishan", "shift": "D", "date": "2021-11-09"}]
    response = api.post("/import/scenario", params={"replace": True}, json=document)
    assert response.status_code == 200, response.text
    roster_id = response.json()["baseline_roster_id"]
    assert api.get(f"/rosters/{roster_id}").json()["status"] == "published"
    on_duty = api.get("/on-duty", params={"at": "2021-11-09T09:00", "post": "xihuishan"}).json()
    assert [d["officer"] for d in on_duty["duties"]] == ["gz-02"]


def test_body_size_limit(api: Api) -> None:
    response = api.post(
        "/import/scenario", content=b" " * (3 * 1024 * 1024), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"

    def chunks() -> Any:  # no Content-Length: the limit is enforced while reading
        for _ in range(48):
            yield b" " * 65536

    streamed = api.post("/import/scenario", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413


OFFICERS_CSV = (
    "id,name,unit,serves,skills\n"
    'gz-50,新警员,ganzhou,"ganzhou,hq",driver\n'
    "gz-01,甘州民警1改,ganzhou,,leader\n"
)


def test_officer_sheet_csv(api: Api) -> None:
    files = {"file": ("officers.csv", ("\ufeff" + OFFICERS_CSV).encode(), "text/csv")}
    response = api.post("/import/officers", files=files)
    assert response.status_code == 200, response.text
    assert response.json()["created_skills"] == ["driver"] and response.json()["updated"] == ["officer gz-01"]
    created = api.get("/officers/gz-50").json()
    assert created["serves"] == ["ganzhou", "hq"] and created["skills"] == ["driver"]
    assert api.get("/officers/gz-01").json()["name"] == "甘州民警1改"


def test_officer_sheet_xlsx_with_chinese_headers(api: Api) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["警号", "姓名", "单位", "技能"])
    sheet.append(["hq-09", "机关新警", "hq", "leader"])
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = api.post("/import/officers", files={"file": ("名单.xlsx", buffer.getvalue(), xlsx)})
    assert response.status_code == 200, response.text
    assert api.get("/officers/hq-09").json()["unit"] == "hq"


def test_sheet_errors_name_rows_and_store_nothing(api: Api) -> None:
    csv_text = "id,name,unit\ngz-60,ok,ganzhou\n,no id,ganzhou\ngz-61,bad unit,mars\n"
    response = api.post("/import/officers", files={"file": ("o.csv", csv_text.encode(), "text/csv")})
    assert response.status_code == 422
    paths = [d["path"] for d in response.json()["error"]["details"]]
    assert paths == ["row 3.id", "row 4.unit"]
    assert api.get("/officers/gz-60").status_code == 404
    unknown = api.post("/import/officers", files={"file": ("o.csv", b"id,colour\n", "text/csv")})
    assert unknown.status_code == 422 and "colour" in unknown.json()["error"]["message"]
    assert api.post("/import/officers", files={"file": ("o.txt", b"x", "text/plain")}).status_code == 422
    huge = b"id,name,unit\nx," + b"a" * 140_000 + b",ganzhou\n"  # over the csv module's field limit
    for kind in ("officers", "posts", "unavailability"):
        refused = api.post(f"/import/{kind}", files={"file": ("o.csv", huge, "text/csv")})
        assert refused.status_code == 422 and refused.json()["error"]["details"][0]["path"] == "file"
    header = "id,name,kind,unit,priority,shift,min,max,skills,days\n"
    for skill in ("k" * 65, "a/b"):
        row = f"fz-p9,x,checkpoint,ganzhou,5,D,1,2,{skill}:1,mon\n"
        bad = api.post("/import/posts", files={"file": ("p.csv", (header + row).encode(), "text/csv")})
        assert bad.status_code == 422 and bad.json()["error"]["details"][0]["path"] == "row 2.skills"
    assert api.get("/posts/fz-p9").status_code == 404


def test_post_sheet_one_row_per_coverage(api: Api) -> None:
    csv_text = (
        "id,name,kind,unit,priority,shift,min,max,skills,days\n"
        "p-new,新检查点,checkpoint,ganzhou,7,D,2,3,leader:1,\n"
        "p-new,,,,,N,1,,,mon tue\n"
    )
    response = api.post("/import/posts", files={"file": ("posts.csv", csv_text.encode(), "text/csv")})
    assert response.status_code == 200, response.text
    post = api.get("/posts/p-new").json()
    assert post["priority"] == 7
    assert post["coverage"] == [
        {"shift": "D", "min": 2, "max": 3, "skills": {"leader": 1}, "days": None, "over_weight": 0},
        {"shift": "N", "min": 1, "max": 1, "skills": {}, "days": ["mon", "tue"], "over_weight": 0},
    ]
    bad = "id,name,kind,unit,shift,min\np-bad,x,castle,ganzhou,Q,one\n"
    response = api.post("/import/posts", files={"file": ("posts.csv", bad.encode(), "text/csv")})
    assert response.status_code == 422
    assert {d["path"] for d in response.json()["error"]["details"]} == {"row 2.kind", "row 2.coverage[0].min"}


def _children(session: Session) -> dict[str, tuple[int, int, int]]:
    """Per stored officer: (unavailability spans, requests, history duties)."""
    session.expire_all()
    return {
        o.id: (len(o.unavailable), len(o.requests), len(o.history)) for o in session.scalars(select(Officer))
    }


def test_importing_a_new_unit_keeps_every_stored_officers_leave_requests_and_history(
    api: Api, session: Session
) -> None:
    before = _children(session)
    settings_before = api.get("/settings").json()
    response = api.post("/import/scenario", json=new_unit_document())
    assert response.status_code == 200, response.text
    after = _children(session)
    assert {k: v for k, v in after.items() if k in before} == before
    assert after["lz-001"] == (1, 1, 1)
    # the detachment's stored rules, weights, name and horizon are kept (the document's differ)
    assert api.get("/settings").json() == settings_before
    kept = {c["field"] for c in response.json()["settings"] if not c["applied"]}
    assert {"rules.max_consecutive_days", "weights.request", "name"} <= kept


def test_import_dry_run_shows_the_diff_and_stores_nothing(api: Api) -> None:
    document = example()
    document["officers"][0]["name"] = "改名"
    document["officers"].append({"id": "gz-99", "name": "新警员", "unit": "ganzhou"})
    response = api.post("/import/scenario", params={"replace": True, "dry_run": True}, json=document)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dry_run"] is True
    assert "officer gz-99" in body["added"] and "officer gz-01" in body["updated"]
    changes = {c["item"]: c["fields"] for c in body["changes"]}
    assert changes == {"officer gz-01": ["name"]}  # gz-02 and the rest are identical
    assert api.get("/officers/gz-99").status_code == 404
    assert api.get("/officers/gz-01").json()["name"] != "改名"
