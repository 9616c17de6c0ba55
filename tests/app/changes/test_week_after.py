"""A change is judged with the week published after the roster it falls in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.app.helpers import (
    MON,
    approve,
    publish_second_week,
    published_duties,
    ref,
    submit,
)
from tests.conftest import Api


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
