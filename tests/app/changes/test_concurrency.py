"""Racing approvals, with real concurrent HTTP clients against a running uvicorn server.

Two requests for the same duty, or two approvals of one request, race: exactly one applies, the
other gets 409 with the reason; no duty ends up held twice, nothing is lost. Two requests on
different duties of the same roster version both apply, one after the other, each on the roster
the other left; approved with `expected_roster_id` (the version the dispatcher saw), exactly one
applies and the other is told the roster moved. On PostgreSQL the approvals lock the change row
and the published days (`SELECT … FOR UPDATE`); on SQLite writers are serialized by
`BEGIN IMMEDIATE`. Both run here.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest

from solver.check import check_assignments
from solver.io.roster import roster_from_dict
from tests.app.helpers import MON, NOW, UNITS, published_duties, ref
from tests.conftest import TOKENS, test_settings

ROUNDS = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(live_db: Any, small_roster_document: dict[str, Any]) -> Iterator[str]:
    """The service on a real port, on a database holding example-small's published roster."""
    import uvicorn

    from app.core.db import transaction
    from app.main import create_app
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, publish, store_roster

    with transaction(live_db) as s:
        scenario = scenario_from_db(s, ScenarioScope(start=MON, days=7))
        roster, _ = roster_from_dict(small_roster_document)
        stored = store_roster(
            s, scenario, roster, snapshot_id=new_snapshot(s, scenario).id, unit_ids=UNITS, created_by=None
        )
        publish(s, stored, None)
    port = free_port()
    app = create_app(test_settings(now=NOW, public_url=f"http://127.0.0.1:{port}"), live_db)
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(10)


def client(base: str, who: str = "dispatcher") -> httpx.Client:
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {TOKENS[who]}"}, timeout=60)


def race(calls: list[tuple[httpx.Client, str, dict[str, Any]]]) -> list[httpx.Response]:
    """Send the POSTs at once, each from its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    out: list[httpx.Response | None] = [None] * len(calls)

    def send(i: int) -> None:
        http, path, body = calls[i]
        barrier.wait()
        out[i] = http.post(path, json=body)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(r is not None for r in out)
    return [r for r in out if r is not None]


def takers(http: httpx.Client, duty: Any) -> list[str]:
    response = http.get("/cover", params={**ref(duty), "date": duty.date.isoformat()})
    assert response.status_code == 200, response.text
    return [c["officer"]["id"] for c in response.json()["candidates"] if c["can"]]


def submit(http: httpx.Client, body: dict[str, Any]) -> int:
    response = http.post("/changes", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def no_duty_held_twice(factory: Any) -> None:
    """Each officer at most once per slot and per start; the published roster breaks no new rule."""
    from app.planning.scenario import ScenarioScope, scenario_from_db

    duties = published_duties(factory)
    assert not [k for k, n in Counter(duties).items() if n > 1]
    assert not [k for k, n in Counter((a.officer, a.date, a.shift) for a in duties).items() if n > 1]
    with factory() as s:
        scenario = scenario_from_db(s, ScenarioScope(MON, 7, UNITS))
    assert not check_assignments(scenario, duties).violations


def contested(http: httpx.Client, factory: Any, used: set[Any]) -> tuple[Any, list[str]]:
    for duty in published_duties(factory):
        if duty.date > NOW.date() and duty not in used:
            free = takers(http, duty)
            if len(free) >= 2:
                used.add(duty)
                return duty, free
    pytest.fail("no duty two officers could take")


def test_two_covers_for_one_duty_exactly_one_applies(server: str, live_db: Any) -> None:
    used: set[Any] = set()
    with client(server) as first, client(server) as second:
        for _ in range(ROUNDS):
            duty, free = contested(first, live_db, used)
            ids = [submit(first, {"kind": "cover", "duty": ref(duty), "to_officer": o}) for o in free[:2]]
            responses = race(
                [(first, f"/changes/{ids[0]}/approve", {}), (second, f"/changes/{ids[1]}/approve", {})]
            )
            codes = sorted(r.status_code for r in responses)
            assert codes == [200, 409], [r.text for r in responses]
            loser = next(r for r in responses if r.status_code == 409).json()["error"]
            assert loser["code"] == "conflict" and loser["message"].startswith("the duty moved"), loser
            winner = next(r for r in responses if r.status_code == 200).json()
            taker = free[ids.index(winner["id"])]
            holders = {
                a.officer
                for a in published_duties(live_db)
                if (a.post, a.shift, a.date) == (duty.post, duty.shift, duty.date)
            }
            assert taker in holders and duty.officer not in holders and set(free[:2]) - {taker} - holders
            no_duty_held_twice(live_db)
            states = {first.get(f"/changes/{i}").json()["status"] for i in ids}
            assert states == {"applied", "submitted"}


def test_one_change_approved_twice_at_once_applies_once(server: str, live_db: Any) -> None:
    with client(server) as first, client(server, "admin") as second:
        duty, free = contested(first, live_db, set())
        change = submit(first, {"kind": "cover", "duty": ref(duty), "to_officer": free[0]})
        versions_before = first.get("/rosters", params={"limit": 100}).json()["total"]
        responses = race(
            [(first, f"/changes/{change}/approve", {}), (second, f"/changes/{change}/approve", {})]
        )
        assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
        assert "is applied" in next(r for r in responses if r.status_code == 409).json()["error"]["message"]
        assert first.get("/rosters", params={"limit": 100}).json()["total"] == versions_before + 1
        trail = first.get("/audit", params={"change": change}).json()["items"]
        assert [e["action"] for e in trail].count("change.applied") == 1
        no_duty_held_twice(live_db)


def test_swap_and_cover_racing_for_one_duty(server: str, live_db: Any) -> None:
    with client(server) as first, client(server) as second:
        duties = published_duties(live_db)
        duty, free = contested(first, live_db, set())
        partner = next(
            b
            for b in duties
            if b.date > NOW.date() + timedelta(days=1)
            and b.officer not in (duty.officer, *free[:1])
            and b.officer.startswith("gz-")
            and not any(
                x.officer == b.officer and (x.date, x.shift) == (duty.date, duty.shift) for x in duties
            )
            and not any(x.officer == duty.officer and (x.date, x.shift) == (b.date, b.shift) for x in duties)
        )
        swap = submit(first, {"kind": "swap", "duty": ref(duty), "with_duty": ref(partner)})
        cover = submit(first, {"kind": "cover", "duty": ref(duty), "to_officer": free[0]})
        responses = race([(first, f"/changes/{swap}/approve", {}), (second, f"/changes/{cover}/approve", {})])
        codes = [r.status_code for r in responses]
        # the swap may break a rule of its own (then 409 either way); the two never both apply
        assert codes.count(200) <= 1 and all(c in (200, 409) for c in codes), [r.text for r in responses]
        if codes.count(200) == 1:
            assert codes.count(409) == 1
        holders = [
            a.officer
            for a in published_duties(live_db)
            if (a.post, a.shift, a.date) == (duty.post, duty.shift, duty.date)
        ]
        assert len(holders) == len(set(holders))
        no_duty_held_twice(live_db)


def independent_pair(http: httpx.Client, factory: Any) -> tuple[Any, list[str], Any, list[str]]:
    """Two duties two days or more apart, each with its own officers free to take it."""
    options = [(d, takers(http, d)) for d in published_duties(factory) if d.date > NOW.date()]
    for one, free_one in options:
        for two, free_two in options:
            apart = abs((two.date - one.date).days) >= 2
            people = {one.officer, two.officer}
            rest_one = [o for o in free_one if o not in people]
            rest_two = [o for o in free_two if o not in people and o not in rest_one[:1]]
            if apart and one.officer != two.officer and rest_one and rest_two:
                return one, rest_one, two, rest_two
    pytest.fail("no two independent duties")


def test_two_changes_on_one_version_both_apply_nothing_lost(server: str, live_db: Any) -> None:
    with client(server) as first, client(server) as second:
        one, free_one, two, free_two = independent_pair(first, live_db)
        ids = [
            submit(first, {"kind": "cover", "duty": ref(one), "to_officer": free_one[0]}),
            submit(first, {"kind": "cover", "duty": ref(two), "to_officer": free_two[0]}),
        ]
        base = {first.get(f"/changes/{i}").json()["base_roster_id"] for i in ids}
        assert len(base) == 1
        responses = race(
            [(first, f"/changes/{ids[0]}/approve", {}), (second, f"/changes/{ids[1]}/approve", {})]
        )
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        final = set(published_duties(live_db))
        assert replace(one, officer=free_one[0]) in final and one not in final
        assert replace(two, officer=free_two[0]) in final and two not in final
        versions = sorted(r.json()["applied_roster_id"] for r in responses)
        chain = first.get(f"/rosters/{versions[0]}/diff/{versions[1]}").json()
        assert chain["changed"] == 2  # the later version holds the earlier change too
        no_duty_held_twice(live_db)


def test_approvals_pinned_to_one_version_exactly_one_applies(server: str, live_db: Any) -> None:
    """With `expected_roster_id` (the version the dispatcher looked at), two approvals racing for
    the same roster version: one applies, the other is told the roster moved."""
    with client(server) as first, client(server) as second:
        one, free_one, two, free_two = independent_pair(first, live_db)
        ids = [
            submit(first, {"kind": "cover", "duty": ref(one), "to_officer": free_one[0]}),
            submit(first, {"kind": "cover", "duty": ref(two), "to_officer": free_two[0]}),
        ]
        [version] = {first.get(f"/changes/{i}").json()["base_roster_id"] for i in ids}
        body = {"reason": "as seen", "expected_roster_id": version}
        responses = race(
            [(first, f"/changes/{ids[0]}/approve", body), (second, f"/changes/{ids[1]}/approve", body)]
        )
        assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
        error = next(r for r in responses if r.status_code == 409).json()["error"]
        assert error["message"].startswith("the published roster moved") and error["details"][0]["path"] == (
            "body.expected_roster_id"
        )
        final = set(published_duties(live_db))
        applied = next(r for r in responses if r.status_code == 200).json()["id"]
        moved = (one, free_one[0]) if applied == ids[0] else (two, free_two[0])
        kept = two if applied == ids[0] else one
        assert replace(moved[0], officer=moved[1]) in final and kept in final
        no_duty_held_twice(live_db)
