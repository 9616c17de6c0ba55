"""Duty levels in the web page (issue 14): a dispatcher declares 一级 for a unit and a day, sees the
impact first (a slot closed, the re-planned roster's diff), approves it; the roster grid changes and
the officer who lost the duty finds it in the notifications (the header's badge)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import Pages
from tests.browser.service import Service

pytestmark = pytest.mark.browser

DAY = "2021-11-11"


@pytest.fixture(scope="module")
def service(chromium: str) -> Iterator[Service]:
    """A service of its own: the level declared here stays in force on the sample week, and the
    other browser tests read that week without it."""
    running = Service().start()
    yield running
    running.stop()
    shutil.rmtree(running.folder, ignore_errors=True)


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def ready(page: Any) -> None:
    page.wait_for_selector("body[data-ready]", state="attached")


def closed_duty(service: Service) -> dict[str, Any]:
    """A published ganzhou day duty on DAY whose shift 一级 closes at its post (set here)."""
    officers = {
        o["id"] for o in service.api("GET", "/officers", params={"unit": "ganzhou", "limit": 500})["items"]
    }
    posts = {
        p["id"]: p for p in service.api("GET", "/posts", params={"unit": "ganzhou", "limit": 500})["items"]
    }
    params = {"unit": "ganzhou", "start": DAY, "end": "2021-11-12", "shift": "D", "limit": 500}
    for duty in service.api("GET", "/duties", params=params)["items"]:
        post = posts.get(duty["post"])
        entries = [c for c in post["coverage"] if c["shift"] == "D"] if post else []
        if duty["officer"] in officers and len(entries) == 1 and entries[0]["days"] is None:
            coverage = [
                {**c, "min": 0, "max": 0, "skills": {}} if c["shift"] == "D" else c for c in post["coverage"]
            ]
            service.api("PUT", f"/duty-levels/level1/coverage/{post['id']}", as_="dispatcher", json=coverage)
            return dict(duty)
    raise AssertionError("no ganzhou day duty to close")


def test_a_dispatcher_declares_level1_sees_the_impact_approves_and_the_officer_is_told(
    pages: Pages, service: Service
) -> None:
    service.published_week()
    duty = closed_duty(service)
    cell = f'td[data-key="{duty["post"]}|{DAY}|D"]'

    page = pages.login("dispatcher")
    page.goto(service.url + "/ui/roster?start=2021-11-08&unit=ganzhou")
    ready(page)
    expect(page.locator(f"{cell} .name", has_text=duty["officer_name"])).to_have_count(1)

    page.goto(service.url + "/ui/levels")
    ready(page)
    expect(page.locator('#level-table tr[data-level="level1"] th')).to_have_text("一级")
    for box in page.locator("#level-units input").all():
        box.uncheck()
    page.locator('#level-units input[value="ganzhou"]').check()
    page.select_option("#level", "level1")
    page.fill("#level-start", DAY)
    page.fill("#level-end", "2021-11-12")
    page.fill("#level-reason", "疫情防控 启动一级勤务")
    page.click("#show-impact")

    # the impact first: the closed slot, then the re-planned roster as a diff (a job)
    impact = page.locator("#impact-card")
    expect(impact.locator("#impact-slots")).to_have_attribute("data-removed", "1")
    expect(impact.locator("#impact-slots")).to_contain_text("取消 1 个班次")
    expect(impact.locator(".diff")).to_be_visible(timeout=150_000)
    expect(impact.locator(".diff tr", has_text=duty["officer_name"]).locator(".removed")).not_to_have_count(0)
    approve = page.locator("#approve")
    expect(approve).to_be_enabled()
    approve.click()
    expect(page.locator("#flash")).to_contain_text("已批准")
    change_id = impact.get_attribute("data-change")
    row = page.locator(f'#declarations tr[data-change="{change_id}"]')
    expect(row).to_contain_text("已生效")
    expect(row).to_contain_text("一级")

    # the grid: nobody on the closed shift any more
    page.goto(service.url + "/ui/roster?start=2021-11-08&unit=ganzhou")
    ready(page)
    # closed at the level: an empty cell, neither a slot nor short (the grid reads the needs of the
    # version published for that day, not the post's normal coverage), and it marks short exactly
    # what the coverage report counts
    expect(page.locator(cell)).to_have_count(0)
    report = service.api("GET", "/reports/coverage", params={"start": "2021-11-08", "unit": "ganzhou"})
    short = {(day["date"], s["post"], s["shift"]) for day in report["days"] for s in day["shortfalls"]}
    expect(page.locator("#grid td.short, #grid td.skill-short")).to_have_count(len(short))
    # and on duty now: the closed post is not listed among the posts nobody staffs
    page.goto(service.url + f"/ui/now?at={DAY}T10:00&unit=ganzhou")
    ready(page)
    expect(page.locator("#now-list .post-card").first).to_be_visible()
    expect(page.locator("#now-list .post-card.short", has_text=duty["post_name"])).to_have_count(0)

    # the officer who lost the duty: the badge, and the notification naming the level
    username, password = service.officer_account(duty["officer"])
    officer = pages.login(username, password)
    ready(officer)
    expect(officer.locator("#bell")).to_be_visible()
    assert int(officer.locator("#bell-count").inner_text()) >= 1
    told = officer.locator("#notify-list li.unread", has_text="等级勤务")
    expect(told.first).to_be_visible()
    expect(told.first).to_contain_text("取消")
