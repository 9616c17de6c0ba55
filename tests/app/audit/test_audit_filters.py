"""The audit log's filters for the duty office's page: who did it, the kind of change, the unit,
a family of actions, and a range of (local) dates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.app.helpers import approve, coverable, make_api, ref, submit
from tests.conftest import Api


@pytest.fixture
def capi(session_factory: Any, published: int) -> Iterator[Api]:
    yield from make_api(session_factory)


def events(api: Api, as_: str = "dispatcher", **params: Any) -> list[dict[str, Any]]:
    response = api.get("/audit", as_=as_, params={"size": 200, **params})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_filters_by_who_kind_unit_family_and_dates(capi: Api, session_factory: Any) -> None:
    duty, free = coverable(capi, session_factory, 1)
    cover = submit(capi, {"kind": "cover", "duty": ref(duty), "to_officer": free[0]})
    assert approve(capi, cover["id"]).json()["status"] == "applied"
    start = f"{duty.date.isoformat()}T00:00"
    end = f"{(duty.date + timedelta(days=1)).isoformat()}T00:00"
    leave = submit(
        capi,
        {"kind": "leave", "officer": "hq-01", "start": start, "end": end, "restaff": False},
        as_="admin",
    )

    everything = events(capi)
    assert {e["change_id"] for e in everything} >= {cover["id"], leave["id"]}
    # who
    by_dispatcher = events(capi, actor="dispatcher")
    assert by_dispatcher and all(e["actor"] == "dispatcher" for e in by_dispatcher)
    assert leave["id"] not in {e["change_id"] for e in by_dispatcher}
    assert {e["change_id"] for e in events(capi, actor="admin")} == {leave["id"]}
    # kind of change
    covers = events(capi, kind="cover")
    assert covers and {e["change_id"] for e in covers} == {cover["id"]}
    assert {e["change_kind"] for e in covers} == {"cover"}
    assert all(e["change_kind"] is None for e in everything if e["change_id"] is None)
    assert {e["change_id"] for e in events(capi, kind="leave")} == {leave["id"]}
    # a family of actions, or one action
    family = events(capi, action="change.")
    assert family and all(e["action"].startswith("change.") for e in family)
    assert {e["action"] for e in events(capi, action="duty.")} == {"duty.added", "duty.removed"}
    assert all(e["action"] == "change.applied" for e in events(capi, action="change.applied"))
    # unit: the cover's events are ganzhou's (its change, its post's duties), the leave is hq's
    ganzhou = {e["change_id"] for e in events(capi, unit="ganzhou")}
    hq = {e["change_id"] for e in events(capi, unit="hq")}
    assert cover["id"] in ganzhou and cover["id"] not in hq
    assert leave["id"] in hq and (leave["id"] in ganzhou) == ("ganzhou" in leave["unit_ids"])
    # dates: the detachment's local days the events happened on
    zone = ZoneInfo(capi.get("/settings").json()["timezone"])
    today = datetime.now(zone).date()
    around = events(
        capi, start=(today - timedelta(days=1)).isoformat(), end=(today + timedelta(days=2)).isoformat()
    )
    assert len(around) == len(everything)
    assert (
        events(
            capi, start=(today - timedelta(days=9)).isoformat(), end=(today - timedelta(days=2)).isoformat()
        )
        == []
    )
    assert events(capi, start=(today + timedelta(days=2)).isoformat()) == []
    # combined
    both = events(capi, actor="dispatcher", kind="cover", action="duty.")
    assert both and all(e["change_id"] == cover["id"] and e["action"].startswith("duty.") for e in both)


def test_bad_filters_and_access(capi: Api) -> None:
    bad = capi.get("/audit", as_="dispatcher", params={"start": "2021-11-10", "end": "2021-11-09"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["path"] == "query.end"
    assert capi.get("/audit", as_="dispatcher", params={"kind": "nonsense"}).status_code == 422
    assert capi.get("/audit", as_="dispatcher", params={"start": "tomorrow"}).status_code == 422
    assert capi.get("/audit", as_="officer").status_code == 403
    assert capi.get("/audit", as_=None).status_code == 401
