"""The scenario a roster job solves, as built from the stored data (app.scenario_from_db)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.core.db import transaction
from app.planning.scenario import ScenarioScope, scenario_from_db
from app.reference.settings import settings_row
from tests.conftest import Api

MON = date(2021, 11, 8)


def build(session_factory: Any, start: date = MON, days: int = 7, units: list[str] | None = None) -> Any:
    with session_factory() as s:
        return scenario_from_db(s, ScenarioScope(start, days, units))


def test_only_approved_requests_are_solved_for(api: Api, session_factory: Any) -> None:
    filed = api.post(
        "/officers/gz-01/requests", as_="officer", json={"kind": "day_off", "date": "2021-11-10"}
    )
    assert filed.json()["status"] == "pending"
    requests = build(session_factory).officer("gz-01").requests
    assert all(r.date != date(2021, 11, 10) for r in requests)
    api.patch(f"/requests/{filed.json()['id']}", json={"status": "approved"})
    assert any(r.date == date(2021, 11, 10) for r in build(session_factory).officer("gz-01").requests)


def test_unit_scope_takes_the_units_posts_and_the_officers_serving_them(
    api: Api, session_factory: Any
) -> None:
    scenario = build(session_factory, units=["hq"])
    assert scenario.posts == ()  # hq has no posts in example-small
    assert {o.id for o in scenario.officers} == {"hq-01", "hq-02"}
    ganzhou = build(session_factory, units=["ganzhou"])
    assert {o.id for o in ganzhou.officers} >= {"gz-01", "hq-01"}  # hq officers serve ganzhou
    assert {u.id for u in ganzhou.units} == {"ganzhou", "hq"}  # home units of those officers


def test_published_duties_become_baseline_history_and_busy_time(
    api: Api, published: int, session_factory: Any, small_roster_document: dict[str, Any]
) -> None:
    same_week = build(session_factory)
    assert len(same_week.baseline) == len(small_roster_document["assignments"])

    next_week = build(session_factory, start=date(2021, 11, 15))
    history = {(o.id, h.shift, h.date) for o in next_week.officers for h in o.history}
    for a in small_roster_document["assignments"]:
        assert (a["officer"], a["shift"], date.fromisoformat(a["date"])) in history
    assert next_week.baseline == ()

    # re-planning only hq: ganzhou's published duties of hq officers are busy time, not baseline
    hq_only = build(session_factory, units=["hq"])
    hq_duties = [a for a in small_roster_document["assignments"] if a["officer"].startswith("hq")]
    spans = [s for o in hq_only.officers for s in o.busy if s.reason.startswith("on duty at")]
    assert len(spans) == len(hq_duties)
    assert all(isinstance(s.start, datetime) for s in spans)


def test_pins_outside_the_scope_are_left_out(api: Api, session_factory: Any) -> None:
    assert [p.officer for p in build(session_factory).pinned] == ["gz-01"]
    assert build(session_factory, units=["hq"]).pinned == ()
    assert build(session_factory, start=date(2021, 11, 9), days=3).pinned == ()


def test_settings_rules_and_weights_reach_the_scenario(api: Api, session_factory: Any) -> None:
    api.patch("/settings", json={"rules": {"min_rest_minutes": 600}, "weights": {"continuity": 3}})
    scenario = build(session_factory)
    assert scenario.rules.min_rest_minutes == 600 and scenario.weights.continuity == 3
    with transaction(session_factory) as s:
        assert settings_row(s).timezone == scenario.timezone == "Asia/Shanghai"
