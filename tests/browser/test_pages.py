"""The web UI in headless Chromium against the running service, as its users use it.

The main story (one test, since each step needs the one before): a dispatcher generates the
sample week, watches the progress chart, reviews and publishes the draft, sees the grid and who
is on duty; an officer asks to swap a duty, the colleague accepts on a phone, the dispatcher
approves it in the inbox, and the grid shows the swap. Every page must log no console error.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests.browser.conftest import Pages
from tests.browser.service import NOW, Service

pytestmark = pytest.mark.browser

FIRST_DAY = "2021-11-08"


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def test_login_roles_and_language(pages: Pages, service: Service) -> None:
    pages.allow(r"status of 401")  # the wrong password below
    page = pages.new()
    page.goto(service.url + "/")
    expect(page).to_have_url(re.compile(r"/ui/login\?next=%2Fui%2Froster"))
    expect(page.locator("#content h1")).to_have_text("登录")
    page.fill("#username", "dispatcher")
    page.fill("#password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.locator("#login-error")).to_have_text("用户名或密码不正确")

    page.fill("#password", service.passwords["dispatcher"])
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/ui/roster(\?start=[0-9-]+)?$"))  # the page writes its week in
    nav = page.locator("#nav a")
    expect(nav).to_have_text(
        ["排班表", "生成排班", "申请审批", "当前在岗", "督导检查", "等级勤务", "调度台", "操作日志", "执勤组"]
    )
    expect(page.locator("#who")).to_have_text("dispatcher · 调度员")

    page.click("#lang")
    expect(nav).to_have_text(
        [
            "Roster",
            "Generate",
            "Requests",
            "On duty now",
            "Tours",
            "Duty levels",
            "Duty office",
            "Audit log",
            "Groups",
        ]
    )
    expect(page.locator("#filters")).to_contain_text("Post kind")
    page.click("#lang")
    expect(nav.first).to_have_text("排班表")

    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/ui/login$"))
    page.goto(service.url + "/ui/generate")
    expect(page).to_have_url(re.compile(r"/ui/login\?next=%2Fui%2Fgenerate"))


def test_an_officer_cannot_reach_the_dispatcher_pages(pages: Pages, service: Service) -> None:
    username, password = service.officer_account("gz-010")
    page = pages.login(username, password)
    expect(page).to_have_url(re.compile(r"/ui/me$"))
    expect(page.locator("#nav a")).to_have_text(["排班表", "我的排班", "当前在岗", "督导检查"])
    for path in ("/ui/generate", "/ui/inbox", "/ui/levels", "/ui/office", "/ui/audit", "/ui/groups"):
        page.goto(service.url + path)
        expect(page.locator("#denied")).to_be_visible()
        expect(page.locator("#denied h1")).to_have_text("无权访问")
        expect(page.locator("#content")).to_be_hidden()
    pages.allow(r"status of 403")  # the API itself refuses, whatever the page does
    status = page.evaluate(
        """() => fetch('/jobs', {headers: {Authorization: 'Bearer ' + localStorage.getItem('roster.token')}})
                 .then((r) => r.status)"""
    )
    assert status == 403


def ready(page: Any) -> None:
    """Wait until the page has loaded what it shows first (its module sets body[data-ready])."""
    page.wait_for_selector("body[data-ready]", state="attached")


def cell(page: Any, duty: dict[str, Any]) -> Any:
    return page.locator(f'#grid td[data-key="{duty["post"]}|{duty["date"]}|{duty["shift"]}"]')


def test_generate_publish_swap_approve(pages: Pages, service: Service) -> None:
    # ---- a dispatcher generates the sample week and watches it solve
    dispatcher = pages.login("dispatcher")
    dispatcher.goto(service.url + "/ui/generate")
    expect(dispatcher.locator("#units input:checked")).to_have_count(7)
    expect(dispatcher.locator("#start")).to_have_value(FIRST_DAY)
    dispatcher.click("#start-job")
    expect(dispatcher.locator("#job-card")).to_be_visible()
    expect(dispatcher.locator("svg.chart circle.dot.objective")).to_be_visible(timeout=30_000)
    expect(dispatcher.locator("#job-objective")).not_to_have_text("–")

    # ---- reviews the draft and publishes it
    expect(dispatcher.locator("#review-card")).to_be_visible(timeout=90_000)
    expect(dispatcher.locator("#job-status")).to_have_text("已完成")
    expect(dispatcher.locator("#review-status")).to_have_text("草稿")
    expect(dispatcher.locator("#review")).to_contain_text("全部硬性规则通过")
    expect(dispatcher.locator("#review")).to_contain_text("甘州大队")  # fairness per unit
    roster_id = int(dispatcher.locator("#review-title").inner_text().split()[0].lstrip("#"))
    # the draft's short slots carry the solver's reasons before anything is published
    for short in service.api("GET", f"/rosters/{roster_id}/shortfalls")["items"][:3]:
        expect(dispatcher.locator("#review .short-list")).to_contain_text(short["reason_zh"])
    dispatcher.click("#publish")
    expect(dispatcher.locator("#review-status")).to_have_text("已发布")
    roster = service.api("GET", f"/rosters/{roster_id}")
    assert roster["status"] == "published"

    # ---- sees the grid: 87 posts, names in the cells, short slots with the solver's reason
    dispatcher.click("#open-grid")
    expect(dispatcher).to_have_url(re.compile(r"/ui/roster\?start=2021-11-08"))
    expect(dispatcher.locator("#summary")).to_contain_text("87 个岗位")
    expect(dispatcher.locator("#summary")).to_contain_text(f"{roster['assignments']} 人次")
    expect(dispatcher.locator("#grid tbody tr.group").first).to_contain_text("甘州大队")
    report = service.api("GET", "/reports/coverage", params={"start": FIRST_DAY})
    short = [(day, s) for day in report["days"] for s in day["shortfalls"]]
    marked = dispatcher.locator("#grid td.short, #grid td.skill-short")
    expect(marked).to_have_count(len({(d["date"], s["post"], s["shift"]) for d, s in short}))
    if short:
        day, first = short[0]
        slot = dispatcher.locator(f'#grid td[data-key="{first["post"]}|{day["date"]}|{first["shift"]}"]')
        assert first["reason_zh"] in (slot.get_attribute("title") or "")
        slot.click()
        expect(dispatcher.locator("#cell-dialog")).to_contain_text(first["reason_zh"])
        dispatcher.click("#cell-dialog button[value=close]")
    dispatcher.fill("#officer", "gz-001")
    expect(dispatcher.locator("#grid .name.hit").first).to_be_visible()
    dispatcher.fill("#officer", "")

    # ---- who is on duty at 03:00 on Tuesday
    dispatcher.goto(service.url + "/ui/now?at=2021-11-09T03:00")
    on_duty = service.api("GET", "/on-duty", params={"at": "2021-11-09T03:00"})
    expect(dispatcher.locator("#now-summary")).to_contain_text(f"{on_duty['count']} 人在岗")
    expect(dispatcher.locator("#now-list .post-card").first).to_be_visible()

    # ---- an officer asks to swap a duty with a colleague
    mine, theirs = service.swappable_duties()
    officer_name, officer_password = service.officer_account(mine["officer"])
    partner_name, partner_password = service.officer_account(theirs["officer"])
    officer = pages.login(officer_name, officer_password)
    expect(officer).to_have_url(re.compile(r"/ui/me$"))
    expect(officer.locator("#me-who")).to_contain_text(NOW.replace("T", " "))
    row = officer.locator(f'.duty[data-key="{mine["post"]}|{mine["date"]}|{mine["shift"]}"]')
    row.locator("[data-cover]").click()  # who could cover it: ranked, with the rules that exclude others
    expect(officer.locator("#cover-list input[name=to]:not([disabled])").first).to_be_visible()
    officer.click("#cover-dialog [data-close]")
    row.locator("[data-swap]").click()
    expect(officer.locator("#swap-dialog")).to_be_visible()
    expect(officer.locator("#swap-list")).not_to_have_attribute("aria-busy", "true")
    officer.select_option("#swap-day", theirs["date"])
    officer.fill("#swap-q", theirs["officer_name"])
    key = f"{theirs['post']}|{theirs['date']}|{theirs['shift']}|{theirs['officer']}"
    officer.locator(f'#swap-list input[data-key="{key}"]').check()
    officer.fill("#swap-reason", "家中有事")
    officer.click("#swap-form button[type=submit]")
    expect(officer.locator("#flash")).to_contain_text("换班申请已提交")
    expect(officer.locator("#my-changes .request").first).to_contain_text("已提交")

    officer.click("#feed-button")  # the calendar subscription
    feed = officer.locator("#feed-url")
    expect(feed).to_have_value(re.compile(r"/ical/.+\.ics$"))
    calendar = httpx.get(feed.input_value(), timeout=10)
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in calendar.text

    # ---- the colleague accepts it on a phone
    partner = pages.login(partner_name, partner_password, phone=True)
    expect(partner.locator("#incoming-card")).to_be_visible()
    expect(partner.locator("#incoming")).to_contain_text(mine["officer_name"])
    partner.click("#incoming [data-accept]")
    expect(partner.locator("#flash")).to_contain_text("已同意")

    # ---- the dispatcher sees the rule check and approves it
    dispatcher.goto(service.url + "/ui/inbox")
    request = dispatcher.locator(".request").first
    expect(request).to_contain_text("对方已同意")
    expect(request).to_contain_text("符合全部硬性规则")
    expect(request).to_contain_text("家中有事")
    request.locator("textarea").fill("同意")
    request.locator("[data-approve]").click()
    expect(dispatcher.locator("#flash")).to_contain_text("已批准")
    dispatcher.click("[data-tab=done]")
    expect(dispatcher.locator(".request").first).to_contain_text("已生效")

    # ---- and the grid shows the swap
    dispatcher.goto(service.url + f"/ui/roster?start={FIRST_DAY}&unit=ganzhou")
    expect(cell(dispatcher, mine)).to_contain_text(theirs["officer_name"])
    expect(cell(dispatcher, mine)).not_to_contain_text(mine["officer_name"])
    expect(cell(dispatcher, theirs)).to_contain_text(mine["officer_name"])

    # ---- the officer asks for leave; the dispatcher sees the re-planned duties and rejects it
    officer.reload()
    ready(officer)
    # the leave starts on a day the officer holds a duty after the swap (the roster a job gives
    # is not fixed), so the re-plan has a duty to take away
    held = service.api("GET", "/duties", params={"officer": mine["officer"], "start": "2021-11-10"})["items"]
    assert held, "the officer holds no duty after now"
    leave_from = min(date.fromisoformat(d["date"]) for d in held)
    leave_to = min(leave_from + timedelta(days=3), date(2021, 11, 15))
    officer.click("#leave-button")
    officer.fill("#leave-start", f"{leave_from.isoformat()}T00:00")
    officer.fill("#leave-end", f"{leave_to.isoformat()}T00:00")
    officer.fill("#leave-reason", "探亲")
    officer.click("#leave-form button[type=submit]")
    expect(officer.locator("#flash")).to_contain_text("请假申请已提交")
    dispatcher.goto(service.url + "/ui/inbox")
    leave = dispatcher.locator(".request", has_text="探亲")
    expect(leave.locator(".diff")).to_contain_text("重新规划方案", timeout=90_000)
    expect(leave.locator(".diff .removed").first).to_be_visible()
    leave.locator("[data-reject]").click()
    expect(dispatcher.locator("#flash")).to_contain_text("请填写理由")
    leave.locator("textarea").fill("本周警力不足")
    leave.locator("[data-reject]").click()
    expect(dispatcher.locator("#flash")).to_contain_text("已驳回")
    officer.reload()
    ready(officer)
    rejected = officer.locator("#my-changes .request", has_text="探亲")
    expect(rejected).to_contain_text("已驳回")
    expect(rejected).to_contain_text("本周警力不足")

    # ---- the officer's phone shows the roster one day at a time
    partner.goto(service.url + f"/ui/roster?start={FIRST_DAY}")
    expect(partner.locator("#daylist .post-card").first).to_be_visible()
    expect(partner.locator("#grid-wrap")).to_be_hidden()
    partner.locator(f'#daylist [data-day="{mine["date"]}"]').click()
    expect(
        partner.locator(f'#daylist li[data-key="{mine["post"]}|{mine["date"]}|{mine["shift"]}"]')
    ).to_contain_text(theirs["officer_name"])
