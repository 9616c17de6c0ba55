"""A tour plan's workbook, a supervisor's printable day sheet and the tour visits in their
calendar feed."""

from __future__ import annotations

import io
from typing import Any

from icalendar import Calendar
from openpyxl import load_workbook

from tests.app.helpers import as_officer
from tests.app.tours.helpers import FAST, SUPERVISORS, inline, locate
from tests.conftest import Api


def planned(api: Api, factory: Any) -> dict[str, Any]:
    inline(api, factory)
    locate(api)
    body = {"start": "2021-11-08", "days": 7, "supervisors": SUPERVISORS, **FAST}
    job = api.post("/tours", as_="dispatcher", json=body).json()
    return dict(api.get(f"/tours/{job['plan_id']}", as_="dispatcher").json())


def test_workbook_has_a_sheet_per_supervisor_and_day(api: Api, published: int, session_factory: Any) -> None:
    plan = planned(api, session_factory)
    response = api.get(f"/tours/{plan['id']}/export.xlsx", as_="dispatcher")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="tours-{plan["id"]}-v1.xlsx"'
    wb = load_workbook(io.BytesIO(response.content))
    names = {s["id"]: s["name"] for s in plan["supervisors"]}
    sheets = wb.sheetnames
    assert sheets[0] == "汇总 Summary" and sheets[-1] == "未到达 Not reached"
    assert len(sheets) == len(plan["routes"]) + 2
    route = plan["routes"][0]
    ws = wb[f"{route['date']} {names[route['supervisor']]}"]
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    assert [r[2] for r in rows] == [v["site"] for v in route["visits"]]
    assert rows[0][3] == route["visits"][0]["arrival"][11:16]
    summary = list(wb["汇总 Summary"].iter_rows(min_row=4, values_only=True))
    assert len(summary) == len(plan["routes"])
    assert api.get(f"/tours/{plan['id']}/export.xlsx", as_="officer").status_code == 403


def test_day_sheet_lists_the_visits_in_order(api: Api, published: int, session_factory: Any) -> None:
    plan = planned(api, session_factory)
    route = plan["routes"][0]
    params = {"supervisor": route["supervisor"], "date": route["date"]}
    response = api.get(f"/tours/{plan['id']}/sheet.html", params=params, as_="dispatcher")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "督导检查单" in html and "Inspection tour sheet" in html
    names = {s["id"]: s["name"] for s in plan["sites"]}
    positions = [html.index(names[v["site"]]) for v in route["visits"]]
    assert positions == sorted(positions)
    assert route["visits"][0]["arrival"][11:16] in html
    bad = api.get(
        f"/tours/{plan['id']}/sheet.html", params={**params, "supervisor": "gz-09"}, as_="dispatcher"
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["path"] == "query.supervisor"
    off = api.get(
        f"/tours/{plan['id']}/sheet.html", params={**params, "date": "2021-12-01"}, as_="dispatcher"
    )
    assert off.status_code == 422
    own = api.get(f"/tours/{plan['id']}/sheet.html", params={**params, "supervisor": "gz-01"}, as_="officer")
    assert own.status_code == 200
    other = api.get(
        f"/tours/{plan['id']}/sheet.html", params={**params, "supervisor": "gz-02"}, as_="officer"
    )
    assert other.status_code == 403


def test_calendar_feed_includes_the_tour_visits(api: Api, published: int, session_factory: Any) -> None:
    plan = planned(api, session_factory)
    me = plan["routes"][0]["supervisor"]
    visits = [(r["date"], v) for r in plan["routes"] if r["supervisor"] == me for v in r["visits"]]
    url = api.post(f"/officers/{me}/calendar-feed", as_=as_officer(api, session_factory, me)).json()["url"]
    cal = Calendar.from_ical(api.get(url.removeprefix("http://testserver"), as_=None).content)
    tours = [e for e in cal.walk("VEVENT") if "/tour/" in str(e["UID"])]
    assert len(tours) == len(visits)
    first = sorted(tours, key=lambda e: e.decoded("dtstart"))[0]
    date, visit = min(visits, key=lambda x: x[1]["arrival"])
    assert first.decoded("dtstart").isoformat()[:16] == visit["arrival"][:16]
    assert first.decoded("dtstart").utcoffset().total_seconds() == 8 * 3600
    assert str(first["UID"]) == f"{me}/tour/{date}/{visit['site']}@police-roster"
    assert str(first["SUMMARY"]).startswith("督导检查 · ")
    assert len([e for e in cal.walk("VEVENT") if "/tour/" not in str(e["UID"])]) > 0  # the duties stay
