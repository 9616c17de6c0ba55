"""Cover: who can take a duty (ranked, with the rules that exclude the others), cover in the frozen
past, and two covers for one duty."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.app.helpers import (
    MON,
    approve,
    coverable,
    future,
    published_duties,
    ref,
    submit,
)
from tests.conftest import Api


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
    # ties broken as a dispatcher would: same unit as the holder, already on this post, fewest hours
    tie = [(not c["same_unit"], not c["same_post"], c["minutes"], c["officer"]["id"]) for c in can]
    for (total_a, key_a), (total_b, key_b) in zip(
        [(c["total"], k) for c, k in zip(can, tie, strict=True)][:-1],
        [(c["total"], k) for c, k in zip(can, tie, strict=True)][1:],
        strict=True,
    ):
        assert total_a < total_b or key_a <= key_b
    holder_unit = capi.get(f"/officers/{duty.officer}", as_="dispatcher").json()["unit"]
    assert all(c["same_unit"] == (c["officer"]["unit"] == holder_unit) for c in candidates)
    assert any(c["minutes"] > 0 for c in candidates)

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
    worked = next(a for a in published_duties(session_factory) if a.date == MON and a.officer != "hq-01")
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


def test_unavailability_reasons_are_need_to_know(capi: Api, session_factory: Any) -> None:
    duty = next(
        a
        for a in future(published_duties(session_factory))
        if a.post.startswith("g") and a.officer not in ("gz-01", "gz-02")
    )
    day = duty.date.isoformat()
    after = (duty.date + timedelta(days=1)).isoformat()
    span = {"start": f"{day}T00:00", "end": f"{after}T23:00", "reason": "居家隔离观察（健康码黄码）"}
    assert capi.post("/officers/gz-02/unavailability", json=span).status_code == 201

    def reasons(as_: str) -> set[str]:
        response = capi.get("/cover", as_=as_, params={**ref(duty), "date": day})
        assert response.status_code == 200, response.text
        [gz02] = [c for c in response.json()["candidates"] if c["officer"]["id"] == "gz-02"]
        return {b["message"] for b in gz02["blocks"] if b["rule"] == "unavailable"}

    assert reasons("admin") == {"居家隔离观察（健康码黄码）"}
    assert reasons("dispatcher") == {"居家隔离观察（健康码黄码）"}  # gz-02's home unit
    assert reasons("officer") == {"unavailable"}  # a colleague: need-to-know
    assert reasons("hq_dispatcher") == {"unavailable"}  # another unit's dispatcher
    everything = capi.get("/cover", as_="officer", params={**ref(duty), "date": day}).text
    assert "居家隔离" not in everything
