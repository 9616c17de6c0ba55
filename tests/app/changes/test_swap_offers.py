"""Swap offers (`GET /swap-offers`): every colleague's duty near the requester's, judged both ways
as the referee judges the swap when it is asked for; rule-breaking ones apart, with the rules."""

from __future__ import annotations

from typing import Any

from tests.app.helpers import find_short_rest_swap, ref, submit
from tests.conftest import Api


def offers_for(capi: Api, duty: Any, as_: str = "dispatcher", days: int = 3) -> dict[str, Any]:
    response = capi.get("/swap-offers", as_=as_, params={**ref(duty), "days": days})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_an_offer_that_leaves_the_colleague_short_rest_is_apart_with_the_reason(
    capi: Api, session_factory: Any, published: int
) -> None:
    a, b, _day_duty = find_short_rest_swap(session_factory)
    found = offers_for(capi, a, days=7)
    assert found["roster_id"] == published and found["duty"] == ref(a)
    offer = next(o for o in found["offers"] if o["duty"] == ref(b))
    assert offer["ok"] is False
    assert any(x["rule"] == "min_rest" for x in offer["theirs"]), offer
    # possible swaps first: no ok offer after a refused one
    oks = [o["ok"] for o in found["offers"]]
    assert oks == sorted(oks, reverse=True)
    # the verdict on asking for it agrees
    change = submit(capi, {"kind": "swap", "duty": ref(a), "with_duty": ref(b)})
    assert change["check"]["ok"] is False
    # the rule's values come structured, for the page to word in its language
    rest = next(
        v for v in change["check"]["violations"] if v["rule"] == "min_rest" and v["officer"] == b.officer
    )
    assert rest["params"]["gap_minutes"] == 480 and rest["params"]["rest_minutes"] > 480
    assert rest["params"]["other_date"] == _day_duty.date.isoformat() and rest["params"]["other_shift"] == "D"
    block = next(x for x in offer["theirs"] if x["rule"] == "min_rest")
    assert block["params"]["other_date"] == _day_duty.date.isoformat()
    assert block["params"]["rest_minutes"] == rest["params"]["rest_minutes"]


def test_offers_agree_with_the_referee_both_ways(capi: Api, session_factory: Any, published: int) -> None:
    a, _b, _ = find_short_rest_swap(session_factory)
    offers = offers_for(capi, a)["offers"]
    good = [o for o in offers if o["ok"]][:3]
    bad = [o for o in offers if not o["ok"] and not any(x["rule"] == "overlap" for x in o["mine"])][:3]
    assert good and bad
    for offer in good + bad:
        body = {"kind": "swap", "duty": ref(a), "with_duty": offer["duty"]}
        response = capi.post("/changes", as_="dispatcher", json=body)
        if response.status_code == 422:  # e.g. the swapped duty is already the other's: nothing to ask
            assert not offer["ok"], response.text
            continue
        assert response.status_code == 201, response.text
        check = response.json()["check"]
        assert check["ok"] is offer["ok"], (offer, check["violations"])
        if not offer["ok"]:
            rules = {x["rule"] for x in offer["mine"] + offer["theirs"]}
            assert rules <= {v["rule"] for v in check["violations"]}


def test_officers_see_offers_of_their_own_unit_only(capi: Api, session_factory: Any, published: int) -> None:
    from tests.app.helpers import future, published_duties

    mine = next(x for x in future(published_duties(session_factory)) if x.officer == "gz-01")
    offers = offers_for(capi, mine, as_="officer")["offers"]
    assert offers and all(o["duty"]["officer"] != "gz-01" for o in offers)
    other = next(x for x in published_duties(session_factory) if not x.officer.startswith("gz-"))
    refused = capi.get("/swap-offers", as_="officer", params=ref(other))
    assert refused.status_code in (403, 422), refused.text
