"""In-app notifications: every officer whose duties or leave change because of an approved change
or a roster published over another finds it in their list; read, unread, the badge's count; only
their own."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from solver.io.roster import roster_from_dict, roster_to_dict
from tests.app.helpers import approve, as_officer, find_swap, new_draft, ref, submit
from tests.conftest import Api


def mine(api: Api, as_: str, **params: Any) -> dict[str, Any]:
    response = api.get("/notifications", as_=as_, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_swap_tells_both_officers_what_they_gained_and_lost(capi: Api, session_factory: Any) -> None:
    a, b = find_swap(session_factory, "gz-01")
    partner = as_officer(capi, session_factory, b.officer)
    assert mine(capi, "officer")["total"] == 0
    change = submit(capi, {"kind": "swap", "duty": ref(a), "with_duty": ref(b)}, "officer")
    assert capi.post(f"/changes/{change['id']}/accept", as_=partner).status_code == 200
    done = approve(capi, change["id"]).json()
    assert done["status"] == "applied"

    page = mine(capi, "officer")
    assert page["total"] == 1 and page["unread"] == 1
    (note,) = page["items"]
    assert note["kind"] == "duties_changed" and note["officer"] == "gz-01" and note["read"] is False
    assert note["change_id"] == change["id"] and note["roster_id"] == done["applied_roster_id"]
    assert note["details"]["cause"] == "swap"
    key = lambda x: {"date": x.date.isoformat(), "shift": x.shift, "post": x.post}  # noqa: E731
    assert note["details"]["added"] == [key(b)] and note["details"]["removed"] == [key(a)]
    (theirs,) = mine(capi, partner)["items"]
    assert theirs["details"]["added"] == [key(a)] and theirs["details"]["removed"] == [key(b)]

    # only the two: nobody else's duties moved
    assert capi.get("/notifications/unread-count", as_="officer").json() == {"unread": 1}
    third = as_officer(capi, session_factory, "gz-05" if b.officer != "gz-05" else "gz-06")
    assert mine(capi, third)["total"] == 0

    # read one, unread filter; someone else's is not found
    assert capi.post(f"/notifications/{note['id']}/read", as_=partner).status_code == 404
    read = capi.post(f"/notifications/{note['id']}/read", as_="officer")
    assert read.status_code == 200 and read.json()["read"] is True and read.json()["read_at"]
    assert mine(capi, "officer", unread=True)["total"] == 0 and mine(capi, "officer")["total"] == 1
    assert capi.post("/notifications/read-all", as_=partner).json() == {"marked": 1, "unread": 0}
    assert capi.get("/notifications/unread-count", as_=partner).json() == {"unread": 0}


def test_an_approved_leave_tells_the_officer(capi: Api, session_factory: Any) -> None:
    body = {"kind": "leave", "officer": "gz-03", "start": "2021-11-10T00:00", "end": "2021-11-12T00:00"}
    change = submit(capi, body)
    assert approve(capi, change["id"]).json()["status"] == "applied"
    officer = as_officer(capi, session_factory, "gz-03")
    (note,) = mine(capi, officer)["items"]
    assert note["kind"] == "leave_approved" and note["change_id"] == change["id"]
    assert note["details"] == {"start": "2021-11-10T00:00:00", "end": "2021-11-12T00:00:00"}


def test_a_version_published_over_another_tells_whose_duties_moved(
    capi: Api, session_factory: Any, small_roster_document: dict[str, Any]
) -> None:
    roster, _ = roster_from_dict(small_roster_document)
    gz01 = [a for a in roster.assignments if a.officer == "gz-01"]
    dropped = gz01[-1]
    kept = tuple(a for a in roster.assignments if a != dropped)
    draft = new_draft(session_factory, roster_to_dict(replace(roster, assignments=kept)))
    published = capi.post(f"/rosters/{draft}/publish", as_="admin")
    assert published.status_code == 200, published.text
    (note,) = mine(capi, "officer")["items"]
    assert note["details"]["cause"] == "replan" and note["roster_id"] == draft
    assert note["details"]["added"] == []
    assert note["details"]["removed"] == [
        {"date": dropped.date.isoformat(), "shift": dropped.shift, "post": dropped.post}
    ]
    assert mine(capi, as_officer(capi, session_factory, "gz-02"))["total"] == 0


def test_staff_without_an_officer_have_an_empty_list(capi: Api) -> None:
    assert mine(capi, "dispatcher") == {"items": [], "total": 0, "limit": 50, "offset": 0, "unread": 0}
    assert capi.post("/notifications/read-all", as_="dispatcher").json() == {"marked": 0, "unread": 0}
    assert capi.get("/notifications", as_=None).status_code == 401
