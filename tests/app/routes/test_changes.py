"""Changes to the published roster: swap, cover, leave and coverage change, checked by the referee
on submission and again at approval, applied as a new published version, every step audited.

The rolled-back tests use example-small's solved roster (the `published` fixture) with the service's
"now" fixed at Tuesday 2021-11-09 12:00, so Monday and Tuesday morning are worked and frozen. Leave
and coverage changes are re-planned by solve jobs in other threads and processes: those tests
commit for real (`live_db`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import select

from tests.conftest import REPO, TOKENS, Api, test_settings

NOW = datetime(2021, 11, 9, 12, 0)
MON = date(2021, 11, 8)
UNITS = ["ganzhou", "hq"]


# --------------------------------------------------------------------------- helpers


def officer_token(factory: Any, officer: str) -> str:
    """An account for `officer` (username = officer id) with a fixed bearer token."""
    from app.db import transaction
    from app.models import ApiToken, User
    from app.security import token_digest
    from app.services import auth

    token = f"test-token-{officer}-0123456789abcdef"
    with transaction(factory) as s:
        if s.scalar(select(User).where(User.username == officer)) is None:
            user = auth.create_user(s, officer, "officer", "password-" + officer, [], officer)
            now = auth.utcnow()
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

    from app.main import create_app

    app = create_app(test_settings(now=NOW, **settings), factory)
    with TestClient(app) as client:
        yield Api(client, dict(TOKENS))


@pytest.fixture
def capi(session_factory: Any, published: int) -> Iterator[Api]:
    """The service with "now" = Tuesday noon, on example-small's published roster."""
    yield from make_api(session_factory)


def as_officer(api: Api, factory: Any, officer: str) -> str:
    """The `as_` name for requests by `officer` (gz-01 is the seeded "officer")."""
    if officer == "gz-01":
        return "officer"
    api.tokens[officer] = officer_token(factory, officer)
    return officer


def published_duties(factory: Any) -> list[Any]:
    from app import mappers
    from solver import domain as d

    with factory() as s:
        rows = mappers.published_assignments(s, MON, MON + timedelta(days=7))
        return sorted(d.Assignment(a.date, a.shift_id, a.post_id, a.officer_id) for a in rows)


def judge(factory: Any, after: list[Any]) -> list[Any]:
    """The hard rules `after` newly breaks, as the service judges a change (now frozen)."""
    from app import mappers
    from app.services.change_scenario import with_frozen_past
    from solver.check import check_assignments

    with factory() as s:
        scenario = with_frozen_past(mappers.scenario_from_db(s, mappers.ScenarioScope(MON, 7, UNITS)), NOW)
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


# --------------------------------------------------------------------------- the sample-week story


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
        "requests",
        "fairness",
        "continuity",
        "changes",
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


# --------------------------------------------------------------------------- cover and who can cover


def test_who_can_cover_ranks_candidates_with_reasons(capi: Api, session_factory: Any) -> None:
    duty = next(a for a in future(published_duties(session_factory)) if a.post == "g30-east")
    response = capi.get("/cover", as_="dispatcher", params={**ref(duty), "date": duty.date.isoformat()})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["duty"] == ref(duty)
    candidates = body["candidates"]
    can = [c for c in candidates if c["can"]]
    cannot = [c for c in candidates if not c["can"]]
    assert can and cannot and candidates == can + cannot
    assert [c["total"] for c in can] == sorted(c["total"] for c in can)
    assert all(c["total"] == sum(c["delta"].values()) and c["blocks"] == [] for c in can)
    assert all(c["total"] is None and c["blocks"] and c["blocks"][0]["rule"] for c in cannot)
    assert duty.officer not in {c["officer"]["id"] for c in candidates}
    assert {"id", "name", "unit"} == set(can[0]["officer"])

    # the chosen one takes it: the referee agrees
    best = can[0]["officer"]["id"]
    change = submit(capi, {"kind": "cover", "duty": ref(duty), "to_officer": best, "reason": "sick"})
    assert change["check"]["ok"] is True
    assert change["check"]["score_delta"]["total"] == can[0]["total"]
    done = approve(capi, change["id"]).json()
    assert done["status"] == "applied"
    holders = capi.get(
        "/duties",
        params={
            "post": duty.post,
            "shift": duty.shift,
            "start": duty.date.isoformat(),
            "end": (duty.date + timedelta(days=1)).isoformat(),
        },
    ).json()["items"]
    assert best in {d["officer"] for d in holders} and duty.officer not in {d["officer"] for d in holders}


def test_cover_in_the_frozen_past_and_bad_queries(capi: Api, session_factory: Any) -> None:
    worked = next(a for a in published_duties(session_factory) if a.date == MON)
    body = capi.get("/cover", params={**ref(worked), "date": MON.isoformat()}).json()
    assert not any(c["can"] for c in body["candidates"])
    assert all(any(b["rule"] == "frozen_until" for b in c["blocks"]) for c in body["candidates"])
    change = submit(capi, {"kind": "cover", "duty": ref(worked), "to_officer": "hq-01"})
    assert change["check"]["ok"] is False
    assert {"frozen_until", "pinned_missing"} <= {v["rule"] for v in change["check"]["violations"]}

    no_slot = capi.get("/cover", params={"post": "ix-center", "shift": "A", "date": "2021-11-13"})
    assert no_slot.status_code == 422 and "no A slot" in no_slot.json()["error"]["message"]
    unknown = capi.get("/cover", params={"post": "nowhere", "shift": "D", "date": "2021-11-10"})
    assert unknown.status_code == 422 and unknown.json()["error"]["details"][0]["path"] == "query.post"
    unpublished = capi.get("/cover", params={"post": "g30-east", "shift": "D", "date": "2021-12-01"})
    assert (
        unpublished.status_code == 422 and "no roster is published" in unpublished.json()["error"]["message"]
    )
    duty = future(published_duties(session_factory))[0]
    holders = {
        a.officer
        for a in published_duties(session_factory)
        if (a.post, a.shift, a.date) == (duty.post, duty.shift, duty.date)
    }
    stranger = next(o for o in ("gz-01", "gz-02", "gz-03") if o not in holders)
    not_holder = capi.get("/cover", params={**ref(duty), "officer": stranger})
    assert (
        not_holder.status_code == 422 and not_holder.json()["error"]["details"][0]["path"] == "query.officer"
    )
    officer_view = capi.get(
        "/cover", as_="officer", params={"post": "g30-east", "shift": "D", "date": "2021-11-11"}
    )
    assert officer_view.status_code == 200


# --------------------------------------------------------------------------- rights and lifecycle


def test_who_may_do_what(capi: Api, session_factory: Any) -> None:
    duties = future(published_duties(session_factory))
    theirs = next(a for a in duties if a.officer == "gz-02")
    mine = next(a for a in duties if a.officer == "gz-01")

    # officers: their own duties only, no coverage changes
    forbidden = capi.post(
        "/changes", as_="officer", json={"kind": "cover", "duty": ref(theirs), "to_officer": "gz-03"}
    )
    assert forbidden.status_code == 403
    coverage = {
        "kind": "coverage_change",
        "post": "hospital",
        "shift": "D",
        "from_date": "2021-11-11",
        "min": 2,
    }
    assert capi.post("/changes", as_="officer", json=coverage).status_code == 403
    assert capi.post("/changes", as_="hq_dispatcher", json=coverage).status_code == 403
    leave = {"kind": "leave", "officer": "gz-02", "start": "2021-11-10T00:00", "end": "2021-11-11T00:00"}
    assert capi.post("/changes", as_="officer", json=leave).status_code == 403

    # an officer may offer to take a duty, and withdraw it; others cannot see it
    offer = submit(capi, {"kind": "cover", "duty": ref(theirs), "to_officer": "gz-01"}, "officer")
    other = as_officer(capi, session_factory, "gz-05")
    assert capi.get(f"/changes/{offer['id']}", as_=other).status_code == 404
    assert capi.get(f"/changes/{offer['id']}", as_="hq_dispatcher").status_code == 404
    assert capi.post(f"/changes/{offer['id']}/withdraw", as_=other).status_code == 404
    assert capi.post(f"/changes/{offer['id']}/accept", as_="officer").status_code == 409  # not a swap
    gz02 = as_officer(capi, session_factory, "gz-02")
    assert capi.get(f"/changes/{offer['id']}", as_=gz02).status_code == 200  # it names them
    assert capi.post(f"/changes/{offer['id']}/withdraw", as_=gz02).status_code == 403
    withdrawn = capi.post(f"/changes/{offer['id']}/withdraw", as_="officer")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert approve(capi, offer["id"]).status_code == 409
    assert capi.post(f"/changes/{offer['id']}/withdraw", as_="officer").status_code == 409

    # reject needs a reason, and only the duty office (or a swap's partner) rejects
    ask = submit(capi, {"kind": "cover", "duty": ref(mine), "to_officer": "gz-12"}, "officer")
    assert (
        capi.post(f"/changes/{ask['id']}/reject", as_="dispatcher", json={"reason": " "}).status_code == 422
    )
    assert capi.post(f"/changes/{ask['id']}/reject", as_="dispatcher", json={}).status_code == 422
    assert capi.post(f"/changes/{ask['id']}/reject", as_="officer", json={"reason": "no"}).status_code == 403
    assert (
        capi.post(f"/changes/{ask['id']}/reject", as_="dispatcher", json={"reason": "no"}).status_code == 200
    )

    # listings: officers see theirs, dispatchers their units', with filters and pages
    listing = capi.get("/changes", as_="officer").json()
    assert {c["id"] for c in listing["items"]} == {offer["id"], ask["id"]}
    assert listing["total"] == 2 and listing["page"] == 1
    assert capi.get("/changes", as_=other).json()["total"] == 0
    assert capi.get("/changes", as_="hq_dispatcher").json()["total"] == 0
    staff = capi.get("/changes", as_="dispatcher", params={"status": "rejected"}).json()
    assert [c["id"] for c in staff["items"]] == [ask["id"]]
    assert capi.get("/changes", params={"kind": "cover", "officer": "gz-12"}).json()["total"] == 1
    assert capi.get("/changes", params={"unit": "hq"}).json()["total"] == 0
    paged = capi.get("/changes", params={"page": 2, "size": 1}).json()
    assert paged["page"] == 2 and paged["size"] == 1 and len(paged["items"]) == 1 and paged["offset"] == 1
    assert capi.get("/changes", params={"status": "bogus"}).status_code == 422
    assert capi.get("/changes/999999").status_code == 404


def test_partner_declines_a_swap(capi: Api, session_factory: Any) -> None:
    a, b = find_swap(session_factory, "gz-01")
    partner = as_officer(capi, session_factory, b.officer)
    change = submit(capi, {"kind": "swap", "duty": ref(a), "with_duty": ref(b)}, "officer")
    declined = capi.post(f"/changes/{change['id']}/reject", as_=partner, json={"reason": "I am busy"})
    assert declined.status_code == 200 and declined.json()["status"] == "rejected"
    assert steps(declined.json()) == ["submitted", "rejected"]
    assert capi.post(f"/changes/{change['id']}/accept", as_=partner).status_code == 409


def test_bad_requests_are_refused_with_the_field(capi: Api, session_factory: Any) -> None:
    a = future(published_duties(session_factory))[0]
    cases = [
        ({"kind": "swap", "duty": ref(a), "with_duty": ref(a)}, 422, None),
        ({"kind": "cover", "duty": ref(a), "to_officer": a.officer}, 422, None),
        ({"kind": "cover", "duty": ref(a), "to_officer": "nobody"}, 422, "body.to_officer"),
        (
            {"kind": "cover", "duty": ref(a) | {"post": "nowhere"}, "to_officer": "gz-03"},
            422,
            "body.duty.post",
        ),
        ({"kind": "cover", "duty": ref(a) | {"date": "2021-12-01"}, "to_officer": "gz-03"}, 422, None),
        (
            {
                "kind": "cover",
                "duty": ref(a) | {"officer": "gz-03" if a.officer != "gz-03" else "gz-04"},
                "to_officer": "hq-01",
            },
            422,
            "body.duty",
        ),
        (
            {"kind": "leave", "officer": "gz-02", "start": "2021-11-12T00:00", "end": "2021-11-11T00:00"},
            422,
            None,
        ),
        (
            {
                "kind": "leave",
                "officer": "gz-02",
                "start": "2021-11-12T00:00+08:00",
                "end": "2021-11-13T00:00",
            },
            422,
            None,
        ),
        (
            {
                "kind": "coverage_change",
                "post": "hospital",
                "shift": "D",
                "from_date": "2021-11-11",
                "min": 3,
                "max": 1,
            },
            422,
            None,
        ),
        (
            {
                "kind": "coverage_change",
                "post": "hospital",
                "shift": "D",
                "from_date": "2021-11-01",
                "min": 1,
            },
            422,
            "body.from_date",
        ),
        (
            {
                "kind": "coverage_change",
                "post": "g30-east",
                "shift": "D",
                "from_date": "2021-11-11",
                "min": 0,
                "max": 0,
                "skills": {"nope": 1},
            },
            422,
            None,
        ),
        ({"kind": "unknown"}, 422, None),
    ]
    for body, status, path in cases:
        response = capi.post("/changes", json=body)
        assert response.status_code == status, (body, response.text)
        if path is not None:
            assert response.json()["error"]["details"][0]["path"] == path, (body, response.text)
    assert capi.get("/changes").json()["total"] == 0


def test_the_second_of_two_covers_for_one_duty_is_refused(capi: Api, session_factory: Any) -> None:
    duty, free = coverable(capi, session_factory, 2)
    first = submit(capi, {"kind": "cover", "duty": ref(duty), "to_officer": free[0]})
    second = submit(capi, {"kind": "cover", "duty": ref(duty), "to_officer": free[1]})
    assert approve(capi, first["id"]).status_code == 200
    refused = approve(capi, second["id"])
    assert refused.status_code == 409
    assert refused.json()["error"]["message"].startswith("the duty moved")
    holders = [
        a
        for a in published_duties(session_factory)
        if (a.post, a.shift, a.date) == (duty.post, duty.shift, duty.date)
    ]
    assert free[0] in {a.officer for a in holders} and free[1] not in {a.officer for a in holders}


def test_approving_with_a_short_slot_in_the_frozen_past_answers_200(
    session_factory: Any, small_roster_document: dict[str, Any]
) -> None:
    """A slot left short before "now" is explained by the frozen past (this once answered 500)."""
    from app import mappers
    from app.db import transaction
    from app.services.rosters import new_snapshot, publish, store_roster
    from solver import domain as d
    from solver.check import check_assignments
    from solver.roster import roster_from_dict

    roster, _ = roster_from_dict(small_roster_document)
    monday = next(a for a in roster.assignments if a.date == MON)
    with transaction(session_factory) as s:
        scenario = mappers.scenario_from_db(s, mappers.ScenarioScope(start=MON, days=7))
        kept = tuple(a for a in roster.assignments if a != monday)
        report = check_assignments(scenario, kept)
        short = d.Roster(
            scenario.name, "FEASIBLE", kept, report.score.total, None, report.score, report.shortfalls
        )
        stored = store_roster(
            s, scenario, short, snapshot_id=new_snapshot(s, scenario).id, unit_ids=UNITS, created_by=None
        )
        publish(s, stored, None)
    api = next(make_api(session_factory))
    duty, free = coverable(api, session_factory, 1)
    cover = submit(api, {"kind": "cover", "duty": ref(duty), "to_officer": free[0]})
    response = approve(api, cover["id"])
    assert response.status_code == 200, response.text
    new_version = response.json()["applied_roster_id"]
    reasons = api.get(f"/rosters/{new_version}/shortfalls").json()["items"]
    past = [
        r
        for r in reasons
        if (r["post"], r["shift"], r["date"]) == (monday.post, monday.shift, MON.isoformat())
    ]
    assert past and all("frozen_until" in (r["causes"] or {}) for r in past), reasons


def test_two_changes_on_one_version_both_apply_without_losing_either(
    capi: Api, session_factory: Any, published: int
) -> None:
    a, b = find_swap(session_factory, "gz-01")
    duty, free = coverable(capi, session_factory, 1, avoid=(a.officer, b.officer))
    taker = free[0]
    swap = submit(capi, {"kind": "swap", "duty": ref(a), "with_duty": ref(b)})
    cover = submit(capi, {"kind": "cover", "duty": ref(duty), "to_officer": taker})
    assert swap["base_roster_id"] == cover["base_roster_id"] == published
    first = approve(capi, swap["id"]).json()
    second = approve(capi, cover["id"])
    assert second.status_code == 200, second.text
    final = published_duties(session_factory)
    assert replace(a, officer=b.officer) in final and replace(b, officer=a.officer) in final
    assert replace(duty, officer=taker) in final and duty not in final
    chain = capi.get(
        f"/rosters/{first['applied_roster_id']}/diff/{second.json()['applied_roster_id']}"
    ).json()
    assert chain["changed"] == 2  # the second version is the first plus the cover


# --------------------------------------------------------------------------- leave, coverage change (jobs)


@pytest.fixture
def live(live_db: Any, small_roster_document: dict[str, Any]) -> Iterator[Api]:
    """Real commits, example-small's roster published, "now" = Tuesday noon."""
    from app import mappers
    from app.db import transaction
    from app.services.rosters import new_snapshot, publish, store_roster
    from solver.roster import roster_from_dict

    with transaction(live_db) as s:
        scenario = mappers.scenario_from_db(s, mappers.ScenarioScope(start=MON, days=7))
        roster, _ = roster_from_dict(small_roster_document)
        snapshot = new_snapshot(s, scenario)
        stored = store_roster(s, scenario, roster, snapshot_id=snapshot.id, unit_ids=UNITS, created_by=None)
        publish(s, stored, None)
    yield from make_api(live_db)


def wait_for_proposal(api: Api, change_id: int, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        change = api.get(f"/changes/{change_id}").json()
        if change["proposal"]["status"] in ("ready", "failed"):
            return dict(change)
        assert time.monotonic() < deadline, change
        time.sleep(0.1)


def test_leave_is_replanned_with_few_changes_and_approved(live: Api, live_db: Any) -> None:
    before = published_duties(live_db)
    officer = "gz-05"
    span = (datetime(2021, 11, 10), datetime(2021, 11, 13))
    lost = [a for a in before if a.officer == officer and span[0].date() <= a.date < span[1].date()]
    assert lost
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


def test_coverage_change_closes_a_shift_from_a_date(live: Api, live_db: Any) -> None:
    before = published_duties(live_db)
    closing = [a for a in before if a.post == "xihuishan" and a.shift == "E" and a.date >= date(2021, 11, 11)]
    kept = [a for a in before if a.post == "xihuishan" and a.shift == "E" and a.date < date(2021, 11, 11)]
    assert closing and kept
    body = {
        "kind": "coverage_change",
        "post": "xihuishan",
        "shift": "E",
        "from_date": "2021-11-11",
        "min": 0,
        "max": 0,
    }
    assert live.post("/changes", as_="officer", json=body).status_code == 403
    change = submit(live, body | {"reason": "service area closed"})
    assert change["officers"] == [] and change["unit_ids"] == ["ganzhou"]
    assert {(v["post"], v["shift"]) for v in change["check"]["violations"]} <= set()
    ready = wait_for_proposal(live, change["id"])
    assert ready["proposal"]["status"] == "ready", ready
    removed = {(d["post"], d["shift"], d["date"]) for d in ready["proposal"]["removed"]}
    assert {(a.post, a.shift, a.date.isoformat()) for a in closing} <= removed
    assert approve(live, change["id"]).status_code == 200
    after = published_duties(live_db)
    assert not [a for a in after if a.post == "xihuishan" and a.shift == "E" and a.date >= date(2021, 11, 11)]
    assert set(kept) <= set(after)
    post = live.get("/posts/xihuishan").json()
    assert [c["shift"] for c in post["coverage"]] == ["D"]
    # the week still has its evening slots before the closure; none after
    assert (
        live.get("/cover", params={"post": "xihuishan", "shift": "E", "date": "2021-11-10"}).status_code
        == 200
    )
    closed = live.get("/cover", params={"post": "xihuishan", "shift": "E", "date": "2021-11-12"})
    assert closed.status_code == 422
    # a roster job for the week sees the same coverage
    job = live.post("/jobs", json={"start": "2021-11-08", "days": 7, "time_limit": 1}).json()
    from app.models import ScenarioSnapshot, SolveJob

    with live_db() as s:
        document = s.get(ScenarioSnapshot, s.get(SolveJob, job["id"]).snapshot_id).document
    entries = [
        c for p in document["posts"] if p["id"] == "xihuishan" for c in p["coverage"] if c["shift"] == "E"
    ]
    assert [c["days"] for c in entries] == [["2021-11-08", "2021-11-09", "2021-11-10"]]
    live.post(f"/jobs/{job['id']}/cancel")
    # and so does the scenario the stored data export for the week
    exported = live.get("/export/scenario", params={"start": "2021-11-08", "days": 7}).json()
    assert [
        c["days"]
        for p in exported["posts"]
        if p["id"] == "xihuishan"
        for c in p["coverage"]
        if c["shift"] == "E"
    ] == [["2021-11-08", "2021-11-09", "2021-11-10"]]


def test_new_shift_on_a_post_is_staffed_by_the_replan(live: Api, live_db: Any) -> None:
    body = {
        "kind": "coverage_change",
        "post": "hospital",
        "shift": "E",
        "from_date": "2021-11-12",
        "min": 1,
        "reason": "night clinic",
    }
    change = submit(live, body)
    assert change["check"]["score_delta"]["shortfall"] > 0  # new slots, nobody on them yet
    ready = wait_for_proposal(live, change["id"])
    added = {(d["post"], d["shift"], d["date"]) for d in ready["proposal"]["added"]}
    assert {("hospital", "E", day) for day in ("2021-11-12", "2021-11-13", "2021-11-14")} <= added
    assert ready["check"]["score_after"]["shortfall"] <= change["check"]["score_after"]["shortfall"]
    assert approve(live, change["id"]).status_code == 200
    post = live.get("/posts/hospital").json()
    assert {c["shift"] for c in post["coverage"]} == {"D", "E"}


def publish_second_week(factory: Any) -> tuple[int, list[Any]]:
    """The week after the sample's, solved and published as its own version."""
    from app import mappers
    from app.db import transaction
    from app.services.rosters import new_snapshot, publish, store_roster
    from solver.solve import SolveOptions, solve

    with transaction(factory) as s:
        scenario = mappers.scenario_from_db(s, mappers.ScenarioScope(start=MON + timedelta(days=7), days=7))
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


def test_a_closure_carries_into_the_rosters_published_after(live: Api, live_db: Any) -> None:
    second, duties = publish_second_week(live_db)
    evening = [a for a in duties if a.post == "xihuishan" and a.shift == "E"]
    assert evening
    change = submit(
        live,
        {"kind": "coverage_change", "post": "xihuishan", "shift": "E", "from_date": "2021-11-11", "min": 0},
    )
    proposal = wait_for_proposal(live, change["id"])["proposal"]
    assert proposal["status"] == "ready", proposal["message"]
    # the proposal says what approving will do to the next week, before anyone approves
    (carry,) = proposal["carries"]
    assert (carry["roster_id"], carry["start"], carry["days"]) == (second, "2021-11-15", 7)
    assert sorted((x["officer"], x["date"]) for x in carry["removed"]) == sorted(
        (a.officer, a.date.isoformat()) for a in evening
    )
    assert approve(live, change["id"]).status_code == 200
    # the next week is published again, made by the change: its evening duties there are gone
    carried = version_after(live, second)
    items = every_item(live, f"/rosters/{carried['id']}/duties")
    assert {(x["officer"], x["post"], x["shift"], x["date"]) for x in items} == {
        (a.officer, a.post, a.shift, a.date.isoformat()) for a in duties if a not in evening
    }

    # judged on the scenario the carried version was made with, the old duties break the closure
    # and the carried ones break nothing more than the old ones did apart from that (the week-1
    # re-plan does not look at the following week; see the note in the README)
    from solver.check import check_assignments
    from solver.scenario import scenario_from_dict

    scenario = scenario_from_dict(live.get(f"/rosters/{carried['id']}/scenario.json").json())
    kept = [a for a in duties if a not in evening]

    def broken(assignments: list[Any]) -> list[tuple[str, str, str]]:
        found = check_assignments(scenario, assignments).violations
        return sorted((v.rule, v.officer or "", str(v.date)) for v in found)

    closed = {("no_coverage_slot", a.officer, a.date.isoformat()) for a in evening}
    assert closed <= set(broken(duties))
    assert broken(kept) == [v for v in broken(duties) if v not in closed]
    events = live.get("/audit", params={"change": change["id"], "roster": carried["id"]}).json()["items"]
    assert sum(e["action"] == "duty.removed" for e in events) == len(evening)
    assert {"roster.created", "roster.published"} <= {e["action"] for e in events}


def test_a_new_shift_carries_into_later_rosters_as_short_slots_with_reasons(live: Api, live_db: Any) -> None:
    second, duties = publish_second_week(live_db)
    change = submit(
        live,
        {"kind": "coverage_change", "post": "hospital", "shift": "E", "from_date": "2021-11-12", "min": 1},
    )
    proposal = wait_for_proposal(live, change["id"])["proposal"]
    assert proposal["status"] == "ready", proposal["message"]
    assert approve(live, change["id"]).status_code == 200
    carried = version_after(live, second)
    assert live.get(f"/rosters/{carried['id']}/duties").json()["total"] == len(duties)
    short = every_item(live, f"/rosters/{carried['id']}/shortfalls")
    week = [(MON + timedelta(days=7 + i)).isoformat() for i in range(7)]
    new = [x for x in short if (x["post"], x["shift"]) == ("hospital", "E")]
    assert sorted(x["date"] for x in new) == week and all(x["reason"] for x in new)


def test_a_change_is_judged_with_the_week_published_after_it(live: Api, live_db: Any) -> None:
    _, next_week = publish_second_week(live_db)
    monday = MON + timedelta(days=7)
    sunday_evenings = [
        a for a in published_duties(live_db) if a.date == monday - timedelta(days=1) and a.shift == "E"
    ]
    early_on_monday = sorted({a.officer for a in next_week if a.date == monday and a.shift == "D"})
    assert sunday_evenings and early_on_monday
    # someone on duty at 08:00 on Monday takes a duty that ends at midnight on Sunday: 8 h of rest
    duty = sunday_evenings[0]
    taker = next(o for o in early_on_monday if o != duty.officer)
    change = submit(live, {"kind": "cover", "duty": ref(duty), "to_officer": taker})
    rest = [
        v
        for v in change["check"]["violations"]
        if (v["rule"], v["officer"], v["date"]) == ("min_rest", taker, monday.isoformat())
    ]
    assert rest and "8h after" in rest[0]["message"], change["check"]
    refused = approve(live, change["id"])
    assert refused.status_code == 409 and "min_rest" in refused.json()["error"]["message"]
    # and "who can cover" says so before anyone asks
    params = {"post": duty.post, "shift": duty.shift, "date": duty.date.isoformat(), "officer": duty.officer}
    candidates = live.get("/cover", params=params).json()["candidates"]
    them = next(c for c in candidates if c["officer"]["id"] == taker)
    assert any(b["rule"] == "min_rest" and monday.isoformat() in b["message"] for b in them["blocks"])


def test_replan_is_refused_when_the_roster_moved_and_can_run_again(live: Api, live_db: Any) -> None:
    duty, free = coverable(live, live_db, 1)
    day = datetime.combine(duty.date, datetime.min.time())
    leave = submit(
        live,
        {
            "kind": "leave",
            "officer": duty.officer,
            "start": day.isoformat(timespec="minutes"),
            "end": (day + timedelta(days=1)).isoformat(timespec="minutes"),
        },
    )
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
    from app import mappers
    from app.db import transaction
    from app.services.rosters import new_snapshot, publish, store_roster
    from solver import domain as d

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
        december = mappers.scenario_from_db(s, mappers.ScenarioScope(date(2021, 11, 29), 7, UNITS))
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


# --------------------------------------------------------------------------- the Zhangye week


def test_zhangye_leave_replanned_in_seconds_with_a_handful_of_changes(live_db: Any, engine: Any) -> None:
    """The Zhangye week (598 officers, 87 posts): who can cover answers well under a second; one
    officer's three-day leave is re-planned in seconds with a handful of changed duties.

    Solving the whole week takes a minute, so the week's published roster is the greedy one, and
    for the leave the Sunan unit (46 officers, its own part of the week) is solved for 5 s and
    published over it: a re-plan of a poor roster would rightly improve much more than the leave."""
    import json

    from app import mappers
    from app.db import transaction
    from app.services.imports import import_scenario
    from app.services.rosters import new_snapshot, publish, store_roster
    from solver import domain as d
    from solver.check import check_assignments
    from solver.greedy import greedy_roster
    from solver.solve import SolveOptions, solve

    if engine.dialect.name != "sqlite":
        pytest.skip("timing on one backend is enough (about 20 s)")
    zhangye = json.loads((REPO / "data" / "zhangye-2021-11-08.json").read_text(encoding="utf-8"))
    with transaction(live_db) as s:
        import_scenario(s, zhangye, True, None)
        week = mappers.scenario_from_db(s, mappers.ScenarioScope(start=MON, days=7))
        duties = greedy_roster(week)
        report = check_assignments(week, duties)
        assert not report.violations
        greedy = d.Roster(
            week.name, "FEASIBLE", tuple(sorted(duties)), report.score.total, None, report.score
        )
        stored = store_roster(
            s,
            week,
            greedy,
            snapshot_id=new_snapshot(s, week).id,
            unit_ids=[u.id for u in week.units],
            created_by=None,
        )
        publish(s, stored, None)
    with transaction(live_db) as s:
        sunan = mappers.scenario_from_db(s, mappers.ScenarioScope(start=MON, days=7, unit_ids=["sunan"]))
        solved = solve(replace(sunan, baseline=()), SolveOptions(time_limit=5, workers=2))
        stored = store_roster(
            s, sunan, solved, snapshot_id=new_snapshot(s, sunan).id, unit_ids=["sunan"], created_by=None
        )
        publish(s, stored, None)
    solver_settings = test_settings().solver.model_copy(update={"replan_time_limit": 5, "workers": 2})
    for api in make_api(live_db, solver=solver_settings):
        published = published_duties(live_db)
        some = next(a for a in published if a.post.startswith("gz-"))
        timings = []
        for _ in range(5):  # the best of five: other tests share the CPUs
            started = time.perf_counter()
            cover = api.get("/cover", params={**ref(some), "date": some.date.isoformat()})
            timings.append(time.perf_counter() - started)
        assert cover.status_code == 200 and min(timings) < 1.0, timings  # about 0.35 s on an idle machine
        assert len(cover.json()["candidates"]) > 20

        span = (date(2021, 11, 10), date(2021, 11, 13))
        skilled = {o.id for o in sunan.officers if o.skills}
        by_officer: dict[str, list[Any]] = {}
        for a in published:
            if a.post.startswith("sn-") and span[0] <= a.date < span[1] and a.officer not in skilled:
                by_officer.setdefault(a.officer, []).append(a)
        officer, lost = min(by_officer.items(), key=lambda item: (-len(item[1]), item[0]))
        started = time.perf_counter()
        change = submit(
            api,
            {"kind": "leave", "officer": officer, "start": "2021-11-10T00:00", "end": "2021-11-13T00:00"},
            "admin",
        )
        ready = wait_for_proposal(api, change["id"], timeout=90)
        elapsed = time.perf_counter() - started
        proposal = ready["proposal"]
        assert proposal["status"] == "ready", proposal["message"]
        assert {(a.officer, a.date.isoformat(), a.shift) for a in lost} <= {
            (x["officer"], x["date"], x["shift"]) for x in proposal["removed"]
        }
        week = [a for a in published if a.post.startswith("sn-")]
        # a handful (typically 5-10: the lost duties, their takers, a slot or two improved on the
        # way), not a reshuffled week; the bound leaves room for a busy machine's weaker search
        assert proposal["changed"] <= 20 and proposal["changed"] < len(week) / 8, (len(week), proposal)
        assert elapsed < 30, elapsed  # 5 s of re-planning in a worker process; about 8 s in all, idle
        assert approve(api, change["id"], as_="admin").status_code == 200


# --------------------------------------------------------------------------- the command line


def test_change_commands(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, small_roster_document: dict[str, Any]
) -> None:
    """`roster change submit|list|show|approve|reject` against the database; bad input exits 2."""
    import json

    from typer.testing import CliRunner

    from app.cli import app as cli
    from app.db import make_engine, make_session_factory, transaction
    from app.service_cli import register
    from app.services.auth import create_user
    from app.services.imports import import_scenario
    from tests.conftest import EXAMPLE_SMALL

    register(cli)
    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'roster.sqlite3'}"
    monkeypatch.setenv("ROSTER_DATABASE_URL", url)
    monkeypatch.setenv("ROSTER_NOW", NOW.isoformat())
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with transaction(factory) as s:
        import_scenario(s, json.loads(EXAMPLE_SMALL.read_text(encoding="utf-8")), False, None)
        create_user(s, "chief", "admin", "password-chief", [], None)
    from app import mappers
    from app.services.rosters import new_snapshot, publish, store_roster
    from solver.roster import roster_from_dict

    with transaction(factory) as s:
        scenario = mappers.scenario_from_db(s, mappers.ScenarioScope(start=MON, days=7))
        roster, _ = roster_from_dict(small_roster_document)
        stored = store_roster(
            s, scenario, roster, snapshot_id=new_snapshot(s, scenario).id, unit_ids=UNITS, created_by=None
        )
        publish(s, stored, None)
    a = future(published_duties(factory))[0]
    worked = next(x for x in published_duties(factory) if x.date == MON)
    engine.dispose()

    def run(*args: str) -> Any:
        result = runner.invoke(cli, ["change", *args, "--as", "chief"])
        assert "Traceback" not in result.output, result.output
        return result

    cover = run("submit", "cover", "--duty", f"{a.officer}/{a.post}/{a.shift}/{a.date}", "--to", "nobody")
    assert cover.exit_code == 2 and "unknown officer" in cover.output
    assert run("submit", "cover", "--duty", "gz-01/g30-east").exit_code == 2
    assert run("submit", "holiday").exit_code == 2
    assert run("submit", "leave", "--officer", "gz-02", "--start", "2021-11-12T00:00").exit_code == 2
    assert runner.invoke(cli, ["change", "list", "--as", "ghost"]).exit_code == 2

    refused = run(
        "submit",
        "cover",
        "--duty",
        f"{worked.officer}/{worked.post}/{worked.shift}/{worked.date}",
        "--to",
        "hq-01",
    )
    assert refused.exit_code == 1 and "frozen_until" in refused.output  # stored, but it breaks a rule
    assert run("approve", "1").exit_code == 1
    assert run("reject", "1").exit_code == 2  # no reason
    assert run("reject", "1", "--reason", "already worked").exit_code == 0

    leave = run(
        "submit",
        "leave",
        "--officer",
        "gz-05",
        "--start",
        "2021-11-10T00:00",
        "--end",
        "2021-11-12T00:00",
        "--reason",
        "sick",
    )
    assert leave.exit_code == 0, leave.output
    assert "proposal [ready]" in leave.output and "- gz-05" in leave.output
    approved = run("approve", "2", "--reason", "fine")
    assert approved.exit_code == 0 and "leave [applied]" in approved.output
    listing = run("list")
    assert listing.exit_code == 0 and "applied" in listing.output and "rejected" in listing.output
    shown = run("show", "2", "--json")
    assert json.loads(shown.output)["status"] == "applied"
    assert run("show", "99").exit_code == 2
