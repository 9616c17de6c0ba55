"""Standby (备勤): a standby post (kind other) is rostered like any post; who-can-cover puts the
officers on standby at the duty's time first; a call-out turns a standby duty into a post duty,
judged, approved, audited and notified like any change."""

from __future__ import annotations

from datetime import date
from typing import Any

from solver import domain as d
from tests.app.helpers import approve, as_officer, judge, published_duties, ref, steps, submit
from tests.conftest import Api


def publish_with_standby(api: Api, factory: Any) -> d.Assignment:
    """A standby post for ganzhou, and the published week with one officer on standby on a
    day shift (the first day from Wednesday with an officer free, breaking no rule); returns it."""
    from app.core.db import transaction
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, store_roster
    from solver.check import check_assignments
    from tests.app.helpers import MON, UNITS

    bad = api.post(
        "/posts",
        json={"id": "gz-standby", "name": "备勤组", "kind": "patrol", "unit": "ganzhou", "standby": True},
    )
    assert bad.status_code == 422
    made = api.post(
        "/posts",
        json={
            "id": "gz-standby",
            "name": "备勤组",
            "kind": "other",
            "unit": "ganzhou",
            "standby": True,
            "coverage": [{"shift": "D", "min": 0, "max": 1}],
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["standby"] is True
    duties = published_duties(factory)
    standby = next(
        (
            x
            for day in (date(2021, 11, n) for n in range(10, 15))
            for officer in sorted({a.officer for a in duties if a.officer.startswith("gz-")})
            if not any(a.officer == officer and a.date == day for a in duties)
            for x in [d.Assignment(day, "D", "gz-standby", officer)]
            if not judge(factory, sorted([*duties, x]))
        ),
        None,
    )
    assert standby is not None, "no officer free for standby on a day shift"
    with transaction(factory) as s:
        scenario = scenario_from_db(s, ScenarioScope(start=MON, days=7))
        report = check_assignments(scenario, sorted([*duties, standby]))
        roster = d.Roster(
            scenario=scenario.name,
            status="FEASIBLE",
            assignments=tuple(sorted([*duties, standby])),
            objective=report.score.total,
            bound=None,
            score=report.score,
        )
        snapshot = new_snapshot(s, scenario)
        draft = store_roster(s, scenario, roster, snapshot_id=snapshot.id, unit_ids=UNITS, created_by=None)
        draft_id = draft.id
    assert api.post(f"/rosters/{draft_id}/publish").status_code == 200
    return standby


def test_standby_counts_ranks_first_and_is_called_out(capi: Api, session_factory: Any) -> None:
    standby = publish_with_standby(capi, session_factory)
    before = published_duties(session_factory)
    mine = capi.get("/duties", params={"officer": standby.officer, "limit": 50}).json()
    assert any(x["post"] == "gz-standby" and x["date"] == standby.date.isoformat() for x in mine["items"])
    # standby counts as duty time: the officers report counts the duty and its 8 hours
    stats = capi.get("/reports/officers", params={"start": "2021-11-08", "end": "2021-11-15"}).json()
    row = next(r for r in stats["officers"] if r["officer"] == standby.officer)
    others = [a for a in before if a.officer == standby.officer]
    assert row["duties"] == len(others)
    assert row["hours"] == sum(600 if a.shift == "A" else 480 for a in others) / 60

    # who can cover a day-shift duty that day: the officer on standby comes first
    day = standby.date
    targets = [a for a in before if a.date == day and a.shift == "D" and a.post != "gz-standby"]
    chosen = None
    for duty in targets:
        candidates = capi.get("/cover", params=ref(duty)).json()["candidates"]
        first = candidates[0]
        if first["officer"]["id"] == standby.officer:
            assert first["standby"] is True and first["can"] is True
            assert not any(c["standby"] for c in candidates[1:])
            chosen = duty
            break
    assert chosen is not None, "the standby officer could cover none of the day's day duties"

    # the call-out: the standby duty becomes that post duty, taking over the other officer's
    body = {"kind": "call_out", "standby_duty": ref(standby), "post": chosen.post, "replaces": chosen.officer}
    assert capi.post("/changes", as_="officer", json=body).status_code == 403
    change = submit(capi, {**body, "reason": "急需增援"})
    assert change["kind"] == "call_out" and change["check"]["ok"] is True, change["check"]
    assert change["officers"] == [standby.officer, chosen.officer]
    done = approve(capi, change["id"])
    assert done.status_code == 200, done.text
    assert steps(done.json()) == ["submitted", "approved", "applied"]
    after = set(published_duties(session_factory))
    assert standby not in after and chosen not in after
    assert d.Assignment(day, "D", chosen.post, standby.officer) in after
    events = capi.get("/audit", params={"change": change["id"], "action": "duty.added"}).json()["items"]
    assert [(e["officer"], e["post"]) for e in events] == [(standby.officer, chosen.post)]
    notes = capi.get("/notifications", as_=as_officer(capi, session_factory, standby.officer)).json()["items"]
    assert notes[0]["details"]["cause"] == "call_out"
    assert notes[0]["details"]["added"] == [{"date": day.isoformat(), "shift": "D", "post": chosen.post}]


def test_a_call_out_needs_a_standby_duty(capi: Api, session_factory: Any) -> None:
    duty = next(a for a in published_duties(session_factory) if a.date == date(2021, 11, 11))
    refused = capi.post("/changes", json={"kind": "call_out", "standby_duty": ref(duty), "post": "hospital"})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["path"] == "body.standby_duty.post"
