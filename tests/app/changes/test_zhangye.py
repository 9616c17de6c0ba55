"""The Zhangye week: who can cover answers well under a second; a leave is re-planned in seconds."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from solver import domain as d
from solver.check import check_assignments
from solver.greedy import greedy_roster
from solver.solve import SolveOptions, solve
from tests.app.helpers import (
    MON,
    approve,
    make_api,
    published_duties,
    ref,
    submit,
    wait_for_proposal,
)
from tests.conftest import REPO, test_settings


def test_zhangye_leave_replanned_in_seconds_with_a_handful_of_changes(live_db: Any, engine: Any) -> None:
    """The Zhangye week (598 officers, 87 posts): who can cover answers well under a second; one
    officer's three-day leave is re-planned in seconds with a handful of changed duties.

    Solving the whole week takes a minute, so the week's published roster is the greedy one, and
    for the leave the Sunan unit (46 officers, its own part of the week) is solved for 5 s and
    published over it: a re-plan of a poor roster would rightly improve much more than the leave."""
    import json

    from app.core.db import transaction
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.reference.transfer import import_scenario
    from app.rosters.service import new_snapshot, publish, store_roster

    if engine.dialect.name != "sqlite":
        pytest.skip("timing on one backend is enough (about 20 s)")
    zhangye = json.loads((REPO / "data" / "zhangye-2021-11-08.json").read_text(encoding="utf-8"))
    with transaction(live_db) as s:
        import_scenario(s, zhangye, True, None)
        week = scenario_from_db(s, ScenarioScope(start=MON, days=7))
        duties = greedy_roster(week)
        report = check_assignments(week, duties)
        assert not report.violations
        greedy = d.Roster(
            week.name, "FEASIBLE", tuple(sorted(duties)), report.score.total, None, report.score
        )
        stored = store_roster(
            s,
            week,
            greedy,
            snapshot_id=new_snapshot(s, week).id,
            unit_ids=[u.id for u in week.units],
            created_by=None,
        )
        publish(s, stored, None)
    with transaction(live_db) as s:
        sunan = scenario_from_db(s, ScenarioScope(start=MON, days=7, unit_ids=["sunan"]))
        solved = solve(replace(sunan, baseline=()), SolveOptions(time_limit=5, workers=2))
        stored = store_roster(
            s, sunan, solved, snapshot_id=new_snapshot(s, sunan).id, unit_ids=["sunan"], created_by=None
        )
        publish(s, stored, None)
    solver_settings = test_settings().solver.model_copy(update={"replan_time_limit": 5, "workers": 2})
    for api in make_api(live_db, solver=solver_settings):
        published = published_duties(live_db)
        some = next(a for a in published if a.post.startswith("gz-"))
        timings = []
        for _ in range(5):  # the best of five: other tests share the CPUs
            started = time.perf_counter()
            cover = api.get("/cover", params={**ref(some), "date": some.date.isoformat()})
            timings.append(time.perf_counter() - started)
        assert cover.status_code == 200 and min(timings) < 1.0, timings  # about 0.35 s on an idle machine
        assert len(cover.json()["candidates"]) > 20

        span = (date(2021, 11, 10), date(2021, 11, 13))
        skilled = {o.id for o in sunan.officers if o.skills}
        by_officer: dict[str, list[Any]] = {}
        for a in published:
            if a.post.startswith("sn-") and span[0] <= a.date < span[1] and a.officer not in skilled:
                by_officer.setdefault(a.officer, []).append(a)
        officer, lost = min(by_officer.items(), key=lambda item: (-len(item[1]), item[0]))
        started = time.perf_counter()
        change = submit(
            api,
            {"kind": "leave", "officer": officer, "start": "2021-11-10T00:00", "end": "2021-11-13T00:00"},
            "admin",
        )
        ready = wait_for_proposal(api, change["id"], timeout=90)
        elapsed = time.perf_counter() - started
        proposal = ready["proposal"]
        assert proposal["status"] == "ready", proposal["message"]
        assert {(a.officer, a.date.isoformat(), a.shift) for a in lost} <= {
            (x["officer"], x["date"], x["shift"]) for x in proposal["removed"]
        }
        week = [a for a in published if a.post.startswith("sn-")]
        # a handful (typically 5-10: the lost duties, their takers, a slot or two improved on the
        # way), not a reshuffled week; the bound leaves room for a busy machine's weaker search
        assert proposal["changed"] <= 20 and proposal["changed"] < len(week) / 8, (len(week), proposal)
        assert elapsed < 30, elapsed  # 5 s of re-planning in a worker process; about 8 s in all, idle
        assert approve(api, change["id"], as_="admin").status_code == 200
