"""Who-can-cover keeps a published version's prepared situation between questions, and drops it
when the stored data change: a cached answer is the answer computed afresh."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.changes import cover as cover_service
from tests.app.helpers import future, published_duties, ref
from tests.conftest import Api


def ask(capi: Api, duty: Any) -> dict[str, Any]:
    response = capi.get("/cover", as_="dispatcher", params={**ref(duty), "date": duty.date.isoformat()})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_cached_answer_is_the_fresh_one_until_the_data_change(capi: Api, session_factory: Any) -> None:
    duties = future(published_duties(session_factory))
    duty = next(a for a in duties if a.post.startswith("g"))
    cover_service._cache.clear()
    first = ask(capi, duty)
    assert len(cover_service._cache) == 1
    [kept] = cover_service._cache.values()
    again = ask(capi, duty)
    assert again == first
    if session_factory.kw["bind"].dialect.name == "sqlite":  # PostgreSQL: any commit in the
        # cluster (other databases' tests too) changes the stamp, a miss and never a stale hit
        assert list(cover_service._cache.values()) == [kept]  # answered from the prepared version
    other = next(a for a in duties if a.post.startswith("g") and a.slot_key != duty.slot_key)
    answer = ask(capi, other)
    cover_service._cache.clear()
    assert ask(capi, other) == answer  # the same as computed afresh

    # a write that matters: the best candidate goes on leave over the duty's day
    best = next(c["officer"]["id"] for c in first["candidates"] if c["can"])
    span = {
        "start": f"{duty.date.isoformat()}T00:00",
        "end": f"{(duty.date + timedelta(days=1)).isoformat()}T12:00",
        "reason": "病假",
    }
    assert capi.post(f"/officers/{best}/unavailability", json=span).status_code == 201
    after = ask(capi, duty)
    [mine] = [c for c in after["candidates"] if c["officer"]["id"] == best]
    assert not mine["can"] and "unavailable" in {b["rule"] for b in mine["blocks"]}
    cover_service._cache.clear()
    assert ask(capi, duty) == after
