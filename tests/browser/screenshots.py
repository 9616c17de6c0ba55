"""Screenshots of the web UI for docs/web.md: `python -m tests.browser.screenshots [FOLDER]`.

Starts the service on the sample week (like the browser tests), walks through the pages as a
dispatcher and two officers in headless Chromium (zh-CN; one page in English; phone views at
390×844) and writes PNG files into FOLDER (default docs/screenshots). Takes about a minute.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect, sync_playwright

from tests.browser.service import CHROMIUM, CHROMIUM_ARGS, REPO, Service

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
FIRST_DAY = "2021-11-08"


class Camera:
    def __init__(self, browser: Any, service: Service, folder: Path) -> None:
        self.browser = browser
        self.service = service
        self.folder = folder
        self.errors: list[str] = []

    def page(self, phone: bool = False, lang: str = "zh-CN") -> Page:
        context = self.browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=2 if phone else 1,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: d.accept())
        if lang != "zh-CN":
            page.goto(f"{self.service.url}/ui/login")
            page.evaluate(f"localStorage.setItem('roster.lang', '{lang}')")
        return page

    def login(
        self, username: str, password: str | None = None, phone: bool = False, lang: str = "zh-CN"
    ) -> Page:
        page = self.page(phone, lang)
        page.goto(f"{self.service.url}/ui/login")
        page.fill("#username", username)
        page.fill("#password", password or self.service.passwords[username])
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/ui/login" not in url)
        return page

    def shoot(self, page: Page, name: str, full: bool = False, settle: bool = True) -> None:
        if settle:  # not while a job streams its progress: the stream keeps the network busy
            page.wait_for_load_state("networkidle")
        page.wait_for_timeout(400)
        path = self.folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full)
        print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")


def visit(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready]", state="attached")


def run(camera: Camera) -> None:
    url = camera.service.url
    login = camera.page()
    login.goto(f"{url}/ui/login")
    login.fill("#username", "dispatcher")
    camera.shoot(login, "login")

    dispatcher = camera.login("dispatcher")
    visit(dispatcher, f"{url}/ui/generate")
    dispatcher.click("#start-job")
    expect(dispatcher.locator("svg.chart circle.dot.objective")).to_be_visible(timeout=30_000)
    dispatcher.wait_for_function(  # until the curve shows the search improving on the first roster
        "() => Number(document.querySelector('#job-elapsed').textContent.split(' ')[0]) > 8",
        timeout=60_000,
    )
    camera.shoot(dispatcher, "generate-progress", settle=False)
    expect(dispatcher.locator("#review-card")).to_be_visible(timeout=120_000)
    dispatcher.locator("#review-card").scroll_into_view_if_needed()
    camera.shoot(dispatcher, "generate-review", full=True)
    dispatcher.click("#publish")
    expect(dispatcher.locator("#review-status")).to_have_text("已发布")

    visit(dispatcher, f"{url}/ui/roster?start={FIRST_DAY}")
    expect(dispatcher.locator("#grid td.cell").first).to_be_visible()
    camera.shoot(dispatcher, "roster")
    visit(dispatcher, f"{url}/ui/roster?start={FIRST_DAY}&short=1")
    short = dispatcher.locator("#grid td.short, #grid td.skill-short")
    if short.count():
        short.first.click()
        expect(dispatcher.locator("#cell-dialog")).to_be_visible()
    camera.shoot(dispatcher, "roster-short-reason")

    visit(dispatcher, f"{url}/ui/now?at=2021-11-09T03:00")
    expect(dispatcher.locator("#now-list .post-card").first).to_be_visible()
    camera.shoot(dispatcher, "now")

    mine, theirs = camera.service.swappable_duties()
    officer = camera.login(*camera.service.officer_account(mine["officer"]))
    expect(officer.locator(".duty").first).to_be_visible()
    camera.shoot(officer, "me")
    officer.locator(f'.duty[data-key="{mine["post"]}|{mine["date"]}|{mine["shift"]}"] [data-swap]').click()
    expect(officer.locator("#swap-list")).not_to_have_attribute("aria-busy", "true")
    officer.select_option("#swap-day", theirs["date"])
    key = f"{theirs['post']}|{theirs['date']}|{theirs['shift']}|{theirs['officer']}"
    officer.locator(f'#swap-list input[data-key="{key}"]').check()
    officer.fill("#swap-reason", "孩子生病，需要陪护")
    camera.shoot(officer, "me-swap")
    officer.click("#swap-form button[type=submit]")
    expect(officer.locator("#flash")).to_be_visible()
    officer.click("#leave-button")
    officer.fill("#leave-start", "2021-11-13T00:00")
    officer.fill("#leave-end", "2021-11-15T00:00")
    officer.fill("#leave-reason", "探亲")
    officer.click("#leave-form button[type=submit]")
    expect(officer.locator("#my-changes .request")).to_have_count(2)

    partner = camera.login(*camera.service.officer_account(theirs["officer"]), phone=True)
    expect(partner.locator("#incoming [data-accept]")).to_be_visible()
    camera.shoot(partner, "me-phone", full=True)
    partner.click("#incoming [data-accept]")
    expect(partner.locator("#flash")).to_be_visible()
    visit(partner, f"{url}/ui/roster?start={FIRST_DAY}")
    expect(partner.locator("#daylist .post-card").first).to_be_visible()
    camera.shoot(partner, "roster-phone")

    visit(dispatcher, f"{url}/ui/inbox")
    expect(dispatcher.locator(".request")).to_have_count(2)
    expect(dispatcher.locator(".diff")).to_be_visible(timeout=120_000)
    camera.shoot(dispatcher, "inbox", full=True)

    english = camera.login("dispatcher", lang="en")
    visit(english, f"{url}/ui/roster?start={FIRST_DAY}&unit=sunan")
    expect(english.locator("#grid td.cell").first).to_be_visible()
    camera.shoot(english, "roster-en")

    # the duty office's day: the day sheet (勤务表), groups, duty levels, the office, the audit log
    visit(dispatcher, f"{url}/ui/roster?start={FIRST_DAY}&unit=ganzhou")
    expect(dispatcher.locator("#grid .name.leader").first).to_be_visible()
    with dispatcher.expect_popup() as opened:
        dispatcher.locator('#grid th.day .day-sheet[data-day="2021-11-09"]').click()
    sheet = opened.value
    expect(sheet.locator(".sign")).to_be_visible()
    camera.shoot(sheet, "duty-sheet", full=True)
    for name, path in (
        ("groups", "/ui/groups?unit=ganzhou"),
        ("levels", "/ui/levels"),
        ("office", "/ui/office"),
        ("audit", "/ui/audit"),
    ):
        visit(dispatcher, url + path)
        camera.shoot(dispatcher, name, full=True)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    service = Service(solve_seconds=20).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            camera = Camera(browser, service, folder)
            run(camera)
            browser.close()
        if camera.errors:
            raise SystemExit("console errors:\n" + "\n".join(camera.errors))
    finally:
        service.stop()
        shutil.rmtree(service.folder, ignore_errors=True)


if __name__ == "__main__":
    main()
