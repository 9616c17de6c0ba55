"""The roster grid marks each slot's duty leader (带班) and opens the unit's day sheet (勤务表) to
print, with the leader marked and its print button working under the CSP."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Pages
from tests.browser.service import Service

pytestmark = pytest.mark.browser
DAY = "2021-11-08"


def test_the_grid_marks_leaders_and_opens_the_day_sheet(pages: Pages, service: Service) -> None:
    from playwright.sync_api import expect

    service.published_week()
    duties = service.api(
        "GET", "/duties", params={"unit": "ganzhou", "start": DAY, "end": "2021-11-09", "limit": 500}
    )
    leaders = [d for d in duties["items"] if d["leader"]]
    assert leaders, "the sample's checkpoints need a duty leader on every shift"
    page = pages.login("dispatcher")
    page.goto(f"{service.url}/ui/roster?start={DAY}&unit=ganzhou")
    page.wait_for_selector("body[data-ready]", state="attached")
    expect(page.locator("#grid .name.leader .lead").first).to_have_text("带")

    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))
    with page.expect_popup() as opened:
        page.locator(f'#grid th.day .day-sheet[data-day="{DAY}"]').click()
    sheet: Any = opened.value
    sheet.wait_for_load_state()
    expect(sheet.locator("h1")).to_have_text("甘州大队勤务表")
    expect(sheet.locator("tr.duty[data-leader] .leader-mark")).to_have_count(len(leaders))
    first = leaders[0]
    expect(
        sheet.locator(f'tr.duty[data-officer="{first["officer"]}"][data-leader] .officer')
    ).to_contain_text(first["officer_name"])
    expect(sheet.locator(".sign")).to_contain_text("值班领导签字")
    expect(sheet.locator("button[data-print]")).to_be_visible()
    assert any(url.endswith("/static/js/print.js") for url in requested), requested
