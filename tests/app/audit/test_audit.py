"""The audit trail (generation, publication, supersession, deletion, every step of a change, each
duty it moved) listed per roster, officer, duty and change; and roster versions compared."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tests.app.helpers import future, make_api, new_draft, published_duties, ref, submit, takers
from tests.conftest import Api


@pytest.fixture
def capi(session_factory: Any, published: int) -> Iterator[Api]:
    """The service with "now" = Tuesday noon, on example-small's published roster."""
    yield from make_api(session_factory)


def actions(api: Api, **params: Any) -> list[str]:
    items = api.get("/audit", params={"size": 200, **params}).json()["items"]
    return [e["action"] for e in reversed(items)]  # oldest first


def test_generation_publication_supersession_and_deletion(
    api: Api, session_factory: Any, small_roster_document: dict[str, Any]
) -> None:
    from app.accounts.models import User
    from app.core.db import transaction
    from app.jobs import service as jobs
    from app.jobs.service import store_job_result

    with transaction(session_factory) as s:
        dispatcher = s.query(User).filter_by(username="dispatcher").one()
        job = jobs.create_job(
            s,
            dispatcher,
            start=date(2021, 11, 8),
            days=7,
            unit_ids=["ganzhou"],
            time_limit=3,
            history_days=28,
        )
        jobs.claim(s, job.id)
        document = dict(small_roster_document)
        document["assignments"] = [a for a in document["assignments"] if not a["officer"].startswith("hq")]
        store_job_result(s, job.id, document)
        roster_id = jobs.get_job(s, job.id).roster_id
    assert roster_id is not None
    [generated] = api.get("/audit", params={"roster": roster_id}).json()["items"]
    assert generated["action"] == "roster.generated" and generated["actor"] == "dispatcher"
    assert generated["details"]["job_id"] == job.id and generated["details"]["units"] == ["ganzhou"]

    assert api.post(f"/rosters/{roster_id}/publish", as_="dispatcher").status_code == 200
    newer = new_draft(session_factory, small_roster_document, ["ganzhou"])
    assert api.post(f"/rosters/{newer}/publish").status_code == 200
    assert actions(api, roster=roster_id) == ["roster.generated", "roster.published", "roster.superseded"]
    superseded = api.get("/audit", params={"roster": roster_id, "action": "roster.superseded"}).json()
    assert superseded["items"][0]["details"] == {"by": newer} and superseded["items"][0]["actor"] == "admin"
    published = api.get("/audit", params={"roster": newer, "action": "roster.published"}).json()["items"][0]
    assert published["details"]["replaces"] == [roster_id]
    assert api.delete(f"/rosters/{roster_id}").status_code == 204
    assert actions(api, roster=roster_id)[-1] == "roster.deleted"  # the trail outlives the version


def test_change_steps_listed_per_roster_officer_duty_and_change(
    capi: Api, session_factory: Any, published: int
) -> None:
    duty = next(a for a in future(published_duties(session_factory)) if takers(capi, a))
    taker = takers(capi, duty)[0]
    change = submit(capi, {"kind": "cover", "duty": ref(duty), "to_officer": taker, "reason": "sick"})
    done = capi.post(f"/changes/{change['id']}/approve", json={"reason": "covered"}).json()
    new = done["applied_roster_id"]

    trail = actions(capi, change=change["id"])
    assert trail == [
        "change.submitted",
        "change.approved",
        "roster.created",
        "roster.published",
        "roster.superseded",
        "duty.removed",
        "duty.added",
        "change.applied",
    ]
    events = capi.get("/audit", params={"change": change["id"], "size": 200}).json()["items"]
    submitted = events[-1]
    assert submitted["reason"] == "sick" and submitted["actor"] == "dispatcher"
    assert (submitted["officer"], submitted["post"], submitted["shift"], submitted["date"]) == (
        duty.officer,
        duty.post,
        duty.shift,
        duty.date.isoformat(),
    )
    assert submitted["details"]["payload"]["to_officer"] == taker
    assert next(e for e in events if e["action"] == "change.applied")["reason"] == "covered"
    assert {e["roster_id"] for e in events if e["action"].startswith("duty.")} == {new}

    # per roster: the new version's birth; per officer: both officers' sides; per duty: its history
    assert actions(capi, roster=new)[:2] == ["roster.created", "roster.published"]
    assert "change.submitted" in actions(capi, officer=taker)
    assert "duty.added" in actions(capi, officer=taker) and "duty.removed" in actions(
        capi, officer=duty.officer
    )
    by_duty = capi.get(
        "/audit", params={"post": duty.post, "shift": duty.shift, "date": duty.date.isoformat()}
    ).json()["items"]
    assert [(e["action"], e["officer"]) for e in reversed(by_duty)] == [
        ("change.submitted", duty.officer),
        ("duty.removed", duty.officer),
        ("duty.added", taker),
    ]
    assert capi.get("/audit", params={"officer": "nobody"}).json()["total"] == 0

    # pages, both ways of asking
    total = capi.get("/audit").json()["total"]
    page = capi.get("/audit", params={"page": 2, "size": 3}).json()
    assert page["page"] == 2 and page["size"] == 3 and page["offset"] == 3 and page["total"] == total
    same = capi.get("/audit", params={"limit": 3, "offset": 3}).json()
    assert [e["id"] for e in same["items"]] == [e["id"] for e in page["items"]]
    assert capi.get("/audit", params={"size": 10_000}).status_code == 422

    # officers do not read the trail (their changes carry their own steps)
    assert capi.get("/audit", as_="officer").status_code == 403
    assert capi.get("/audit", as_=None).status_code == 401


def test_roster_versions_compare(capi: Api, session_factory: Any, published: int) -> None:
    same = capi.get(f"/rosters/{published}/diff/{published}").json()
    assert same == {
        "before": published,
        "after": published,
        "added": [],
        "removed": [],
        "by_officer": {},
        "changed": 0,
        "moved": [],
    }
    duty = next(a for a in future(published_duties(session_factory)) if takers(capi, a))
    taker = takers(capi, duty)[0]
    change = submit(capi, {"kind": "cover", "duty": ref(duty), "to_officer": taker})
    new = capi.post(f"/changes/{change['id']}/approve").json()["applied_roster_id"]
    forward = capi.get(f"/rosters/{published}/diff/{new}").json()
    assert forward["removed"] == [ref(duty)] and forward["added"] == [ref(duty) | {"officer": taker}]
    assert forward["by_officer"] == {
        duty.officer: {"added": [], "removed": [ref(duty)]},
        taker: {"added": [ref(duty) | {"officer": taker}], "removed": []},
    }
    back = capi.get(f"/rosters/{new}/diff/{published}").json()
    assert back["added"] == forward["removed"] and back["changed"] == 2
    assert capi.get(f"/rosters/{published}/diff/999999").status_code == 404
    assert capi.get(f"/rosters/{published}/diff/{new}", as_="officer").status_code == 403
