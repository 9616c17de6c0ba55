"""What the service tests share beyond the fixtures: the sample week's "now", the published
duties, requests for changes and their answers, waiting for a re-plan, a second published week.

The changes tests run on example-small's solved roster (the `published` fixture) with the
service's "now" fixed at Tuesday 2021-11-09 12:00 (`NOW`), so Monday and Tuesday morning are
worked and frozen."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from solver import domain as d
from solver.check import check_assignments
from solver.io.roster import roster_from_dict
from solver.solve import SolveOptions, solve
from tests.conftest import TOKENS, Api, served_app, test_settings

NOW = datetime(2021, 11, 9, 12, 0)
MON = date(2021, 11, 8)
UNITS = ["ganzhou", "hq"]


def officer_token(factory: Any, officer: str) -> str:
    """An account for `officer` (username = officer id) with a fixed bearer token."""
    from app.accounts import service as auth
    from app.accounts.models import ApiToken, User
    from app.core.clock import utcnow
    from app.core.db import transaction
    from app.core.security import token_digest

    token = f"test-token-{officer}-0123456789abcdef"
    with transaction(factory) as s:
        if s.scalar(select(User).where(User.username == officer)) is None:
            user = auth.create_user(s, officer, "officer", "password-" + officer, [], officer)
            now = utcnow()
            s.add(
                ApiToken(
                    user_id=user.id,
                    token_hash=token_digest(token),
                    created_at=now,
                    expires_at=now + timedelta(days=30),
                )
            )
    return token


def make_api(factory: Any, **settings: Any) -> Iterator[Api]:
    from fastapi.testclient import TestClient

    with TestClient(served_app(test_settings(now=NOW, **settings), factory)) as client:
        yield Api(client, dict(TOKENS))


def as_officer(api: Api, factory: Any, officer: str) -> str:
    """The `as_` name for requests by `officer` (gz-01 is the seeded "officer")."""
    if officer == "gz-01":
        return "officer"
    api.tokens[officer] = officer_token(factory, officer)
    return officer


def published_duties(factory: Any) -> list[Any]:
    from app.rosters.queries import published_assignments

    with factory() as s:
        rows = published_assignments(s, MON, MON + timedelta(days=7))
        return sorted(d.Assignment(a.date, a.shift_id, a.post_id, a.officer_id) for a in rows)


def judge(factory: Any, after: list[Any]) -> list[Any]:
    """The hard rules `after` newly breaks, as the service judges a change (now frozen)."""
    from app.planning.past import with_frozen_past
    from app.planning.scenario import ScenarioScope, scenario_from_db

    with factory() as s:
        scenario = with_frozen_past(scenario_from_db(s, ScenarioScope(MON, 7, UNITS)), NOW)
    before = {
        (v.rule, v.officer, v.message) for v in check_assignments(scenario, scenario.baseline).violations
    }
    return [
        v
        for v in check_assignments(scenario, after).violations
        if (v.rule, v.officer, v.message) not in before
    ]


def swapped(duties: list[Any], a: Any, b: Any) -> list[Any]:
    return sorted(
        [x for x in duties if x not in (a, b)]
        + [replace(a, officer=b.officer), replace(b, officer=a.officer)]
    )


def ref(a: Any) -> dict[str, str]:
    return {"officer": a.officer, "post": a.post, "shift": a.shift, "date": a.date.isoformat()}


def future(duties: list[Any]) -> list[Any]:
    return [a for a in duties if a.date >= NOW.date() + timedelta(days=1)]


def find_swap(factory: Any, officer: str) -> tuple[Any, Any]:
    """A swap of `officer`'s duty with another ganzhou officer's that breaks no hard rule and moves
    `officer` to another date or shift (so the calendar shows it)."""
    duties = published_duties(factory)
    mine = [a for a in future(duties) if a.officer == officer]
    others = [b for b in future(duties) if b.officer.startswith("gz-") and b.officer != officer]
    for a in mine:
        for b in others:
            if (a.date, a.shift) == (b.date, b.shift) or any(
                x.officer == officer and (x.date, x.shift) == (b.date, b.shift) for x in duties
            ):
                continue
            if any(x.officer == b.officer and (x.date, x.shift) == (a.date, a.shift) for x in duties):
                continue
            if not judge(factory, swapped(duties, a, b)):
                return a, b
    pytest.fail(f"no valid swap for {officer} in the solved roster")


def find_short_rest_swap(factory: Any) -> tuple[Any, Any, Any]:
    """(a, b, day_duty): b's officer B has day_duty (D, ends 16:00) the day before a (N, starts 00:00);
    swapping a with b leaves B 8 hours of rest."""
    duties = published_duties(factory)
    for day_duty in future(duties):
        if day_duty.shift != "D":
            continue
        officer_b = day_duty.officer
        next_day = day_duty.date + timedelta(days=1)
        if any(x.officer == officer_b and x.date == next_day for x in duties):
            continue
        for a in duties:
            if (
                a.shift == "N"
                and a.date == next_day
                and a.officer != officer_b
                and a.officer.startswith("gz-")
            ):
                for b in future(duties):
                    if b.officer == officer_b and b.date not in (day_duty.date, next_day):
                        return a, b, day_duty
    pytest.fail("no D-then-N situation in the solved roster")


def takers(api: Api, duty: Any) -> list[str]:
    """Who could take `duty` without breaking a hard rule, best first (GET /cover)."""
    candidates = api.get("/cover", params={**ref(duty), "date": duty.date.isoformat()}).json()["candidates"]
    return [c["officer"]["id"] for c in candidates if c["can"]]


def coverable(api: Api, factory: Any, at_least: int, avoid: tuple[str, ...] = ()) -> tuple[Any, list[str]]:
    """A future duty (of an officer not in `avoid`) that `at_least` others could take."""
    for duty in future(published_duties(factory)):
        if duty.officer in avoid:
            continue
        free = [o for o in takers(api, duty) if o not in avoid]
        if len(free) >= at_least:
            return duty, free
    pytest.fail(f"no duty that {at_least} officers could take")


def submit(api: Api, body: dict[str, Any], as_: str = "dispatcher") -> dict[str, Any]:
    response = api.post("/changes", as_=as_, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def approve(api: Api, change_id: int, as_: str = "dispatcher", reason: str = "ok") -> Any:
    return api.post(f"/changes/{change_id}/approve", as_=as_, json={"reason": reason})


def duties_of(api: Api, officer: str) -> set[tuple[str, str, str]]:
    items = api.get("/duties", params={"officer": officer, "limit": 200}).json()["items"]
    return {(d["date"], d["shift"], d["post"]) for d in items}


def steps(change: dict[str, Any]) -> list[str]:
    return [s["action"] for s in change["steps"]]


def wait_for_proposal(api: Api, change_id: int, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        change = api.get(f"/changes/{change_id}").json()
        if change["proposal"]["status"] in ("ready", "failed"):
            return dict(change)
        assert time.monotonic() < deadline, change
        time.sleep(0.1)


def publish_second_week(factory: Any) -> tuple[int, list[Any]]:
    """The week after the sample's, solved and published as its own version."""
    from app.core.db import transaction
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, publish, store_roster

    with transaction(factory) as s:
        scenario = scenario_from_db(s, ScenarioScope(start=MON + timedelta(days=7), days=7))
        roster = solve(scenario, SolveOptions(time_limit=2, workers=1))
        snapshot = new_snapshot(s, scenario)
        stored = store_roster(s, scenario, roster, snapshot_id=snapshot.id, unit_ids=UNITS, created_by=None)
        publish(s, stored, None)
        return stored.id, list(roster.assignments)


def every_item(api: Api, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = api.get(path, params={"limit": 200, "offset": len(items)}).json()
        items += page["items"]
        if len(items) >= page["total"]:
            return items


def version_after(api: Api, superseded: int) -> dict[str, Any]:
    """The published version that replaced `superseded` (same start)."""
    start = api.get(f"/rosters/{superseded}").json()["start"]
    items = api.get("/rosters", params={"status": "published"}).json()["items"]
    (version,) = [r for r in items if r["start"] == start]
    assert version["id"] != superseded
    assert api.get(f"/rosters/{superseded}").json()["status"] == "superseded"
    return dict(version)


def new_draft(session_factory: Any, document: dict[str, Any], units: list[str] | None = None) -> int:
    """Another version of the same roster, stored as a draft (as a finished job would)."""
    from datetime import date

    from app.core.db import transaction
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, store_roster

    with transaction(session_factory) as s:
        scenario = scenario_from_db(s, ScenarioScope(date(2021, 11, 8), 7, units))
        roster, _ = roster_from_dict(document)
        keep = {p.id for p in scenario.posts}
        roster = replace(roster, assignments=tuple(a for a in roster.assignments if a.post in keep))
        snapshot = new_snapshot(s, scenario)
        units = units or [u.id for u in scenario.units]
        return store_roster(s, scenario, roster, snapshot_id=snapshot.id, unit_ids=units, created_by=None).id


def new_unit_document() -> dict[str, Any]:
    """A small unit with new ids, its own rules and weights, to import into the seeded detachment."""
    return {
        "name": "临泽大队",
        "horizon": {"start": "2021-11-15", "days": 7},
        "shift_types": [{"id": "D", "name": "白班", "start": "08:00", "minutes": 480}],
        "units": [{"id": "linze", "name": "临泽大队"}],
        "posts": [
            {
                "id": "lz-01",
                "name": "临泽收费站",
                "kind": "checkpoint",
                "unit": "linze",
                "coverage": [{"shift": "D", "min": 1}],
            }
        ],
        "officers": [
            {
                "id": "lz-001",
                "name": "测试一",
                "unit": "linze",
                "unavailable": [{"start": "2021-11-16T00:00", "end": "2021-11-17T00:00", "reason": "年休假"}],
                "requests": [{"kind": "day_off", "date": "2021-11-18", "weight": 1}],
                "history": [{"shift": "D", "date": "2021-11-14"}],
            }
        ],
        "rules": {"max_consecutive_days": 4, "weights": {"request": 99}},
    }


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (for a service started by a test)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(what: str, check: Callable[[], Any], timeout: float, poll: float = 0.2) -> Any:
    """`check()`'s first truthy value (an HTTP error counts as not yet), or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
        except httpx.HTTPError:
            value = None
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(poll)
