"""A dispatcher runs a day in the web page, in Chinese (issue 17): a sick call from 07:00 that
leaves a slot short, a cover from the roster grid for that slot, and the audit log showing both."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import Pages
from tests.browser.service import NOW, Service

pytestmark = pytest.mark.browser

TODAY = NOW[:10]  # 2021-11-09, the service's fixed "now" is its noon
SICK_FROM = f"{TODAY}T07:00"
SICK_UNTIL = "2021-11-10T07:00"


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def ready(page: Any) -> None:
    page.wait_for_selector("body[data-ready]", state="attached")


def key(duty: dict[str, Any]) -> str:
    return f"{duty['post']}|{duty['date']}|{duty['shift']}"


def sick_officer(service: Service) -> dict[str, Any]:
    """A ganzhou officer's duty after now and inside the sick call, in a slot staffed at its
    minimum (so it goes short), which another officer could take; the officer works nothing
    between 07:00 and now (the sick call cancels only duties still to come)."""
    params = {"unit": "ganzhou", "start": TODAY, "end": "2021-11-11", "limit": 500}
    duties = service.api("GET", "/duties", params=params)["items"]
    home = {
        o["id"] for o in service.api("GET", "/officers", params={"unit": "ganzhou", "limit": 500})["items"]
    }
    started = {d["officer"] for d in duties if d["start"][:16] < NOW and d["end"][:16] > SICK_FROM}
    per_slot: dict[str, int] = {}
    for d in duties:
        per_slot[key(d)] = per_slot.get(key(d), 0) + 1
    posts: dict[str, Any] = {}
    for d in duties:
        if d["officer"] not in home or d["officer"] in started:
            continue
        if not (NOW < d["start"][:16] < SICK_UNTIL):
            continue
        post = posts.setdefault(d["post"], service.api("GET", f"/posts/{d['post']}"))
        minimum = sum(c["min"] for c in post["coverage"] if c["shift"] == d["shift"])
        if per_slot[key(d)] != minimum:
            continue
        cover = service.api("GET", "/cover", params={k: d[k] for k in ("post", "shift", "date", "officer")})
        if any(c["can"] for c in cover["candidates"]):
            return d
    raise AssertionError("no ganzhou duty a sick call would leave short and someone could cover")


def test_a_dispatcher_runs_a_day_in_chinese(pages: Pages, service: Service) -> None:
    service.published_week()
    duty = sick_officer(service)
    page = pages.login("dispatcher")

    # the sick call: 病假 from 07:00, its duties dropped and left short (filled by hand below)
    page.goto(service.url + "/ui/office")
    ready(page)
    page.select_option("#leave-unit", "ganzhou")
    page.select_option("#leave-officer", duty["officer"])
    page.select_option("#leave-type", "sick")
    page.fill("#leave-start", SICK_FROM)
    page.fill("#leave-end", SICK_UNTIL)
    page.dispatch_event("#leave-end", "change")
    expect(page.locator(f'#leave-affected li[data-duty="{key(duty)}"]')).to_contain_text(duty["post_name"])
    page.uncheck("#leave-restaff")
    page.click("#leave-submit")
    card = page.locator("#leave-result .request")
    expect(card.locator("h3")).to_contain_text("请假")
    expect(card).to_contain_text(f"{SICK_FROM.replace('T', ' ')} 至 {SICK_UNTIL.replace('T', ' ')}")
    expect(card.locator(f'.affected li.removed[data-duty="{key(duty)}"]')).to_contain_text(
        duty["officer_name"]
    )
    expect(card.locator(".affected")).to_contain_text("未自动补位")
    card.locator("[data-approve]").click()
    expect(card.locator(".badge")).to_have_text("已生效")

    # the short slot it leaves, filled from the grid: red cell → who can cover → pick → approved
    card.locator("a.button").click()
    ready(page)
    cell = page.locator(f'#grid td[data-key="{key(duty)}"]')
    expect(cell).to_have_class(re.compile(r"\bshort\b"))
    expect(cell).not_to_contain_text(duty["officer_name"])
    cell.click()
    page.click("#fill-open")
    listing = page.locator("#fill-list")
    expect(listing.locator("li.list-head").first).to_contain_text("可代班")
    sick = listing.locator(f'li[data-officer="{duty["officer"]}"]')
    expect(sick.locator("input")).to_be_disabled()  # away sick: cannot take it
    choice = listing.locator("input[name=to]:not([disabled])").first
    taker = choice.get_attribute("aria-label")
    choice.check()
    page.click("#fill-submit")
    expect(page.locator("#flash")).to_contain_text(f"已补位：{taker}")
    expect(cell).not_to_have_class(re.compile(r"\bshort\b"))
    expect(cell).to_contain_text(taker)

    # the audit log shows both, in Chinese, filtered to the dispatcher's own steps
    page.goto(service.url + "/ui/audit")
    ready(page)
    page.fill("#actor", "dispatcher")
    page.dispatch_event("#actor", "change")
    page.select_option("#action", "change.applied")
    table = page.locator("#audit-table")
    applied = table.locator('tr[data-action="change.applied"]')
    expect(table.locator('tbody tr:not([data-action="change.applied"])')).to_have_count(0)
    expect(applied.filter(has_text="请假")).to_have_count(1)  # the sick call
    expect(applied.filter(has_text="代班")).to_have_count(1)  # the cover from the grid
    expect(applied.first).to_contain_text("生效")
    page.select_option("#kind", "cover")
    page.select_option("#action", "duty.")
    expect(page.locator('#audit-table tr[data-action="duty.added"]').first).to_contain_text(taker)
    expect(page.locator("#audit-table")).not_to_contain_text(re.compile(r"duty\.added|change\.applied"))
