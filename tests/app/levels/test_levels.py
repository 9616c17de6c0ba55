"""Duty levels: the levels and what each cancels, a level's coverage profile, and a declaration
from its impact to its approval (new published version, leave and requests cancelled, the
officers told); after the period the normal coverage holds again."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.app.helpers import approve, as_officer, published_duties, wait_for_proposal
from tests.conftest import Api

G30_LEVEL1 = [
    {"shift": "N", "min": 2, "max": 3, "skills": {"leader": 1}},
    {"shift": "D", "min": 3, "max": 3, "skills": {"leader": 1}},
    {"shift": "E", "min": 3, "max": 3, "skills": {"leader": 1}},
]


def set_level1_profile(api: Api) -> None:
    for post, entries in (
        ("g30-east", G30_LEVEL1),
        ("ix-center", [{"shift": "A", "min": 0, "max": 0}]),  # closed at 一级
        ("xihuishan", [{"shift": s, "min": 1} for s in ("N", "D", "E")]),  # a night shift more
    ):
        response = api.request("PUT", f"/duty-levels/level1/coverage/{post}", as_="dispatcher", json=entries)
        assert response.status_code == 200, response.text


def test_levels_settings_and_profiles(capi: Api) -> None:
    levels = capi.get("/duty-levels", as_="officer").json()
    assert [(x["id"], x["name"]) for x in levels] == [
        ("normal", "常态"),
        ("level3", "三级"),
        ("level2", "二级"),
        ("level1", "一级"),
    ]
    # sick leave and injuries are never cancelled; only an admin sets what a level cancels
    bad = capi.request("PUT", "/duty-levels/level2/settings", json={"cancels_leave": ["病假"]})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["path"] == "body.cancels_leave[0]"
    denied = capi.request("PUT", "/duty-levels/level2/settings", as_="dispatcher", json={})
    assert denied.status_code == 403
    ok = capi.request(
        "PUT",
        "/duty-levels/level2/settings",
        json={"cancels_leave": ["年休假"], "cancels_requests": ["day_off"]},
    )
    assert ok.json() == {
        "id": "level2",
        "name": "二级",
        "cancels_leave": ["年休假"],
        "cancels_requests": ["day_off"],
    }

    set_level1_profile(capi)
    profile = capi.get("/duty-levels/level1/coverage", as_="dispatcher", params={"unit": "ganzhou"}).json()
    posts = {p["post"]: p["coverage"] for p in profile["posts"]}
    assert sorted(posts) == ["g30-east", "ix-center", "xihuishan"]
    assert posts["g30-east"][1] == {
        "shift": "D",
        "min": 3,
        "max": 3,
        "skills": {"leader": 1},
        "days": None,
        "over_weight": 0,
    }
    # the normal profile is the posts' own coverage, untouched
    normal = {p["post"]: p["coverage"] for p in capi.get("/duty-levels/normal/coverage").json()["posts"]}
    assert normal["g30-east"][1]["min"] == 2 and capi.get("/posts/g30-east").json()["coverage"][1]["min"] == 2
    assert capi.request("PUT", "/duty-levels/normal/coverage/g30-east", json=[]).status_code == 422
    other = capi.request("PUT", "/duty-levels/level1/coverage/g30-east", as_="hq_dispatcher", json=[])
    assert other.status_code == 403
    unknown = capi.request("PUT", "/duty-levels/level9/coverage/g30-east", json=[])
    assert unknown.status_code == 422 and unknown.json()["error"]["details"][0]["path"] == "path.level"


def test_who_may_declare(capi: Api) -> None:
    body = {"level": "level1", "units": ["ganzhou"], "start": "2021-11-10", "end": "2021-11-14"}
    assert capi.post("/duty-levels/declarations", as_="officer", json=body).status_code == 403
    whole = capi.post("/duty-levels/declarations", as_="dispatcher", json={**body, "units": None})
    assert whole.status_code == 403 and "admin" in whole.json()["error"]["message"]
    other = capi.post("/duty-levels/declarations", as_="hq_dispatcher", json=body)
    assert other.status_code == 403
    late = capi.post("/duty-levels/declarations", as_="dispatcher", json={**body, "end": "2021-11-20"})
    assert late.status_code == 422 and late.json()["error"]["details"][0]["path"] == "body.end"
    backwards = capi.post("/duty-levels/declarations", json={**body, "end": "2021-11-09"})
    assert backwards.status_code == 422
    for path, extra in (("/duty-levels/declarations", {}), ("/changes", {"kind": "duty_level"})):
        nobody = capi.post(path, as_="dispatcher", json={**body, **extra, "units": []})
        assert nobody.status_code == 422, nobody.text
        assert nobody.json()["error"]["details"][0]["path"] == "body.units"


def test_declare_level1_see_the_impact_approve_and_return_to_normal(live: Api, live_db: Any) -> None:
    set_level1_profile(live)
    sick = live.post(
        "/officers/gz-06/unavailability",
        json={"start": "2021-11-11T00:00", "end": "2021-11-12T00:00", "reason": "病假"},
    )
    assert sick.status_code == 201, sick.text
    before = published_duties(live_db)

    # 一级 for the whole detachment (an admin; no units named), Wednesday to Saturday
    body = {"level": "level1", "start": "2021-11-10", "end": "2021-11-14", "reason": "疫情"}
    # 4 days at 28 normal hours a week (16 hours); each 8 hours above owes a day
    rule = {"normal_minutes_per_week": 1680, "minutes_per_owed_day": 480, "deadline_days": 21}
    assert live.request("PUT", "/owed-rest/rule", json=rule).json() == rule
    made = live.post("/duty-levels/declarations", as_="admin", json=body)
    assert made.status_code == 201, made.text
    impact = made.json()
    assert impact["level"] == "level1" and impact["units"] == ["ganzhou", "hq"]
    # slots: ix-center's A closed Wed-Fri, xihuishan's night opened Wed-Sat, g30-east's D and E larger
    assert impact["slots_removed"] == 3 and impact["slots_added"] == 4
    resized = {(s["post"], s["shift"], s["date"]) for s in impact["slots"] if s["before"] and s["after"]}
    assert ("g30-east", "D", "2021-11-10") in resized and ("g30-east", "E", "2021-11-13") in resized
    assert impact["officers_needed_delta"] == -3 + 4 + 8
    # annual leave and a day-off request are cancelled; sick leave never
    assert [(x["officer"], x["reason"]) for x in impact["cancelled_leave"]] == [("gz-03", "annual leave")]
    assert [(x["officer"], x["kind"], x["date"]) for x in impact["cancelled_requests"]] == [
        ("gz-04", "day_off", "2021-11-13")
    ]
    change_id = impact["change"]["id"]
    assert impact["change"]["kind"] == "duty_level" and impact["change"]["status"] == "submitted"

    ready = wait_for_proposal(live, change_id)
    assert ready["proposal"]["status"] == "ready", ready["proposal"]["message"]
    assert ready["proposal"]["changed"] > 0
    assert (
        live.get(f"/duty-levels/declarations/{change_id}").json()["change"]["proposal"]["roster_id"]
        == ready["proposal"]["roster_id"]
    )

    assert approve(live, change_id, as_="dispatcher").status_code in (403, 404)  # hq is not theirs
    done = approve(live, change_id, as_="admin")
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "applied"
    after = published_duties(live_db)
    assert set(after) != set(before)
    # the level's slots are what the published roster staffs now: nobody on the closed intersection
    assert not [
        a for a in after if a.post == "ix-center" and date(2021, 11, 10) <= a.date < date(2021, 11, 13)
    ]
    assert [a for a in after if a.post == "xihuishan" and a.shift == "N"]

    # what each slot needs is the level's, not the posts' normal coverage: the report (the grid's
    # source on the published roster) and the version itself say so; Monday keeps the normal one
    report = live.get("/reports/coverage", params={"start": "2021-11-08", "needs": "true"}).json()
    needs = {(n["post"], n["date"], n["shift"]): n for day in report["days"] for n in day["needs"]}
    assert ("ix-center", "2021-11-08", "A") in needs and ("ix-center", "2021-11-11", "A") not in needs
    assert needs[("xihuishan", "2021-11-11", "N")]["min"] == 1
    assert needs[("g30-east", "2021-11-11", "D")] == {
        "post": "g30-east",
        "unit": "ganzhou",
        "date": "2021-11-11",
        "shift": "D",
        "min": 3,
        "max": 3,
        "skills": {"leader": 1},
    }
    for day in report["days"]:
        assert len(day["needs"]) == day["slots"] and sum(n["min"] for n in day["needs"]) == day["required"]
    assert live.get("/reports/coverage", params={"start": "2021-11-08"}).json()["days"][0]["needs"] is None
    version = ready["proposal"]["roster_id"]
    own = live.get(f"/rosters/{version}/needs", params={"unit": "ganzhou"}).json()
    assert own["roster_id"] == version and own["slots"]
    assert {(n["post"], n["date"], n["shift"]) for n in own["slots"]} == {
        k for k, n in needs.items() if n["unit"] == "ganzhou" and own["start"] <= k[1] < own["end"]
    }
    assert live.get(f"/rosters/{version}/needs", as_="officer").status_code == 403

    # leave and request cancelled, sick leave kept; each officer told
    spans = {s["reason"] for s in live.get("/officers/gz-03/unavailability").json()["items"]}
    assert "annual leave" not in spans
    assert {s["reason"] for s in live.get("/officers/gz-06/unavailability").json()["items"]} == {"病假"}
    told = live.get("/notifications", as_=as_officer(live, live_db, "gz-03")).json()["items"]
    assert "request_cancelled" in {n["kind"] for n in told}
    moved = {a.officer for a in set(before) ^ set(after)}
    for officer in sorted(moved)[:3]:
        kinds = {
            n["kind"]
            for n in live.get("/notifications", as_=as_officer(live, live_db, officer)).json()["items"]
        }
        assert "duties_changed" in kinds, officer
    events = live.get("/audit", params={"change": change_id, "action": "level.declared"}).json()["items"]
    assert events and events[0]["details"]["level"] == "level1"

    # owed rest accrued from the roster published now: minutes above 960 in the period, by 480
    worked: dict[str, int] = {}
    for a in after:
        if date(2021, 11, 10) <= a.date < date(2021, 11, 14):
            worked[a.officer] = worked.get(a.officer, 0) + (600 if a.shift == "A" else 480)
    owed = {o: (m - 960) // 480 for o, m in worked.items() if m - 960 >= 480}
    assert owed, worked
    listed = {b["officer"]: b for b in live.get("/owed-rest").json()}
    assert {o: b["balance"] for o, b in listed.items()} == owed
    officer, days = next(iter(sorted(owed.items())))
    mine = live.get(f"/officers/{officer}/owed-rest", as_=as_officer(live, live_db, officer)).json()
    assert mine["balance"] == days and mine["deadline"] == "2021-12-05"
    assert (
        mine["history"][0]["kind"] == "accrued"
        and mine["history"][0]["minutes_over"] == worked[officer] - 960
    )
    grants = f"/officers/{officer}/owed-rest/grants"
    too_many = live.post(grants, json={"days": days + 1, "date": "2021-11-16"})
    assert too_many.status_code == 422 and too_many.json()["error"]["details"][0]["path"] == "body.days"
    granted = live.post(grants, json={"days": 1, "date": "2021-11-16"})
    assert granted.status_code == 201 and granted.json()["balance"] == days - 1
    other = "gz-01" if officer != "gz-01" else "gz-02"
    assert live.get(f"/officers/{other}/owed-rest", as_=as_officer(live, live_db, officer)).status_code == 403
    workbook = live.get("/owed-rest/sheet.xlsx")
    assert workbook.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(workbook.content))
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert {(r[0], r[2]) for r in rows} == {(o, d if o != officer else d - 1) for o, d in owed.items()}
    assert len(list(book.worksheets[1].iter_rows(min_row=2))) == len(owed) + 1

    # after the period, normal coverage holds again (the next week's scenario)
    from app.planning.scenario import ScenarioScope, scenario_for

    with live_db() as s:
        week = scenario_for(s, ScenarioScope(start=date(2021, 11, 8), days=14))
    mins = {(x.post, x.shift, x.date): x.min for x in week.slots()}
    assert mins[("g30-east", "D", date(2021, 11, 11))] == 3
    assert mins[("g30-east", "D", date(2021, 11, 15))] == 2
    assert ("ix-center", "A", date(2021, 11, 11)) not in mins and (
        "ix-center",
        "A",
        date(2021, 11, 15),
    ) in mins
