"""Coverage changes: closing a shift from a date, a new shift staffed by the re-plan, and both
carried into the rosters published after the re-planned one.

These tests commit for real (`live_db`): re-plans run in other threads and processes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from solver.check import check_assignments
from solver.io.load import scenario_from_dict
from tests.app.helpers import (
    MON,
    approve,
    every_item,
    publish_second_week,
    published_duties,
    submit,
    version_after,
    wait_for_proposal,
)
from tests.conftest import Api


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
    from app.jobs.models import SolveJob
    from app.rosters.models import ScenarioSnapshot

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
