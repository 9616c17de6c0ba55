"""The officers sheet's group column (执勤组 / group): an officer joins the group it names (by id,
or by name in their home unit, else a new group of that unit), leaving any other; bad cells are
errors naming the row, and nothing is stored."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.conftest import Api


def members(api: Api) -> dict[str, list[str]]:
    return {g["id"]: [m["id"] for m in g["members"]] for g in api.get("/groups").json()}


def test_group_column_in_a_chinese_xlsx_creates_and_moves_memberships(api: Api) -> None:
    made = api.post("/groups", json={"id": "g-old", "name": "老组", "unit": "ganzhou", "members": ["gz-03"]})
    assert made.status_code == 201
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["警号", "姓名", "单位", "执勤组"])
    sheet.append(["gz-01", "甘州民警1", "ganzhou", "一组"])
    sheet.append(["gz-02", "甘州民警2", "ganzhou", "一组"])
    sheet.append(["gz-03", "甘州民警3", "ganzhou", "二组"])  # leaves g-old
    sheet.append(["gz-04", "甘州民警4", "ganzhou", "g-old"])  # by id
    sheet.append(["gz-05", "甘州民警5", "ganzhou", None])  # no group: left as it is
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = api.post("/import/officers", files={"file": ("名单.xlsx", buffer.getvalue(), xlsx)})
    assert response.status_code == 200, response.text
    assert {"group ganzhou-一组", "group ganzhou-二组"} <= set(response.json()["added"])
    assert members(api) == {"g-old": ["gz-04"], "ganzhou-一组": ["gz-01", "gz-02"], "ganzhou-二组": ["gz-03"]}
    groups = {g["id"]: g for g in api.get("/groups").json()}
    assert groups["ganzhou-一组"]["name"] == "一组" and groups["ganzhou-一组"]["unit"] == "ganzhou"

    # again, in English, by name: 一组 is found by its name, not created twice
    csv_text = "id,name,unit,group\ngz-05,甘州民警5,ganzhou,一组\n"
    again = api.post("/import/officers", files={"file": ("o.csv", csv_text.encode(), "text/csv")})
    assert again.status_code == 200, again.text
    assert members(api)["ganzhou-一组"] == ["gz-01", "gz-02", "gz-05"]
    actions = [
        e["action"] for e in api.get("/audit", params={"action": "group.member_added"}).json()["items"]
    ]
    assert len(actions) == 5  # gz-01, gz-02, gz-03, gz-04, then gz-05 (g-old's gz-03 came with the group)


def test_a_group_of_a_unit_the_officer_does_not_serve_is_an_error_and_nothing_is_stored(api: Api) -> None:
    assert api.post("/groups", json={"id": "hq-a", "name": "机关组", "unit": "hq"}).status_code == 201
    csv_text = "id,name,unit,group\ngz-70,新民警,ganzhou,一组\ngz-01,甘州民警1,ganzhou,hq-a\n"
    response = api.post("/import/officers", files={"file": ("o.csv", csv_text.encode(), "text/csv")})
    assert response.status_code == 422, response.text
    assert [(d["path"], d.get("id")) for d in response.json()["error"]["details"]] == [
        ("row 3.group", "gz-01")
    ]
    assert api.get("/officers/gz-70").status_code == 404
    assert members(api) == {"hq-a": []}
