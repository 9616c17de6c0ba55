"""The procrastinate engine on procrastinate's in-memory connector: the API only defers; a worker
runs the job with the same supervision as the embedded runner; a lost worker's job is retried or
interrupted as `jobs.worker_lost` says; a row never deferred is swept when its queued lease ends.
The job rows are real (SQLite and PostgreSQL, committed), the solves real and short."""

from __future__ import annotations

import asyncio
import datetime as dt
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
from app.jobs.models import SolveJob
from app.jobs.queue import QUEUE, SOLVE_TASK, WorkerState, make_app, recover_stalled, run_worker
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
    state = WorkerState(live_db, _settings(**jobs), REPLAN_HOOKS, "worker:test:1:abc")
    asyncio.run(run_worker(queue_app, state, wait=False))


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
