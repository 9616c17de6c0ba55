"""Cover of an empty seat: the duty office fills a short slot from the roster grid (who-can-cover
without a holder → a cover change without `duty.officer` → approved in one step)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from solver.io.roster import roster_from_dict
from tests.app.helpers import (
    MON,
    approve,
    as_officer,
    coverable,
    future,
    make_api,
    published_duties,
    submit,
)
from tests.conftest import Api


@pytest.fixture
def gap(api: Api, session_factory: Any, small_roster_document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """example-small's roster published with one future ganzhou duty taken out: a short slot."""
    from app.core.db import transaction
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, publish, store_roster

    document = copy.deepcopy(small_roster_document)
    dropped = next(
        a
        for a in document["assignments"]
        if a["date"] >= "2021-11-10" and a["post"].startswith("g30") and a["officer"].startswith("gz-")
    )
    document["assignments"].remove(dropped)
    with transaction(session_factory) as s:
        scenario = scenario_from_db(s, ScenarioScope(start=MON, days=7))
        roster, _ = roster_from_dict(document)
        snapshot = new_snapshot(s, scenario)
        units = [u.id for u in scenario.units]
        stored = store_roster(s, scenario, roster, snapshot_id=snapshot.id, unit_ids=units, created_by=None)
        publish(s, stored, None)
    yield dropped


@pytest.fixture
def gapi(session_factory: Any, gap: dict[str, Any]) -> Iterator[Api]:
    """The service with "now" = Tuesday noon on the roster with the gap."""
    yield from make_api(session_factory)


def slot_of(gap: dict[str, Any]) -> dict[str, str]:
    return {"post": gap["post"], "shift": gap["shift"], "date": gap["date"]}


def test_the_duty_office_fills_a_short_slot(gapi: Api, gap: dict[str, Any], session_factory: Any) -> None:
    slot = slot_of(gap)
    cover = gapi.get("/cover", as_="dispatcher", params=slot).json()
    assert cover["duty"]["officer"] is None
    can = [c["officer"]["id"] for c in cover["candidates"] if c["can"]]
    assert gap["officer"] in can  # who was there before can take the seat again
    officer = can[0]
    change = submit(gapi, {"kind": "cover", "duty": slot, "to_officer": officer, "reason": "补位"})
    assert change["check"]["ok"] is True, change["check"]
    assert change["check"]["score_delta"]["shortfall"] < 0
    assert change["officers"] == [officer]
    done = approve(gapi, change["id"]).json()
    assert done["status"] == "applied", done
    holders = {
        (a.post, a.shift, a.date.isoformat(), a.officer) for a in future(published_duties(session_factory))
    }
    assert (slot["post"], slot["shift"], slot["date"], officer) in holders
    # the audit trail files it under the officer who took the seat
    events = gapi.get("/audit", as_="dispatcher", params={"change": change["id"]}).json()["items"]
    assert {"change.submitted", "change.applied", "duty.added"} <= {e["action"] for e in events}


def test_filling_a_seat_is_for_the_duty_office_of_the_unit(gapi: Api, gap: dict[str, Any]) -> None:
    body = {"kind": "cover", "duty": slot_of(gap), "to_officer": gap["officer"]}
    assert gapi.post("/changes", as_="officer", json=body).status_code == 403
    assert gapi.post("/changes", as_="hq_dispatcher", json=body).status_code == 403
    no_slot = gapi.post(
        "/changes", as_="dispatcher", json={**body, "duty": {**slot_of(gap), "shift": "NOPE"}}
    )
    assert no_slot.status_code == 422
    assert no_slot.json()["error"]["details"][0]["path"] == "body.duty.shift"


def test_a_sick_call_left_short_then_filled_from_who_can_cover(capi: Api, session_factory: Any) -> None:
    """Leave with `restaff: false`: the officer's duties in the span go at once (no re-plan job),
    their slots stay short until the duty office fills a seat."""
    duty, _ = coverable(capi, session_factory, 2)
    start = f"{duty.date.isoformat()}T00:00"
    end = f"{(duty.date + timedelta(days=1)).isoformat()}T00:00"
    body = {"kind": "leave", "officer": duty.officer, "start": start, "end": end, "reason": "病假"}
    by_officer = capi.post(
        "/changes", as_=as_officer(capi, session_factory, duty.officer), json={**body, "restaff": False}
    )
    assert by_officer.status_code == 403  # not re-staffing is the duty office's call
    change = submit(capi, {**body, "restaff": False})
    proposal = change["proposal"]
    assert proposal["status"] == "ready" and proposal["job_id"] is None and proposal["added"] == []
    gone = {(d["post"], d["shift"], d["date"]) for d in proposal["removed"]}
    assert (duty.post, duty.shift, duty.date.isoformat()) in gone
    assert {d["officer"] for d in proposal["removed"]} == {duty.officer}
    assert approve(capi, change["id"]).json()["status"] == "applied"
    after = published_duties(session_factory)
    assert not any(a.officer == duty.officer and a.date == duty.date for a in after)
    # the seat is empty: who can cover it, and the first who can takes it
    slot = {"post": duty.post, "shift": duty.shift, "date": duty.date.isoformat()}
    cover = capi.get("/cover", as_="dispatcher", params=slot).json()
    names = {c["officer"]["id"]: c for c in cover["candidates"]}
    assert names[duty.officer]["can"] is False  # away now
    assert any(b["rule"] == "unavailable" for b in names[duty.officer]["blocks"])
    taker = next(c["officer"]["id"] for c in cover["candidates"] if c["can"])
    filled = submit(capi, {"kind": "cover", "duty": slot, "to_officer": taker})
    assert filled["check"]["ok"] is True and filled["check"]["score_delta"]["shortfall"] < 0
    assert approve(capi, filled["id"]).json()["status"] == "applied"
    assert any(
        a.officer == taker and (a.post, a.shift, a.date) == (duty.post, duty.shift, duty.date)
        for a in published_duties(session_factory)
    )
