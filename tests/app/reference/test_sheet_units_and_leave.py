"""Sheets as a duty office keeps them: units by name as well as by id, a bad header answered with
the accepted (Chinese) column names, and the unavailability (leave) sheet with its access rules."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.conftest import Api

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_file(name: str, text: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, text.encode(), "text/csv")}


def test_units_by_name_in_the_officer_and_post_sheets(api: Api) -> None:
    officers = "警号,姓名,单位,服务单位\ngz-70,新警甲,甘州大队,甘州大队、支队机关\ngz-71,新警乙,ganzhou,\n"
    response = api.post("/import/officers", files=csv_file("名单.csv", officers))
    assert response.status_code == 200, response.text
    first = api.get("/officers/gz-70").json()
    assert first["unit"] == "ganzhou" and sorted(first["serves"]) == ["ganzhou", "hq"]
    assert api.get("/officers/gz-71").json()["unit"] == "ganzhou"
    posts = "编号,名称,类型,单位,班次,最少\nhq-gate,机关大门,checkpoint,支队机关,D,1\n"
    response = api.post("/import/posts", files=csv_file("岗位.csv", posts))
    assert response.status_code == 200, response.text
    assert api.get("/posts/hq-gate").json()["unit"] == "hq"
    unknown = api.post("/import/officers", files=csv_file("o.csv", "警号,姓名,单位\ngz-72,某人,火星大队\n"))
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"] == [
        {"path": "row 2.unit", "message": "unknown unit '火星大队'", "id": "gz-72"}
    ]


def test_a_bad_header_lists_the_accepted_chinese_names(api: Api) -> None:
    response = api.post("/import/officers", files=csv_file("o.csv", "警号,姓名,颜色\n"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert "颜色" in error["message"]
    for name in (
        "编号/警号 (id)",
        "姓名/名称 (name)",
        "单位/大队 (unit)",
        "服务单位 (serves)",
        "技能 (skills)",
    ):
        assert name in error["message"], error["message"]
    assert error["details"][0]["path"] == "row 1" and "班次" not in error["message"]
    posts = api.post("/import/posts", files=csv_file("p.csv", "编号,颜色\n")).json()["error"]
    assert "班次 (shift)" in posts["message"] and "最少 (min)" in posts["message"]
    leave = api.post("/import/unavailability", files=csv_file("l.csv", "警号,颜色\n")).json()["error"]
    assert "开始/开始时间 (start)" in leave["message"] and "原因/事由 (reason)" in leave["message"]


def leave_sheet() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["警号", "开始", "结束", "原因"])
    sheet.append(["gz-03", "2021-11-10 07:00", "2021-11-11 07:00", "病假"])
    sheet.append(["gz-04", "2021-11-12", "2021-11-13", "培训"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_unavailability_sheet(api: Api) -> None:
    files = {"file": ("请假.xlsx", leave_sheet(), XLSX)}
    before = len(api.get("/officers/gz-04/unavailability").json()["items"])
    response = api.post("/import/unavailability", as_="dispatcher", files=files)
    assert response.status_code == 200, response.text
    assert response.json()["unavailability"] == 2
    spans = api.get("/officers/gz-03/unavailability").json()["items"]
    assert ("2021-11-10T07:00:00", "2021-11-11T07:00:00", "病假") in [
        (s["start"], s["end"], s["reason"]) for s in spans
    ]
    again = api.post("/import/unavailability", as_="dispatcher", files=files)
    assert again.status_code == 200 and again.json()["unavailability"] == 0  # not added twice
    assert len(api.get("/officers/gz-04/unavailability").json()["items"]) == before + 1


def test_unavailability_sheet_errors_and_access(api: Api) -> None:
    bad = (
        "警号,开始,结束\n"
        "gz-05,2021-11-10 08:00,2021-11-11 08:00\n"
        "nobody,2021-11-10,2021-11-11\n"
        "gz-06,2021-11-12,2021-11-11\n"
    )
    response = api.post("/import/unavailability", as_="dispatcher", files=csv_file("l.csv", bad))
    assert response.status_code == 422
    paths = [d["path"] for d in response.json()["error"]["details"]]
    assert paths[0] == "row 3.officer" and paths[1].startswith("row 4")
    stored = api.get("/officers/gz-05/unavailability").json()["items"]
    assert "2021-11-10T08:00:00" not in {s["start"] for s in stored}  # nothing stored
    good = csv_file("l.csv", "警号,开始,结束\ngz-05,2021-11-10 08:00,2021-11-11 08:00\n")
    assert api.post("/import/unavailability", as_="hq_dispatcher", files=good).status_code == 403
    assert api.post("/import/unavailability", as_="officer", files=good).status_code == 403
    assert api.post("/import/unavailability", as_=None, files=good).status_code == 401
    assert api.get("/officers/gz-05/unavailability").json()["items"] == stored
