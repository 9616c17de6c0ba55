"""Swaps: the officer asks, the partner accepts (or declines), a dispatcher approves; a swap that
would leave too little rest is refused with that reason."""

from __future__ import annotations

from typing import Any

from icalendar import Calendar

from tests.app.helpers import (
    approve,
    as_officer,
    duties_of,
    find_short_rest_swap,
    find_swap,
    ref,
    steps,
    submit,
)
from tests.conftest import Api


def test_swap_story_officer_asks_partner_accepts_dispatcher_approves(
    capi: Api, session_factory: Any, published: int
) -> None:
    a, b = find_swap(session_factory, "gz-01")
    partner = as_officer(capi, session_factory, b.officer)
    feed_url = capi.post("/officers/gz-01/calendar-feed", as_="officer").json()["url"]
    before_a, before_b = duties_of(capi, "gz-01"), duties_of(capi, b.officer)

    # officer A asks; the referee's verdict comes back at once
    change = submit(
        capi, {"kind": "swap", "duty": ref(a), "with_duty": ref(b), "reason": "family visit"}, "officer"
    )
    assert change["status"] == "submitted" and change["kind"] == "swap"
    assert change["officers"] == ["gz-01", b.officer] and change["unit_ids"] == ["ganzhou"]
    assert change["requested_by"]["username"] == "officer" and change["base_roster_id"] == published
    assert change["check"]["ok"] is True and change["check"]["violations"] == []
    assert change["check"]["score_delta"]["changes"] == 40  # two published duties leave their officer
    assert set(change["check"]["score_before"]) == {
        "shortfall",
        "overstaffing",
        "requests",
        "fairness",
        "continuity",
        "changes",
        "group_split",
        "pattern",
        "total",
    }
    assert change["proposal"] is None and steps(change) == ["submitted"]

    # not before B accepts; A cannot accept for B; B can
    refused = approve(capi, change["id"])
    assert refused.status_code == 409 and "accept" in refused.json()["error"]["message"]
    assert capi.post(f"/changes/{change['id']}/accept", as_="officer").status_code == 403
    accepted = capi.post(f"/changes/{change['id']}/accept", as_=partner)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"

    # officers cannot approve; a dispatcher of another unit cannot either; the unit's can
    assert approve(capi, change["id"], as_="officer").status_code == 403
    assert approve(capi, change["id"], as_="hq_dispatcher").status_code in (403, 404)
    applied = approve(capi, change["id"], reason="fine by the duty office")
    assert applied.status_code == 200, applied.text
    done = applied.json()
    assert done["status"] == "applied" and done["applied_roster_id"] not in (None, published)
    assert done["decision_reason"] == "fine by the duty office"
    assert steps(done) == ["submitted", "accepted", "approved", "applied"]
    assert [s["actor"] for s in done["steps"]] == ["officer", partner, "dispatcher", "dispatcher"]

    # both schedules show the change
    key = lambda x: (x.date.isoformat(), x.shift, x.post)  # noqa: E731
    assert duties_of(capi, "gz-01") == (before_a - {key(a)}) | {key(b)}
    assert duties_of(capi, b.officer) == (before_b - {key(b)}) | {key(a)}
    mine = {(d["date"], d["shift"]) for d in capi.get("/me/schedule", as_="officer").json()["items"]}
    assert (b.date.isoformat(), b.shift) in mine and (a.date.isoformat(), a.shift) not in mine
    new_version = capi.get(f"/rosters/{done['applied_roster_id']}").json()
    assert new_version["status"] == "published"
    assert capi.get(f"/rosters/{published}").json()["status"] == "superseded"

    # the iCal feed follows the published roster
    feed = Calendar.from_ical(capi.get(feed_url.removeprefix("http://testserver"), as_=None).content)
    uids = {str(e["UID"]) for e in feed.walk("VEVENT")}
    assert f"gz-01/{b.date.isoformat()}/{b.shift}@police-roster" in uids
    assert f"gz-01/{a.date.isoformat()}/{a.shift}@police-roster" not in uids

    # the audit lists every step, per roster, per officer and per duty
    trail = capi.get("/audit", params={"change": change["id"], "size": 100}).json()
    actions = [e["action"] for e in reversed(trail["items"])]
    assert actions[:3] == ["change.submitted", "change.accepted", "change.approved"]
    assert actions[-1] == "change.applied"
    assert {"roster.created", "roster.published", "duty.removed", "duty.added"} <= set(actions)
    assert sum(a == "duty.added" for a in actions) == 2 and sum(a == "duty.removed" for a in actions) == 2
    by_roster = [e["action"] for e in capi.get("/audit", params={"roster": published}).json()["items"]]
    assert "roster.superseded" in by_roster and "roster.published" in by_roster
    by_officer = capi.get("/audit", params={"officer": b.officer, "size": 100}).json()["items"]
    assert {"change.submitted", "change.accepted", "duty.added"} <= {e["action"] for e in by_officer}
    by_duty = capi.get(
        "/audit", params={"post": a.post, "shift": a.shift, "date": a.date.isoformat()}
    ).json()["items"]
    assert {(e["action"], e["officer"]) for e in by_duty} >= {
        ("duty.removed", "gz-01"),
        ("duty.added", b.officer),
    }
    assert trail["total"] == len(trail["items"]) and trail["page"] == 1

    # and the two versions compare
    delta = capi.get(f"/rosters/{published}/diff/{done['applied_roster_id']}").json()
    assert delta["changed"] == 4 and set(delta["by_officer"]) == {"gz-01", b.officer}
    assert delta["by_officer"]["gz-01"]["added"] == [ref(b) | {"officer": "gz-01"}]


def test_swap_leaving_eight_hours_of_rest_is_refused_with_that_reason(
    capi: Api, session_factory: Any, published: int
) -> None:
    a, b, day_duty = find_short_rest_swap(session_factory)
    change = submit(capi, {"kind": "swap", "duty": ref(a), "with_duty": ref(b)})
    assert change["status"] == "accepted"  # asked by the duty office: no partner to wait for
    check = change["check"]
    assert check["ok"] is False
    rest = [v for v in check["violations"] if v["rule"] == "min_rest" and v["officer"] == b.officer]
    assert rest, check["violations"]
    assert rest[0]["date"] == a.date.isoformat() and rest[0]["post"] == a.post and rest[0]["shift"] == "N"
    assert "8h after" in rest[0]["message"] and f"D duty of {day_duty.date}" in rest[0]["message"]

    refused = approve(capi, change["id"])
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "conflict" and "min_rest" in error["message"] and "8h" in error["message"]
    assert any("min_rest" in d["message"] for d in error["details"])
    again = capi.get(f"/changes/{change['id']}").json()
    assert again["status"] == "accepted" and again["applied_roster_id"] is None
    assert capi.get(f"/rosters/{published}").json()["status"] == "published"
    rejected = capi.post(f"/changes/{change['id']}/reject", as_="dispatcher", json={"reason": "rest rule"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert rejected.json()["decision_reason"] == "rest rule"


def test_partner_declines_a_swap(capi: Api, session_factory: Any) -> None:
    a, b = find_swap(session_factory, "gz-01")
    partner = as_officer(capi, session_factory, b.officer)
    change = submit(capi, {"kind": "swap", "duty": ref(a), "with_duty": ref(b)}, "officer")
    declined = capi.post(f"/changes/{change['id']}/reject", as_=partner, json={"reason": "I am busy"})
    assert declined.status_code == 200 and declined.json()["status"] == "rejected"
    assert steps(declined.json()) == ["submitted", "rejected"]
    assert capi.post(f"/changes/{change['id']}/accept", as_=partner).status_code == 409
