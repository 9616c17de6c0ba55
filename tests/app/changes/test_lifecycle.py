"""The life of a change: who may do what, requests refused with the field that is wrong, approval
with old faults in the frozen past, two changes on one version."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from solver import domain as d
from solver.check import check_assignments
from solver.io.roster import roster_from_dict
from tests.app.helpers import (
    MON,
    UNITS,
    approve,
    as_officer,
    coverable,
    find_swap,
    future,
    make_api,
    published_duties,
    ref,
    submit,
)
from tests.conftest import Api


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


def test_approving_with_a_short_slot_in_the_frozen_past_answers_200(
    session_factory: Any, small_roster_document: dict[str, Any]
) -> None:
    """A slot left short before "now" is explained by the frozen past (this once answered 500)."""
    from app.core.db import transaction
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, publish, store_roster

    roster, _ = roster_from_dict(small_roster_document)
    monday = next(a for a in roster.assignments if a.date == MON)
    with transaction(session_factory) as s:
        scenario = scenario_from_db(s, ScenarioScope(start=MON, days=7))
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
