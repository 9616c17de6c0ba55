"""Leave: re-planned by a solve job with few changes and approved; a record when nothing needs
re-staffing or nothing is published; a stale re-plan is refused and can run again.

These tests commit for real (`live_db`): re-plans run in other threads and processes."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from typing import Any

from solver import domain as d
from tests.app.helpers import (
    UNITS,
    approve,
    as_officer,
    coverable,
    published_duties,
    ref,
    steps,
    submit,
    wait_for_proposal,
)
from tests.conftest import Api


def test_leave_is_replanned_with_few_changes_and_approved(live: Api, live_db: Any) -> None:
    before = published_duties(live_db)
    span = (datetime(2021, 11, 10), datetime(2021, 11, 13))

    def lost_by(officer: str) -> list[Any]:
        return [a for a in before if a.officer == officer and span[0].date() <= a.date < span[1].date()]

    # an officer of 甘州 who loses two duties to the leave (which one depends on the seeded roster)
    officer = next(f"gz-{n:02}" for n in range(1, 13) if len(lost_by(f"gz-{n:02}")) == 2)
    lost = lost_by(officer)
    change = submit(
        live,
        {
            "kind": "leave",
            "officer": officer,
            "start": "2021-11-10T00:00",
            "end": "2021-11-13T00:00",
            "reason": "sick",
        },
        as_officer(live, live_db, officer),
    )
    assert change["status"] == "submitted" and change["officers"] == [officer]
    assert change["check"]["stage"] == "request" and change["check"]["ok"] is True
    assert change["proposal"]["status"] in ("pending", "running", "ready") and change["proposal"]["job_id"]

    ready = wait_for_proposal(live, change["id"])
    proposal = ready["proposal"]
    assert proposal["status"] == "ready", proposal["message"]
    removed = {(d["officer"], d["date"], d["shift"]) for d in proposal["removed"]}
    assert {(a.officer, a.date.isoformat(), a.shift) for a in lost} <= removed
    assert not [
        d for d in proposal["added"] if d["officer"] == officer and "2021-11-10" <= d["date"] < "2021-11-13"
    ]
    assert proposal["changed"] == len(proposal["added"]) + len(proposal["removed"])
    # a handful of duties (the re-plan may also fill slots that were short), not a reshuffled week
    assert proposal["changed"] <= 12 and proposal["changed"] < len(before) / 5, proposal
    assert all(d["date"] >= "2021-11-09" for d in proposal["added"] + proposal["removed"])
    assert proposal["by_officer"][officer]["removed"]
    assert ready["check"]["stage"] == "proposal" and ready["check"]["ok"] is True
    assert steps(ready) == ["submitted", "proposed"]
    draft = live.get(f"/rosters/{proposal['roster_id']}").json()
    assert draft["status"] == "draft"

    assert approve(live, change["id"], as_="officer").status_code == 403
    done = approve(live, change["id"])
    assert done.status_code == 200, done.text
    applied = done.json()
    assert applied["status"] == "applied" and applied["applied_roster_id"] == proposal["roster_id"]
    after = published_duties(live_db)
    assert not [a for a in after if a.officer == officer and span[0].date() <= a.date < span[1].date()]
    assert len(set(before) ^ set(after)) == proposal["changed"]
    spans = live.get(f"/officers/{officer}/unavailability").json()["items"]
    assert any(s["start"].startswith("2021-11-10T00:00") and s["reason"] == "sick" for s in spans)
    assert steps(applied) == ["submitted", "proposed", "approved", "applied"]


def leave_on_the_day_of(api: Api, duty: d.Assignment) -> dict[str, Any]:
    """A leave change for `duty`'s officer over the whole day of the duty, as submitted."""
    day = datetime.combine(duty.date, datetime.min.time())
    return submit(
        api,
        {
            "kind": "leave",
            "officer": duty.officer,
            "start": day.isoformat(timespec="minutes"),
            "end": (day + timedelta(days=1)).isoformat(timespec="minutes"),
        },
    )


def test_replan_is_refused_when_the_roster_moved_and_can_run_again(live: Api, live_db: Any) -> None:
    duty, free = coverable(live, live_db, 1)
    leave = leave_on_the_day_of(live, duty)
    ready = wait_for_proposal(live, leave["id"])
    assert ready["proposal"]["status"] == "ready"
    assert ref(duty) in ready["proposal"]["removed"]
    # meanwhile the duty the re-plan removes is given to someone else
    cover = submit(live, {"kind": "cover", "duty": ref(duty), "to_officer": free[0]})
    assert approve(live, cover["id"]).status_code == 200
    refused = approve(live, leave["id"])
    assert refused.status_code == 409 and "re-plan" in refused.json()["error"]["message"]
    again = live.post(f"/changes/{leave['id']}/replan", as_="dispatcher")
    assert again.status_code == 202 and again.json()["proposal"]["status"] in ("pending", "running", "ready")
    ready = wait_for_proposal(live, leave["id"])
    assert ready["proposal"]["status"] == "ready"
    assert approve(live, leave["id"]).status_code == 200
    assert steps(live.get(f"/changes/{leave['id']}").json()) == [
        "submitted",
        "proposed",
        "replanned",
        "proposed",
        "approved",
        "applied",
    ]


def test_leave_with_nothing_to_restaff_is_a_record(capi: Api, session_factory: Any) -> None:
    duties = published_duties(session_factory)
    officer = "gz-03"  # on annual leave 10-11 Nov already: no duties then
    assert not [
        a for a in duties if a.officer == officer and date(2021, 11, 10) <= a.date < date(2021, 11, 12)
    ]
    change = submit(
        capi, {"kind": "leave", "officer": officer, "start": "2021-11-10T00:00", "end": "2021-11-12T00:00"}
    )
    assert change["proposal"]["status"] == "ready" and change["proposal"]["changed"] == 0
    assert change["proposal"]["job_id"] is None
    done = approve(capi, change["id"]).json()
    assert done["status"] == "applied" and done["applied_roster_id"] is None  # no duty moved: no new version
    assert published_duties(session_factory) == duties


def test_leave_outside_any_published_roster_is_a_record_until_one_is_published(
    capi: Api, session_factory: Any
) -> None:
    from app.core.db import transaction
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, publish, store_roster

    body = {"kind": "leave", "officer": "gz-04", "start": "2021-12-01T00:00", "end": "2021-12-03T00:00"}
    first = submit(capi, body)
    assert first["check"] is None and first["base_roster_id"] is None
    assert first["proposal"]["status"] == "ready" and first["proposal"]["changed"] == 0
    done = approve(capi, first["id"]).json()
    assert done["status"] == "applied" and done["applied_roster_id"] is None
    spans = capi.get("/officers/gz-04/unavailability").json()["items"]
    assert any(s["start"].startswith("2021-12-01") for s in spans)

    second = submit(capi, body | {"officer": "gz-06"})
    with transaction(session_factory) as s:  # meanwhile December is published
        december = scenario_from_db(s, ScenarioScope(date(2021, 11, 29), 7, UNITS))
        empty = d.Roster(december.name, "FEASIBLE", ())
        stored = store_roster(
            s, december, empty, snapshot_id=new_snapshot(s, december).id, unit_ids=UNITS, created_by=None
        )
        publish(s, stored, None)
    refused = approve(capi, second["id"])
    assert refused.status_code == 409 and "re-plan it first" in refused.json()["error"]["message"]
    again = capi.post(f"/changes/{second['id']}/replan")
    assert again.status_code == 202 and again.json()["check"]["ok"] is True
    assert again.json()["base_roster_id"] == stored.id
    assert approve(capi, second["id"]).status_code == 200


def test_a_change_withdrawn_while_its_replan_runs_shows_no_proposal_coming(live: Api, live_db: Any) -> None:
    duty, _ = coverable(live, live_db, 1)
    leave = leave_on_the_day_of(live, duty)
    withdrawn = live.post(f"/changes/{leave['id']}/withdraw", as_="dispatcher", json={})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn", withdrawn.text
    # withdrawing cancels the re-plan job (unless it had already ended), and the change says no
    # proposal will come (not "running")
    ended = wait_for_proposal(live, leave["id"])
    job = live.get(f"/jobs/{leave['proposal']['job_id']}").json()
    assert job["status"] in ("cancelled", "succeeded"), job
    assert ended["status"] == "withdrawn"
    if ended["proposal"]["status"] == "failed":  # (ready only when the proposal won the race)
        assert "withdrawn" in ended["proposal"]["message"]


def test_withdrawing_or_rejecting_a_change_cancels_its_replan(live: Api, live_db: Any) -> None:
    """The re-plan job of a change taken back ends cancelled (queued: at once; running: asked to
    stop), and the change says that no proposal will come."""
    duty, _ = coverable(live, live_db, 1)
    for decision in ("withdraw", "reject"):
        leave = leave_on_the_day_of(live, duty)
        job_id = leave["proposal"]["job_id"]
        assert live.get(f"/jobs/{job_id}").json()["status"] in ("queued", "running")
        body = {} if decision == "withdraw" else {"reason": "not this week"}
        done = live.post(f"/changes/{leave['id']}/{decision}", as_="dispatcher", json=body)
        assert done.status_code == 200, done.text
        job = live.get(f"/jobs/{job_id}").json()
        for _ in range(300):
            if job["status"] not in ("queued", "running"):
                break
            time.sleep(0.1)
            job = live.get(f"/jobs/{job_id}").json()
        assert job["status"] == "cancelled" and job["cancel_requested"], job
        proposal = live.get(f"/changes/{leave['id']}").json()["proposal"]
        assert proposal["status"] == "failed" and done.json()["status"] in proposal["message"], proposal
