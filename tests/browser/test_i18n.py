"""Every string the pages show goes through the zh-CN/en dictionary, and both languages have it.

Runs without a browser: it reads app/web/static/js/i18n.js, the templates and the page modules.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.web.routes import PAGES

WEB = Path(__file__).resolve().parents[2] / "app" / "web"
KEY = re.compile(r'^\s*"([\w.]+)":', re.MULTILINE)
LITERAL_T = re.compile(r'\bt\(\s*"([\w.]+)"')
TEMPLATE_KEY = re.compile(r'data-i18n(?:-placeholder|-title|-aria-label)?="([\w.]+)"')
# keys built at run time from data: every value the API can send must be in the dictionary
DYNAMIC = {
    "role": ["admin", "dispatcher", "officer"],
    "status": ["draft", "published", "superseded"],
    "job": ["queued", "running", "succeeded", "cancelled", "failed", "interrupted"],
    "change.status": ["submitted", "accepted", "approved", "applied", "rejected", "withdrawn", "failed"],
    "change": ["swap", "cover", "leave", "coverage_change", "duty_level", "call_out"],
    "term": [
        "shortfall",
        "overstaffing",
        "requests",
        "fairness",
        "continuity",
        "changes",
        "group_split",
        "pattern",
        "total",
    ],
    "kind": ["checkpoint", "intersection", "hospital", "isolation_site", "supply_depot", "patrol", "other"],
    "weekday": [str(i) for i in range(7)],
    "notify": ["duties_changed", "leave_approved", "request_cancelled", "level_declared"],
    "notify.cause": [
        "replan",
        "swap",
        "cover",
        "leave",
        "coverage_change",
        "level",
        "duty_level",
        "call_out",
    ],
    "level": ["normal", "level3", "level2", "level1"],
}


def dictionaries() -> dict[str, set[str]]:
    source = (WEB / "static" / "js" / "i18n.js").read_text(encoding="utf-8")
    zh, en = source.split("\n  en: {", 1)
    return {"zh-CN": set(KEY.findall(zh)), "en": set(KEY.findall(en))}


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in (WEB / "static" / "js").rglob("*.js"):
        if path.name == "i18n.js":
            continue
        keys |= set(LITERAL_T.findall(path.read_text(encoding="utf-8")))
    for path in (WEB / "templates").glob("*.html"):
        keys |= set(TEMPLATE_KEY.findall(path.read_text(encoding="utf-8")))
    for page in PAGES:
        keys.add(f"title.{page.name}")
        if page.nav:
            keys.add(f"nav.{page.name}")
    for prefix, values in DYNAMIC.items():
        keys |= {f"{prefix}.{v}" for v in values}
    return keys


def test_both_languages_have_the_same_keys() -> None:
    d = dictionaries()
    assert d["zh-CN"] == d["en"], {
        "only zh-CN": sorted(d["zh-CN"] - d["en"]),
        "only en": sorted(d["en"] - d["zh-CN"]),
    }


def test_every_key_the_pages_use_is_translated() -> None:
    missing = used_keys() - dictionaries()["zh-CN"]
    assert not missing, sorted(missing)
