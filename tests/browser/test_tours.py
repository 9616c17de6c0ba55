"""A dispatcher plans the week's inspection tours for the Zhangye sample from the web page, sees
the posts drawn at their coordinates with each supervisor's route, the visits and the checkpoints
not reached, and opens a supervisor's printable day sheet."""

from __future__ import annotations

import time

import pytest

from data.zhangye_locations import LOCATIONS
from tests.browser.conftest import Pages
from tests.browser.service import Service

pytestmark = pytest.mark.browser

FIRST_DAY = "2021-11-08"
SUPERVISORS = ["hq-001", "hq-002", "hq-003", "hq-004", "hq-005"]


def ensure_published(service: Service) -> None:
    """The sample week published (the generate test may have done it already)."""
    if service.api("GET", "/duties", params={"start": FIRST_DAY, "limit": 1})["total"]:
        return
    job = service.api("POST", "/jobs", json={"start": FIRST_DAY, "days": 7}, as_="dispatcher")
    deadline = time.monotonic() + 180
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(1)
        job = service.api("GET", f"/jobs/{job['id']}", as_="dispatcher")
    assert job["status"] == "succeeded" and job["roster_id"], job
    service.api("POST", f"/rosters/{job['roster_id']}/publish", as_="dispatcher")


def test_plan_the_weeks_tours_see_the_map_and_print_a_day_sheet(pages: Pages, service: Service) -> None:
    from playwright.sync_api import expect

    ensure_published(service)
    posts = service.api("GET", "/posts", params={"limit": 500})["items"]
    located = {p["id"]: {"lat": LOCATIONS[p["id"]][0], "lon": LOCATIONS[p["id"]][1]} for p in posts}
    service.api("PUT", "/posts/locations", json={"locations": located})
    checkpoints = [p for p in posts if p["kind"] == "checkpoint"]

    dispatcher = pages.login("dispatcher")
    dispatcher.goto(service.url + "/ui/tours")
    expect(dispatcher.locator("#content h1")).to_have_text("督导检查路线")
    expect(dispatcher.locator("#tour-start")).to_have_value(FIRST_DAY)
    dispatcher.fill("#tour-supervisors", ", ".join(SUPERVISORS))
    dispatcher.click("#plan-week")
    expect(dispatcher.locator("#tour-job-status.succeeded")).to_be_visible(timeout=150_000)
    expect(dispatcher.locator("#tour-job-progress")).to_have_text("已规划 7/7 天")

    # ---- the map: every post at its coordinates, checkpoints large, routes in colour
    expect(dispatcher.locator("#tour-map circle.post.checkpoint")).to_have_count(len(checkpoints))
    expect(dispatcher.locator("#tour-map circle.post")).to_have_count(len(posts))
    expect(dispatcher.locator("#tour-map polygon.depot")).to_have_count(1)
    plan_id = int(dispatcher.locator("#plan-select").input_value())
    plan = service.api("GET", f"/tours/{plan_id}", as_="dispatcher")
    day_routes = [r for r in plan["routes"] if r["date"] == FIRST_DAY]
    assert day_routes, "the supervisors tour on Monday"
    expect(dispatcher.locator("#tour-map polyline.route")).to_have_count(len(day_routes))
    colours = {
        dispatcher.locator(
            f'#tour-map polyline.route[data-supervisor="{r["supervisor"]}"]'
        ).first.get_attribute("stroke")
        for r in day_routes
    }
    assert len(colours) == len({r["supervisor"] for r in day_routes})  # one colour per supervisor
    visits = sum(len(r["visits"]) for r in day_routes)
    expect(dispatcher.locator("#tour-visits tbody tr")).to_have_count(visits)
    expect(dispatcher.locator("#tour-map circle.post.visited")).to_have_count(
        len({v["site"] for r in day_routes for v in r["visits"]})
    )
    missed = [m for m in plan["missed"] if m["date"] == FIRST_DAY]
    if missed:
        expect(dispatcher.locator("#tour-missed tbody tr")).to_have_count(len(missed))
    else:
        expect(dispatcher.locator("#tour-missed")).to_contain_text("所有要求的检查均已安排")
    assert service.api("GET", f"/tours/{plan_id}/check", as_="dispatcher")["ok"]

    # ---- a supervisor's day sheet, ready to print
    first = day_routes[0]
    with dispatcher.expect_popup() as popup:
        dispatcher.click(f'#tour-legend .print-sheet[data-supervisor="{first["supervisor"]}"]')
    sheet = popup.value
    sheet.wait_for_load_state()
    expect(sheet.locator("h1")).to_contain_text("督导检查单")
    rows = sum(len(r["visits"]) for r in day_routes if r["supervisor"] == first["supervisor"])
    expect(sheet.locator("table.visits tbody tr")).to_have_count(rows)
    names = {s["id"]: s["name"] for s in plan["sites"]}
    expect(sheet.locator("table.visits tbody tr").first).to_contain_text(names[first["visits"][0]["site"]])

    # ---- another day, and the English page
    dispatcher.select_option("#day-select", "2021-11-10")
    routes_wed = [r for r in plan["routes"] if r["date"] == "2021-11-10"]
    expect(dispatcher.locator("#tour-map polyline.route")).to_have_count(len(routes_wed))
    dispatcher.click("#lang")
    expect(dispatcher.locator("#content h1")).to_have_text("Inspection tours")
