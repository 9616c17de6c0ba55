"""Tour plans on the one job engine (issue 10 point 4, issue 16): leased like roster jobs, so a
second service's start-up leaves a live service's tour job alone; with the procrastinate engine
the API defers them (`roster.run`, kind `tour`) and a `roster worker` runs them, a lost worker's
tour job is retried or interrupted as `jobs.worker_lost` says. Rows real and committed."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from procrastinate import App
from procrastinate.testing import InMemoryConnector
from sqlalchemy import update

from app.core.clock import utcnow
from app.core.config import JobSettings
from app.core.db import transaction
from app.jobs import leases
from app.jobs.queue import QUEUE, RUN_TASK, WorkerState, make_app, recover_stalled, run_worker
from app.jobs.runner import JobRunner
from app.tours.jobs import TOUR, TOUR_JOBS
from app.tours.models import TourJob
from tests.app.tours.helpers import SUPERVISORS, locate, wait_for
from tests.app.tours.test_runner import publish_small
from tests.conftest import TOKENS, Api, test_settings

BODY = {"start": "2021-11-08", "days": 2, "supervisors": SUPERVISORS, "time_limit_per_day": 0.3}


def _settings(**jobs: Any) -> Any:
    base = test_settings().jobs.model_dump()
    return test_settings(jobs=JobSettings(**{**base, **jobs}))


def _row(factory: Any, job_id: int) -> TourJob:
    with factory() as s:
        job = s.get(TourJob, job_id)
        assert job is not None
        s.expunge(job)
        return job


def test_a_second_service_leaves_a_live_services_tour_job_alone(
    live_api: Api, live_db: Any, small_roster_document: dict[str, Any]
) -> None:
    publish_small(live_db, small_roster_document)
    locate(live_api)
    job = live_api.post("/tours", as_="dispatcher", json={**BODY, "time_limit_per_day": 20}).json()
    wait_for(live_api, job["id"], lambda j: j["status"] == "running")
    held = _row(live_db, job["id"])
    assert held.owner is not None and held.owner.startswith("service:") and held.lease_until is not None
    assert held.lease_until > utcnow()

    second = JobRunner(live_db, test_settings(), kinds=(TOUR_JOBS,))  # another process's start-up
    assert second.owner != held.owner
    assert second.recover() == 0
    assert _row(live_db, job["id"]).status == "running"

    assert live_api.post(f"/tour-jobs/{job['id']}/cancel", as_="dispatcher").status_code == 202
    ended = wait_for(live_api, job["id"], lambda j: j["status"] != "running", timeout=30)
    assert ended["status"] == "cancelled" and ended["version"] is None, ended
    assert _row(live_db, job["id"]).lease_until is None

    with transaction(live_db) as s:  # a dead holder: its lease ran out
        s.execute(
            update(TourJob)
            .where(TourJob.id == job["id"])
            .values(
                status="running", owner="service:gone:1:x", lease_until=utcnow() - dt.timedelta(seconds=1)
            )
        )
    assert second.recover() == 1
    assert _row(live_db, job["id"]).status == "interrupted"


@pytest.fixture
def queue_app() -> App:
    return make_app(InMemoryConnector())


@pytest.fixture
def queued_api(live_db: Any, queue_app: App) -> Iterator[Api]:
    from fastapi.testclient import TestClient

    from app.main import create_app

    with TestClient(create_app(_settings(), live_db, queue_app)) as client:
        yield Api(client, dict(TOKENS))


def _state(live_db: Any, **jobs: Any) -> WorkerState:
    return WorkerState(live_db, _settings(**jobs), owner="worker:test:9:tour", extra_kinds=(TOUR_JOBS,))


def _work(queue_app: App, state: WorkerState) -> None:
    async def work() -> None:
        async with queue_app.open_async():
            await run_worker(queue_app, state, wait=False)

    asyncio.run(work())


def _deferred(queue_app: App) -> list[dict[str, Any]]:
    connector = queue_app.connector
    assert isinstance(connector, InMemoryConnector)
    return list(connector.jobs.values())


def test_a_worker_runs_a_tour_job_the_api_deferred(
    queued_api: Api, queue_app: App, live_db: Any, small_roster_document: dict[str, Any]
) -> None:
    publish_small(live_db, small_roster_document)
    locate(queued_api)
    job = queued_api.post("/tours", as_="dispatcher", json=BODY).json()
    [deferred] = _deferred(queue_app)
    assert deferred["task_name"] == RUN_TASK and deferred["queue_name"] == QUEUE
    assert deferred["args"] == {"kind": TOUR, "job_id": job["id"]}
    row = _row(live_db, job["id"])
    assert row.status == "queued" and row.owner == leases.QUEUE_OWNER and row.lease_until is None
    depth = queued_api.get("/jobs/queue").json()
    assert depth["other_kinds"] == {"tour": {"queued": 1, "running": 0}} and depth["queued"] == 0

    _work(queue_app, _state(live_db))
    done = queued_api.get(f"/tour-jobs/{job['id']}", as_="dispatcher").json()
    assert done["status"] == "succeeded" and done["version"] == 1 and done["days_done"] == 2, done
    assert queued_api.get(f"/tours/{job['plan_id']}/check", as_="dispatcher").json()["ok"]
    assert str(_row(live_db, job["id"]).owner).startswith("worker:test:9:tour:w")
    assert _deferred(queue_app)[0]["status"] == "succeeded"
    assert queued_api.get("/jobs/queue").json()["other_kinds"]["tour"] == {"queued": 0, "running": 0}


def _lose_a_worker(queue_app: App, live_db: Any, job_id: int) -> None:
    """A worker took the tour job and died: its heartbeat is old, the row running."""
    connector = queue_app.connector
    assert isinstance(connector, InMemoryConnector)

    async def take() -> None:
        worker_id = await queue_app.job_manager.register_worker()
        assert await queue_app.job_manager.fetch_job([QUEUE], worker_id) is not None
        connector.workers[worker_id] = utcnow().replace(tzinfo=dt.UTC) - dt.timedelta(minutes=5)

    asyncio.run(take())
    with transaction(live_db) as s:
        s.execute(update(TourJob).where(TourJob.id == job_id).values(status="running", owner="worker:dead"))


@pytest.mark.parametrize(("lost", "outcome"), [("retry", "retried"), ("interrupt", "interrupted")])
def test_a_lost_workers_tour_job_is_recovered_as_set(
    queued_api: Api,
    queue_app: App,
    live_db: Any,
    small_roster_document: dict[str, Any],
    lost: str,
    outcome: str,
) -> None:
    publish_small(live_db, small_roster_document)
    locate(queued_api)
    job = queued_api.post("/tours", as_="dispatcher", json=BODY).json()
    _lose_a_worker(queue_app, live_db, job["id"])
    state = _state(live_db, worker_lost=lost, max_attempts=2)
    assert asyncio.run(recover_stalled(queue_app, state)) == [(job["id"], outcome)]
    row = _row(live_db, job["id"])
    assert "lost" in row.message
    if outcome == "interrupted":
        assert row.status == "interrupted" and _deferred(queue_app)[0]["status"] == "failed"
        return
    assert row.status == "queued" and row.owner == leases.QUEUE_OWNER
    _work(queue_app, state)  # the retry, on another worker
    done = queued_api.get(f"/tour-jobs/{job['id']}", as_="dispatcher").json()
    assert done["status"] == "succeeded" and done["version"] == 1, done
