from __future__ import annotations

from typing import Any

from icalendar import Calendar

from tests.app.helpers import new_draft
from tests.conftest import Api


def feed(api: Api, url: str) -> Calendar:
    response = api.get(url.removeprefix("http://testserver"), as_=None)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_officer_feed(
    api: Api, published: int, session_factory: Any, small_roster_document: dict[str, Any]
) -> None:
    url = api.post("/officers/gz-01/calendar-feed", as_="officer").json()["url"]
    cal = feed(api, url)
    events = cal.walk("VEVENT")
    mine = [a for a in small_roster_document["assignments"] if a["officer"] == "gz-01"]
    assert len(events) == len(mine)
    assert (
        b"X-PUBLISHED-TTL:PT1H" in cal.to_ical() and b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in cal.to_ical()
    )
    [zone] = cal.walk("VTIMEZONE")
    assert zone["TZID"] == "Asia/Shanghai"
    first = sorted(events, key=lambda e: e.decoded("dtstart"))[0]
    assert first["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert first.decoded("dtstart").utcoffset().total_seconds() == 8 * 3600
    uids = {str(e["UID"]) for e in events}
    assert all(uid.startswith("gz-01/2021-11-") for uid in uids)

    # a newer version is published: same UIDs, higher SEQUENCE, so calendar apps update in place
    draft = new_draft(session_factory, small_roster_document)
    api.post(f"/rosters/{draft}/publish")
    again = feed(api, url).walk("VEVENT")
    assert {str(e["UID"]) for e in again} == uids
    assert {int(e["SEQUENCE"]) for e in again} == {draft}


def test_unknown_feed_is_404(api: Api) -> None:
    response = api.get("/ical/" + "a" * 43 + ".ics", as_=None)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_a_dispatcher_manages_feeds_only_of_their_units(api: Api) -> None:
    mine = api.post("/officers/gz-01/calendar-feed", as_="officer").json()["url"]
    # hq_dispatcher manages hq, not ganzhou: neither replace nor revoke gz-01's feed
    assert api.post("/officers/gz-01/calendar-feed", as_="hq_dispatcher").status_code == 403
    assert api.delete("/officers/gz-01/calendar-feed", as_="hq_dispatcher").status_code == 403
    assert feed(api, mine)  # the officer's own feed still works
    # the dispatcher of ganzhou and admins may
    assert api.post("/officers/gz-02/calendar-feed", as_="dispatcher").status_code == 201
    assert api.delete("/officers/gz-02/calendar-feed", as_="dispatcher").status_code == 204
    assert api.post("/officers/hq-01/calendar-feed", as_="hq_dispatcher").status_code == 201
    assert api.post("/officers/hq-01/calendar-feed", as_="dispatcher").status_code == 403
    assert api.delete("/officers/hq-01/calendar-feed", as_="admin").status_code == 204
    # an officer: only their own
    assert api.post("/officers/gz-02/calendar-feed", as_="officer").status_code == 403
