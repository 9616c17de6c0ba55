"""Fixtures of the browser tests: the running service, headless Chromium, and logged-in pages that
fail the test on any console error or uncaught exception.

Without /usr/bin/chromium the browser tests are skipped, except under CI (`CI` set), where that
is a failure. Debian: `apt-get install chromium fonts-noto-cjk`.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest

from tests.browser.service import CHROMIUM, CHROMIUM_ARGS, Service

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Error, Page, ViewportSize

DESKTOP: ViewportSize = {"width": 1440, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def chromium() -> str:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (Debian: apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def service(chromium: str) -> Iterator[Service]:
    running = Service().start()
    yield running
    running.stop()
    log = running.log_path.read_text(errors="replace")
    if "Traceback" in log:  # a server error: keep its story where pytest shows it
        print(f"---- service log ({running.log_path}):\n{log[-20000:]}")
    shutil.rmtree(running.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Browser]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # the suite runs beside the solver tests on a busy machine
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Pages:
    """Opens pages in fresh browser contexts and records their console errors."""

    browser: Browser
    service: Service
    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def new(self, phone: bool = False) -> Page:
        context = self.browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(20_000)
        page = context.new_page()

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self._error(f"console: {message.text} ({page.url})")

        def uncaught(error: Error) -> None:
            self._error(f"uncaught: {error} ({page.url})")

        page.on("console", console)
        page.on("pageerror", uncaught)
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    def _error(self, text: str) -> None:
        if not any(p.search(text) for p in self.allowed):
            self.errors.append(text)

    def allow(self, pattern: str) -> None:
        """Expect console errors matching `pattern` (e.g. the 401 of a wrong password)."""
        self.allowed.append(re.compile(pattern))

    def login(self, username: str, password: str | None = None, phone: bool = False) -> Page:
        page = self.new(phone)
        page.goto(f"{self.service.url}/ui/login")
        page.fill("#username", username)
        page.fill("#password", password or self.service.passwords[username])
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/ui/(?!login)"))
        return page


@pytest.fixture
def pages(browser: Browser, service: Service) -> Iterator[Pages]:
    opened = Pages(browser, service)
    yield opened
    for context in browser.contexts:
        context.close()
    assert not opened.errors, "\n".join(opened.errors)
