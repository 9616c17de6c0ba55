"""Duty groups in the web page (issue 13), as a new dispatcher would: define four groups of the
Sunan brigade on 四班三运转 in the groups page, see the four-week preview (one group on each
shift of each day, the warnings where the rotations leave posts short), generate the week, and
see the groups on the roster grid."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import Pages
from tests.browser.service import Service

pytestmark = pytest.mark.browser

FIRST_DAY = "2021-11-08"
NAMES = ["肃南一班", "肃南二班", "肃南三班", "肃南四班"]


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def test_four_groups_on_four_shift_rotation_previewed_generated_and_on_the_grid(
    pages: Pages, service: Service
) -> None:
    officers = service.api("GET", "/officers", params={"unit": "sunan", "limit": 500})["items"]
    leaders = [o["id"] for o in officers if "leader" in o["skills"]]
    others = [o["id"] for o in officers if "leader" not in o["skills"]]
    teams = [[leaders[k], others[k]] for k in range(4)]

    dispatcher = pages.login("dispatcher")
    dispatcher.goto(service.url + "/ui/groups?unit=sunan")
    dispatcher.wait_for_selector("body[data-ready]", state="attached")
    expect(dispatcher.locator("#nav a[aria-current=page]")).to_have_text("执勤组")
    expect(dispatcher.locator("#start")).to_have_value(FIRST_DAY)
    expect(dispatcher.locator("#group-list")).to_contain_text("本单位还没有执勤组")
    for k, (name, team) in enumerate(zip(NAMES, teams, strict=True)):
        dispatcher.fill("#g-id", f"sn-ban{k + 1}")
        dispatcher.fill("#g-name", name)
        for officer in team:
            dispatcher.check(f'#g-members input[value="{officer}"]')
        dispatcher.click("#four-shift")
        expect(dispatcher.locator("#g-days")).to_have_value("N N D D E E - -")
        expect(dispatcher.locator("#g-start")).to_have_value(f"2021-11-{8 - 2 * k:02d}")
        dispatcher.click("#save-group")
        expect(dispatcher.locator("#group-list tbody tr")).to_have_count(k + 1)
    expect(dispatcher.locator('#group-list tr[data-group="sn-ban1"] .pattern')).to_contain_text(
        "自 2021-11-08"
    )

    # the preview: one group on each shift of each of 28 days; two officers where the posts need ten
    expect(dispatcher.locator("#preview thead th.day")).to_have_count(28)
    for shift, name in (("N", "肃南一班"), ("D", "肃南二班"), ("E", "肃南三班")):
        cell = dispatcher.locator(f'#preview td[data-key="{FIRST_DAY}|{shift}"]')
        expect(cell).to_contain_text(name)
        expect(cell).to_have_class(re.compile(r"\bshort\b"))
    expect(dispatcher.locator("#preview tr.pattern-row")).to_have_count(4)
    expect(dispatcher.locator("#warnings summary")).to_contain_text("个班次人数不足")
    preview = service.api(
        "GET", "/groups/preview", as_="dispatcher", params={"unit": "sunan", "start": FIRST_DAY}
    )
    assert {w["kind"] for w in preview["warnings"]} == {"short"}
    assert all(len(c["groups"]) == 1 for c in preview["cells"])

    # generate the week of Sunan
    dispatcher.goto(service.url + "/ui/generate")
    expect(dispatcher.locator("#units input:checked")).to_have_count(7)
    for box in dispatcher.locator("#units input[name=unit]").all():
        if box.get_attribute("value") != "sunan":
            box.uncheck()
    expect(dispatcher.locator("#units input:checked")).to_have_count(1)
    dispatcher.fill("#time-limit", "5")
    dispatcher.click("#start-job")
    expect(dispatcher.locator("#review-card")).to_be_visible(timeout=90_000)
    expect(dispatcher.locator("#review")).to_contain_text("全部硬性规则通过")
    dispatcher.click("#publish")
    expect(dispatcher.locator("#review-status")).to_have_text("已发布")

    # the grid names each member's group; the group filter marks that group's members
    dispatcher.click("#open-grid")
    expect(dispatcher).to_have_url(re.compile(r"/ui/roster\?start=2021-11-08"))
    dispatcher.select_option("#unit", "sunan")
    expect(dispatcher.locator("#group-field")).to_be_visible()
    tags = dispatcher.locator("#grid .name .grp", has_text="肃南一班")
    expect(tags.first).to_be_visible()
    duties = service.api(
        "GET", "/duties", params={"unit": "sunan", "start": FIRST_DAY, "group": "sn-ban1", "limit": 500}
    )
    assert duties["total"] and {d["officer"] for d in duties["items"]} <= set(teams[0])
    expect(tags).to_have_count(duties["total"])
    dispatcher.select_option("#group", "sn-ban1")
    expect(dispatcher.locator("#grid .name.hit")).to_have_count(duties["total"])
