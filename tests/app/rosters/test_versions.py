"""Roster versions: publish and supersede, duties of a version, score analysis, exports."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import select

from solver.check import check_assignments, check_roster
from solver.explain import shortfall_reasons
from solver.io.load import load_scenario, scenario_from_dict
from solver.io.roster import roster_from_dict, shortfall_to_dict
from tests.app.helpers import new_draft
from tests.conftest import Api


def test_published_version(api: Api, published: int, small_roster_document: dict[str, Any]) -> None:
    roster = api.get(f"/rosters/{published}", as_="dispatcher").json()
    assert roster["status"] == "published" and roster["units"] == ["ganzhou", "hq"]
    assert roster["assignments"] == len(small_roster_document["assignments"])
    assert roster["objective"] == small_roster_document["objective"]
    listing = api.get("/rosters", params={"status": "published", "unit": "ganzhou"}).json()
    assert [r["id"] for r in listing["items"]] == [published]


def test_publishing_supersedes_day_by_day(
    api: Api, published: int, session_factory: Any, small_roster_document: dict[str, Any]
) -> None:
    from app.rosters.models import PublishedDay

    draft = new_draft(session_factory, small_roster_document)
    assert api.get(f"/rosters/{draft}").json()["status"] == "draft"
    assert api.get("/duties", params={"start": "2021-11-08"}).json()["items"][0]["roster_id"] == published
    assert api.post(f"/rosters/{draft}/publish", as_="hq_dispatcher").status_code == 403
    response = api.post(f"/rosters/{draft}/publish")
    assert response.status_code == 200 and response.json()["status"] == "published"
    assert api.get(f"/rosters/{published}").json()["status"] == "superseded"
    assert api.post(f"/rosters/{draft}/publish").status_code == 409
    with session_factory() as s:
        cells = list(s.scalars(select(PublishedDay)))
    assert len(cells) == 14 and {c.roster_id for c in cells} == {draft}
    assert {d["roster_id"] for d in api.get("/duties", params={"limit": 200}).json()["items"]} == {draft}
    # rolling back: the superseded version can be published again
    assert api.post(f"/rosters/{published}/publish").json()["status"] == "published"
    assert api.get(f"/rosters/{draft}").json()["status"] == "superseded"


def test_partial_supersede_keeps_other_units(
    api: Api, published: int, session_factory: Any, small_roster_document: dict[str, Any]
) -> None:
    draft = new_draft(session_factory, small_roster_document, units=["ganzhou"])
    assert api.post(f"/rosters/{draft}/publish", as_="dispatcher").status_code == 200
    assert api.get(f"/rosters/{published}").json()["status"] == "published"  # still published for hq


def test_delete(
    api: Api, published: int, session_factory: Any, small_roster_document: dict[str, Any]
) -> None:
    assert api.delete(f"/rosters/{published}").status_code == 409
    draft = new_draft(session_factory, small_roster_document)
    assert api.delete(f"/rosters/{draft}", as_="dispatcher").status_code == 403  # covers hq too
    assert api.delete(f"/rosters/{draft}").status_code == 204
    assert api.get(f"/rosters/{draft}").status_code == 404


def test_version_duties_include_drafts(
    api: Api, published: int, session_factory: Any, small_roster_document: dict[str, Any]
) -> None:
    draft = new_draft(session_factory, small_roster_document)
    duties = api.get(f"/rosters/{draft}/duties", params={"officer": "gz-01", "limit": 100}).json()
    expected = [a for a in small_roster_document["assignments"] if a["officer"] == "gz-01"]
    assert duties["total"] == len(expected)
    assert api.get("/rosters/999/duties").status_code == 404


def test_version_shortfalls_with_reasons_include_drafts(
    api: Api, published: int, session_factory: Any, small_roster_document: dict[str, Any]
) -> None:
    from tests.conftest import EXAMPLE_SMALL

    # the solved roster less every officer of one slot: a draft with a short slot and its reason
    roster, _ = roster_from_dict(small_roster_document)
    first = roster.assignments[0]
    kept = [
        a for a in roster.assignments if (a.post, a.shift, a.date) != (first.post, first.shift, first.date)
    ]
    scenario = load_scenario(EXAMPLE_SMALL)
    short = shortfall_reasons(scenario, kept, check_assignments(scenario, kept).shortfalls)
    assert any(s.post == first.post and s.date == first.date for s in short)
    document = {
        **small_roster_document,
        "assignments": [
            a
            for a in small_roster_document["assignments"]
            if a
            in [
                {"officer": k.officer, "post": k.post, "shift": k.shift, "date": k.date.isoformat()}
                for k in kept
            ]
        ],
        "shortfalls": [shortfall_to_dict(s) for s in short],
    }
    draft = new_draft(session_factory, document)
    listing = api.get(f"/rosters/{draft}/shortfalls", as_="dispatcher").json()
    assert listing["total"] == len(short)
    got = {(x["post"], x["shift"], x["date"], x["missing"], x["skill"]) for x in listing["items"]}
    assert got == {(s.post, s.shift, s.date.isoformat(), s.missing, s.skill) for s in short}
    item = next(
        x for x in listing["items"] if x["post"] == first.post and x["date"] == first.date.isoformat()
    )
    assert item["reason"] and item["reason_zh"] and item["post_name"] and item["unit"]
    assert api.get(f"/rosters/{draft}/shortfalls", params={"unit": "no-such-unit"}).json()["total"] == 0
    assert api.get("/rosters/999/shortfalls").status_code == 404
    # published, the same reasons show in the coverage report
    assert api.post(f"/rosters/{draft}/publish").status_code == 200
    report = api.get("/reports/coverage", params={"start": "2021-11-08"}).json()
    day = next(d for d in report["days"] if d["date"] == item["date"] and d["unit"] == item["unit"])
    assert {k: v for k, v in item.items() if k not in ("date", "unit")} in day["shortfalls"]


def test_version_needs_are_its_own_scenarios_slots(
    api: Api, published: int, small_roster_document: dict[str, Any]
) -> None:
    from solver.io.load import scenario_from_dict

    scenario = scenario_from_dict(api.get(f"/rosters/{published}/scenario.json").json())
    whole = api.get(f"/rosters/{published}/needs").json()
    assert (whole["start"], whole["end"]) == ("2021-11-08", "2021-11-15")
    assert [(n["post"], n["date"], n["shift"], n["min"], n["max"], n["skills"]) for n in whole["slots"]] == [
        (s.post, s.date.isoformat(), s.shift, s.min, s.max, dict(s.skills)) for s in scenario.slots()
    ]
    tuesday = api.get(
        f"/rosters/{published}/needs", params={"start": "2021-11-09", "end": "2021-11-10", "unit": "ganzhou"}
    ).json()["slots"]
    assert tuesday and {(n["date"], n["unit"]) for n in tuesday} == {("2021-11-09", "ganzhou")}
    report = api.get(
        "/reports/coverage", params={"start": "2021-11-09", "end": "2021-11-10", "needs": "true"}
    )
    day = next(d for d in report.json()["days"] if d["unit"] == "ganzhou")
    assert day["needs"] == tuesday and len(tuesday) == day["slots"]
    bad = api.get(f"/rosters/{published}/needs", params={"start": "2021-11-10", "end": "2021-11-09"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["path"] == "query.end"
    assert api.get("/rosters/999/needs").status_code == 404
    assert api.get(f"/rosters/{published}/needs", as_="officer").status_code == 403


def test_score_analysis_matches_the_solver(
    api: Api, published: int, small_roster_document: dict[str, Any]
) -> None:
    analysis = api.get(f"/rosters/{published}/score").json()
    assert analysis["total"] == small_roster_document["score"]["total"]
    assert analysis["matches_solver"] is True and analysis["violations"] == []
    by_term = {t["term"]: t for t in analysis["terms"]}
    for term in ("shortfall", "requests", "fairness", "continuity", "changes"):
        assert by_term[term]["total"] == small_roster_document["score"][term]
    mine = api.get(f"/rosters/{published}/score", params={"officer": "gz-01"}).json()
    assert all(c["officer"] == "gz-01" for t in mine["terms"] for c in t["contributions"])


def test_exports(api: Api, published: int, small_roster_document: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    xlsx = api.get(f"/rosters/{published}/export.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["汇总 Summary", "甘州大队"]
    grid = book["甘州大队"]
    assert grid["A3"].value.startswith("G30张掖东收费站检查点")
    assert "夜班 00:00:" in grid["B3"].value
    # the summary in the duty office's words: status, unit names, the bound, local times with the zone
    summary = {
        row[0]: row[1] for row in book["汇总 Summary"].iter_rows(min_row=3, max_col=2, values_only=True)
    }
    assert summary["状态 Status"] == "已发布 published"
    assert "甘州大队" in summary["单位 Units"] and "ganzhou" not in summary["单位 Units"]
    assert "None" not in summary["求解 Solver"] and "下界 bound" in summary["求解 Solver"]
    published_at = api.get(f"/rosters/{published}").json()["published_at"]
    assert summary["发布 Published"].endswith("(Asia/Shanghai)")
    assert summary["发布 Published"] != published_at[:16].replace("T", " ") + " (Asia/Shanghai)"  # not UTC
    assert "合计 total" in summary

    text = api.get(f"/rosters/{published}/export.csv").content.decode("utf-8")
    assert text.startswith("\ufeffdate,shift,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(small_roster_document["assignments"])
    assert rows[0]["start"].endswith("+08:00")

    roster_doc = api.get(f"/rosters/{published}/roster.json").json()
    scenario_doc = api.get(f"/rosters/{published}/scenario.json").json()
    scenario = scenario_from_dict(scenario_doc)
    roster, claimed = roster_from_dict(roster_doc)
    assert check_roster(scenario, roster, claimed).violations == ()
    assert len(scenario.baseline) == len(roster.assignments)
