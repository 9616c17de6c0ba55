"""The procrastinate engine on procrastinate's in-memory connector: the API only defers; a worker
runs the job with the same supervision as the embedded runner; a lost worker's job is retried or
interrupted as `jobs.worker_lost` says; a row never deferred is swept when its queued lease ends.
The job rows are real (SQLite and PostgreSQL, committed), the solves real and short."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from procrastinate import App
from procrastinate.testing import InMemoryConnector
from sqlalchemy import update

from app.changes.replan import REPLAN_HOOKS
from app.core.clock import utcnow
from app.core.config import JobSettings
from app.core.db import transaction
from app.jobs import leases
from app.jobs.fanout import FanOutHooks, bundles, part_limits, part_size
from app.jobs.models import SolveJob
from app.jobs.queue import QUEUE, SOLVE_TASK, WorkerState, make_app, recover_stalled, run_worker
from app.reference.transfer import import_scenario
from app.rosters.models import ScenarioSnapshot
from solver.check import check_assignments
from solver.io.load import scenario_from_dict
from solver.io.roster import roster_from_dict
from solver.solve.components import components
from tests.app.jobs.test_jobs import ZHANGYE
from tests.conftest import TOKENS, Api, test_settings

BODY = {"start": "2021-11-08", "days": 7, "units": ["ganzhou"], "time_limit": 2}


def _settings(**jobs: Any) -> Any:
    base = test_settings().jobs.model_dump()
    return test_settings(jobs=JobSettings(**{**base, "engine": "inline", **jobs}))


@pytest.fixture
def queue_app() -> App:
    return make_app(InMemoryConnector())


@pytest.fixture
def queued_api(live_db: Any, queue_app: App) -> Iterator[Api]:
    from fastapi.testclient import TestClient

    from app.main import create_app

    with TestClient(create_app(_settings(), live_db, queue_app)) as client:
        yield Api(client, dict(TOKENS))


def _work(queue_app: App, live_db: Any, **jobs: Any) -> None:
    """A worker that runs what is queued, then returns."""
    _run(queue_app, WorkerState(live_db, _settings(**jobs), REPLAN_HOOKS, "worker:test:1:abc"))


def _run(queue_app: App, state: WorkerState) -> None:
    async def work() -> None:
        async with queue_app.open_async():  # as `roster worker` does: tasks may defer from their threads
            await run_worker(queue_app, state, wait=False)

    asyncio.run(work())


def _procrastinate_jobs(queue_app: App) -> list[dict[str, Any]]:
    connector = queue_app.connector
    assert isinstance(connector, InMemoryConnector)
    return list(connector.jobs.values())


def test_the_api_defers_and_a_worker_solves(queued_api: Api, queue_app: App, live_db: Any) -> None:
    job = queued_api.post("/jobs", as_="dispatcher", json=BODY).json()
    assert job["status"] == "queued"
    [deferred] = _procrastinate_jobs(queue_app)
    assert deferred["task_name"] == SOLVE_TASK and deferred["queue_name"] == QUEUE
    assert deferred["args"] == {"job_id": job["id"]} and deferred["status"] == "todo"
    with live_db() as s:
        row = s.get(SolveJob, job["id"])
        assert row.owner == leases.QUEUE_OWNER and row.lease_until is None  # the queue holds it
    assert queued_api.get(f"/jobs/{job['id']}").json()["status"] == "queued"  # nothing runs in the API

    _work(queue_app, live_db)
    done = queued_api.get(f"/jobs/{job['id']}").json()
    assert done["status"] == "succeeded" and done["roster_id"] is not None, done
    assert done["objective"] is not None and done["elapsed"] > 0
    assert queued_api.get(f"/rosters/{done['roster_id']}").json()["assignments"] > 0
    assert _procrastinate_jobs(queue_app)[0]["status"] == "succeeded"


def test_a_job_cancelled_while_queued_never_runs(queued_api: Api, queue_app: App, live_db: Any) -> None:
    job = queued_api.post("/jobs", as_="dispatcher", json=BODY).json()
    assert queued_api.post(f"/jobs/{job['id']}/cancel", as_="dispatcher").status_code == 202
    _work(queue_app, live_db)
    done = queued_api.get(f"/jobs/{job['id']}").json()
    assert done["status"] == "cancelled" and done["started_at"] is None and done["roster_id"] is None


def _lose_a_worker(queue_app: App, live_db: Any, job_id: int) -> None:
    """A worker took the job and died: its heartbeat is old, the job is doing, the row running."""
    connector = queue_app.connector
    assert isinstance(connector, InMemoryConnector)

    async def take() -> None:
        worker_id = await queue_app.job_manager.register_worker()
        assert await queue_app.job_manager.fetch_job([QUEUE], worker_id) is not None
        connector.workers[worker_id] = utcnow().replace(tzinfo=dt.UTC) - dt.timedelta(minutes=5)

    asyncio.run(take())
    with transaction(live_db) as s:
        s.execute(update(SolveJob).where(SolveJob.id == job_id).values(status="running", owner="worker:dead"))


def _recover(queue_app: App, live_db: Any, **jobs: Any) -> list[tuple[int, str]]:
    state = WorkerState(live_db, _settings(**jobs), REPLAN_HOOKS, "worker:test:2:def")
    return asyncio.run(recover_stalled(queue_app, state))


def test_a_lost_workers_job_is_retried_and_then_solved(queued_api: Api, queue_app: App, live_db: Any) -> None:
    job = queued_api.post("/jobs", as_="dispatcher", json=BODY).json()
    _lose_a_worker(queue_app, live_db, job["id"])
    assert _recover(queue_app, live_db, worker_lost="retry", max_attempts=2) == [(job["id"], "retried")]
    again = queued_api.get(f"/jobs/{job['id']}").json()
    assert again["status"] == "queued" and "lost" in again["message"]
    [deferred] = _procrastinate_jobs(queue_app)
    assert deferred["status"] == "todo" and deferred["attempts"] == 1
    _work(queue_app, live_db)
    done = queued_api.get(f"/jobs/{job['id']}").json()
    assert done["status"] == "succeeded" and done["roster_id"] is not None


@pytest.mark.parametrize(
    "setting", [{"worker_lost": "interrupt"}, {"worker_lost": "retry", "max_attempts": 1}]
)
def test_a_lost_workers_job_is_interrupted_as_set(
    queued_api: Api, queue_app: App, live_db: Any, setting: dict[str, Any]
) -> None:
    job = queued_api.post("/jobs", as_="dispatcher", json=BODY).json()
    _lose_a_worker(queue_app, live_db, job["id"])
    assert _recover(queue_app, live_db, **setting) == [(job["id"], "interrupted")]
    done = queued_api.get(f"/jobs/{job['id']}").json()
    assert done["status"] == "interrupted" and done["roster_id"] is None and "lost" in done["message"]
    assert _procrastinate_jobs(queue_app)[0]["status"] == "failed"
    assert _recover(queue_app, live_db) == []  # handled once


def test_a_row_never_deferred_is_swept_when_its_queued_lease_ends(
    queued_api: Api, queue_app: App, live_db: Any
) -> None:
    job = queued_api.post("/jobs", as_="dispatcher", json=BODY).json()
    with transaction(live_db) as s:  # as if the API died between its commit and the defer
        s.execute(
            update(SolveJob)
            .where(SolveJob.id == job["id"])
            .values(owner=None, lease_until=utcnow() - dt.timedelta(seconds=1))
        )
    assert _recover(queue_app, live_db) == [(job["id"], "interrupted")]
    assert queued_api.get(f"/jobs/{job['id']}").json()["status"] == "interrupted"


def test_a_job_of_independent_parts_fans_out_and_merges_checked(
    queued_api: Api, queue_app: App, live_db: Any
) -> None:
    with transaction(live_db) as s:
        import_scenario(s, json.loads(ZHANGYE.read_text(encoding="utf-8")), True, None)
    body = {"start": "2021-11-08", "days": 3, "units": ["linze", "sunan"], "time_limit": 4}
    job = queued_api.post("/jobs", json=body).json()
    state = WorkerState(live_db, _settings(), FanOutHooks(REPLAN_HOOKS), "worker:test:3:fan")
    _run(queue_app, state)  # the parent splits into its parts
    assert queued_api.get(f"/jobs/{job['id']}").json()["phase"] == "0/2 parts done"
    _run(queue_app, state)  # both parts, side by side; the last merges

    done = queued_api.get(f"/jobs/{job['id']}").json()
    assert done["status"] == "succeeded" and done["roster_id"] is not None, done
    assert done["phase"] == "2/2 parts done", done
    assert [j["id"] for j in queued_api.get("/jobs").json()["items"]] == [job["id"]]  # parts are inside it
    deferred = [j["args"]["job_id"] for j in _procrastinate_jobs(queue_app)]
    assert len(deferred) == 3 and deferred[0] == job["id"]  # the parent, then its two parts
    with live_db() as s:
        parts = list(s.query(SolveJob).filter(SolveJob.parent_id == job["id"]).order_by(SolveJob.id))
        assert sorted(u for p in parts for u in p.unit_ids) == ["linze", "sunan"]
        assert all(p.status == "succeeded" and p.result is not None for p in parts)
        assert sum(p.time_limit for p in parts) <= 4 + 1  # the parent's budget, shared by size
        rosters = [roster_from_dict(p.result or {})[0] for p in parts]
        parent = s.get(SolveJob, job["id"])
        snapshot = s.get(ScenarioSnapshot, parent.snapshot_id)
        scenario = scenario_from_dict(snapshot.document)
    assignments = sorted(a for r in rosters for a in r.assignments)
    report = check_assignments(scenario, assignments)  # the referee on the whole, independently
    assert not report.violations
    assert report.score.total == done["objective"] == sum(r.objective or 0 for r in rosters)
    assert done["bound"] == sum(max(0, r.bound or 0) for r in rosters)
    assert queued_api.get(f"/rosters/{done['roster_id']}").json()["assignments"] == len(assignments)


def test_part_limits_share_the_budget_by_size() -> None:
    assert part_limits([300, 100], 8) == [6.0, 2.0]
    assert part_limits([1000, 1], 10) == [9.0, 1.0]  # at least a second each, taken from the others
    assert part_limits([1000, 10, 10], 5) == [3.0, 1.0, 1.0]
    assert part_limits([1, 1, 1], 2) == [1.0, 1.0, 1.0]  # less than a second each: the floor


def test_many_small_parts_are_bundled_into_one_job_per_second_of_the_limit() -> None:
    """The sample's six independent parts, with 3 s: three part jobs of whole parts, about equal
    in size (largest first to the lightest), every unit in exactly one, the sizes those of their
    parts; with 10 s each part is a job of its own."""
    scenario = scenario_from_dict(json.loads(ZHANGYE.read_text(encoding="utf-8")))
    parts = components(scenario)
    assert len(parts) == 6
    alone = bundles(scenario, 10)
    assert [[u.id for u in b.units] for b, _ in alone] == [[u.id for u in p.units] for p in parts]
    planned = bundles(scenario, 3)
    assert len(planned) == 3
    units = [u.id for b, _ in planned for u in b.units]
    assert sorted(units) == sorted(u.id for u in scenario.units)  # each unit once
    size_of = {frozenset(u.id for u in p.units): part_size(p) for p in parts}
    for bundle, size in planned:
        inside = [k for k in size_of if k <= {u.id for u in bundle.units}]
        assert set().union(*inside) == {u.id for u in bundle.units}  # whole parts only
        assert size == sum(size_of[k] for k in inside)
        assert {o.unit for o in bundle.officers} <= {u.id for u in bundle.units}
    biggest = max(size_of.values())
    assert max(s for _, s in planned) - min(s for _, s in planned) <= biggest  # LPT's balance
    assert sum(part_limits([s for _, s in planned], 3)) == pytest.approx(3, abs=0.01)


def test_a_leave_change_is_replanned_by_a_worker(
    live_db: Any, queue_app: App, small_roster_document: dict[str, Any]
) -> None:
    """Change requests that re-plan use the same engine: the API defers the re-plan job, a worker
    solves it with the change's `Replan` (never fanned out) and the change gets its proposal."""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.planning.scenario import ScenarioScope, scenario_from_db
    from app.rosters.service import new_snapshot, publish, store_roster
    from tests.app.helpers import MON, NOW, UNITS, as_officer, submit, wait_for_proposal

    with transaction(live_db) as s:
        scenario = scenario_from_db(s, ScenarioScope(start=MON, days=7))
        roster, _ = roster_from_dict(small_roster_document)
        snapshot = new_snapshot(s, scenario)
        stored = store_roster(s, scenario, roster, snapshot_id=snapshot.id, unit_ids=UNITS, created_by=None)
        publish(s, stored, None)
    settings = test_settings(now=NOW)
    with TestClient(create_app(settings, live_db, queue_app)) as client:
        api = Api(client, dict(TOKENS))
        leave = {"kind": "leave", "officer": "gz-05", "start": "2021-11-10T00:00", "end": "2021-11-13T00:00"}
        change = submit(api, {**leave, "reason": "sick"}, as_officer(api, live_db, "gz-05"))
        assert change["proposal"]["status"] == "pending" and change["proposal"]["job_id"]
        [deferred] = _procrastinate_jobs(queue_app)
        assert deferred["args"] == {"job_id": change["proposal"]["job_id"]}
        _run(queue_app, WorkerState(live_db, settings, FanOutHooks(REPLAN_HOOKS), "worker:test:4:chg"))
        ready = wait_for_proposal(api, change["id"], timeout=5)
        assert ready["proposal"]["status"] == "ready", ready["proposal"]
        assert ready["check"]["ok"] is True and ready["proposal"]["removed"]
