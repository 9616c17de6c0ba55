"""Need to know, swept over the whole API: why an officer is unavailable (leave, sickness,
quarantine), the notes of their requests and the reasons of their leave changes are read by the
admins, the dispatchers of the officer's home unit and the officer themself, and nobody else.

The test seeds a marker into every such text of every officer (`MARK<kind>-<officer id>`), then
walks every GET operation of the OpenAPI, with every combination of path parameters it can name
(officers, units, rosters, changes, requests, ...) and each format a response can take, as each
role, and scans every body (JSON, CSV, xlsx, iCalendar, HTML) for markers the role may not read.
The admin's walk must find every marker: that proves the walk reaches them."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from tests.app.helpers import future, make_api, published_duties, ref
from tests.conftest import Api

MARK = re.compile(r"MARK([URC])-([a-z]+-\d+)")
SKIP = ("/jobs/{job_id}/events", "/ical/{token}.ics")  # a stream; a secret no role holds
VIEWERS = {  # role -> the home units whose officers' reasons it may read (None: all)
    "admin": None,
    "dispatcher": {"ganzhou"},
    "hq_dispatcher": {"hq"},
    "officer": set(),  # and gz-01's own
}


@pytest.fixture
def sapi(session_factory: Any, published: int) -> Iterator[Api]:
    yield from make_api(session_factory)


def _seed(api: Api, session_factory: Any) -> dict[str, str]:
    """Markers in every officer's unavailability, request notes and a leave change's reason;
    returns officer id -> home unit."""
    officers = api.get("/officers", params={"limit": 200}).json()["items"]
    homes = {o["id"]: o["unit"] for o in officers}
    for i, officer in enumerate(sorted(homes)):
        day = date(2021, 11, 10) + timedelta(days=i % 4)
        span = {
            "start": f"{day}T00:00",
            "end": f"{day + timedelta(days=1)}T00:00",
            "reason": f"MARKU-{officer}",
        }
        response = api.post(f"/officers/{officer}/unavailability", json=span)
        assert response.status_code == 201, response.text
        request = {"kind": "day_off", "date": "2021-11-14", "note": f"MARKR-{officer}"}
        response = api.post(f"/officers/{officer}/requests", json=request)
        assert response.status_code == 201, response.text
    for officer in ("gz-03", "hq-02"):
        leave = {
            "kind": "leave",
            "officer": officer,
            "start": "2021-11-13T00:00",
            "end": "2021-11-14T00:00",
            "reason": f"MARKC-{officer}",
            "restaff": False,
        }
        response = api.post("/changes", json=leave)
        assert response.status_code == 201, response.text
    # a swap of the officer's own duty, so that its check and the swap offers judge colleagues
    duties = future(published_duties(session_factory))
    mine = next(a for a in duties if a.officer == "gz-01")
    other = next(
        b for b in duties if b.officer.startswith("gz-") and b.officer != "gz-01" and b.date != mine.date
    )
    response = api.post(
        "/changes", as_="officer", json={"kind": "swap", "duty": ref(mine), "with_duty": ref(other)}
    )
    assert response.status_code == 201, response.text
    return homes


def _ids(api: Api, path: str, key: str = "id") -> list[Any]:
    response = api.get(path, params={"limit": 200})
    assert response.status_code == 200, (path, response.text)
    body = response.json()
    items = body["items"] if isinstance(body, dict) and "items" in body else body
    return [x[key] for x in items]


def _pools(api: Api, session_factory: Any) -> dict[str, list[Any]]:
    """Values for each path and query parameter the walk fills in."""
    duties = future(published_duties(session_factory))
    rosters = _ids(api, "/rosters")
    changes = _ids(api, "/changes")
    sample = [
        duties[0],
        *[a for a in duties if a.officer == "gz-01"][:2],
        *[a for a in duties if a.officer.startswith("hq-")][:1],
    ]
    return {
        "officer_id": _ids(api, "/officers"),
        "unit_id": _ids(api, "/units"),
        "user_id": _ids(api, "/users"),
        "skill_id": _ids(api, "/skills"),
        "shift_id": _ids(api, "/shift-types"),
        "post_id": _ids(api, "/posts"),
        "request_id": _ids(api, "/requests"),
        "job_id": _ids(api, "/jobs"),
        "roster_id": rosters,
        "other_id": rosters[:1],
        "change_id": changes,
        "group_id": _ids(api, "/groups"),
        "plan_id": _ids(api, "/tours"),
        "level": [x["id"] for x in api.get("/duty-levels").json()],
        "duty": sample,
        "start": ["2021-11-08"],
        "day": ["2021-11-12"],
        "date": ["2021-11-12"],
        "at": ["2021-11-12T03:00"],
    }


def _requests(api: Api, session_factory: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every GET operation with every combination of its path parameters' values, and the
    required (and format) query parameters filled in."""
    pools = _pools(api, session_factory)
    spec = api.get("/openapi.json", as_=None).json()
    for path, ops in spec["paths"].items():
        if "get" not in ops or path in SKIP:
            continue
        params = ops["get"].get("parameters", [])
        in_path = [p["name"] for p in params if p["in"] == "path"]
        choices: list[list[tuple[str, Any]]] = [[(n, v) for v in pools.get(n, [])] for n in in_path]
        query: dict[str, list[Any]] = {"limit": [200]} if any(p["name"] == "limit" for p in params) else {}
        names = {p["name"] for p in params if p["in"] == "query"}
        if {"post", "shift", "date"} <= names and any(
            p["name"] == "post" and p.get("required") for p in params
        ):
            query["duty"] = pools["duty"]  # /cover, /swap-offers: a real duty
        for p in params:
            if p["in"] != "query" or (p["name"] in ("post", "shift", "date", "officer") and "duty" in query):
                continue
            enum = p.get("schema", {}).get("enum") or next(
                (x.get("enum") for x in p.get("schema", {}).get("anyOf", []) if x.get("enum")), None
            )
            if p["name"] == "format" and enum:
                query["format"] = list(enum)
            elif p.get("required"):
                if p["name"] == "unit_id" or p["name"] == "unit":
                    query[p["name"]] = pools["unit_id"]
                else:
                    query[p["name"]] = pools.get(p["name"], [])
        for combo in itertools.product(*choices):
            url = path
            for name, value in combo:
                url = url.replace("{" + name + "}", str(value))
            for values in itertools.product(*query.values()):
                qp: dict[str, Any] = {}
                for name, value in zip(query, values, strict=True):
                    if name == "duty":
                        qp.update(ref(value))
                    else:
                        qp[name] = value
                yield url, qp


def _text(response: Any) -> str:
    body = response.content
    if body[:2] == b"PK":  # xlsx: every part of the archive
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return body.decode("utf-8", "replace")


def _may_read(role: str, officer: str, homes: dict[str, str]) -> bool:
    units = VIEWERS[role]
    if units is None or (role == "officer" and officer == "gz-01"):
        return True
    return homes.get(officer) in units


def test_no_role_reads_reasons_it_may_not_know(sapi: Api, session_factory: Any) -> None:
    homes = _seed(sapi, session_factory)
    walk = list(_requests(sapi, session_factory))
    assert len(walk) > 150
    leaks: dict[str, set[tuple[str, str]]] = {}
    seen: dict[str, set[str]] = {}
    for role in VIEWERS:
        statuses: dict[int, int] = {}
        for url, params in walk:
            response = sapi.get(url, as_=role, params=params)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            assert response.status_code < 500, (role, url, params, response.text[:300])
            for kind, officer in MARK.findall(_text(response)):
                seen.setdefault(role, set()).add(f"{kind}-{officer}")
                if not _may_read(role, officer, homes):
                    leaks.setdefault(role, set()).add((url, f"MARK{kind}-{officer}"))
        assert statuses.get(200, 0) > 50, (role, statuses)
    # the walk reaches every marker: the admin reads them all
    expected = {f"U-{o}" for o in homes} | {f"R-{o}" for o in homes} | {"C-gz-03", "C-hq-02"}
    assert expected <= seen.get("admin", set()), sorted(expected - seen.get("admin", set()))
    # the officer's own reasons reach the officer
    assert {"U-gz-01", "R-gz-01"} <= seen.get("officer", set())
    summary = {role: sorted({(url, m[:5]) for url, m in found}) for role, found in leaks.items()}
    print(summary)
    assert not leaks, summary
