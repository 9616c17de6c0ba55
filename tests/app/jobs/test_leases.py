"""Job leases: taking, renewing, expiring; only the holder of a running job stores its result."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update

from app.accounts.models import User
from app.core.clock import utcnow
from app.core.db import transaction
from app.jobs import leases
from app.jobs.models import SolveJob
from app.jobs.runner import Supervision
from app.jobs.service import create_job
from tests.conftest import test_settings


def _job(session_factory: Any) -> int:
    with transaction(session_factory) as s:
        admin = s.scalar(select(User).where(User.username == "admin"))
        assert admin is not None
        return create_job(
            s, admin, start=date(2021, 11, 8), days=1, unit_ids=None, time_limit=1, history_days=0
        ).id


def _row(session_factory: Any, job_id: int) -> SolveJob:
    with session_factory() as s:
        job = s.get(SolveJob, job_id)
        assert job is not None
        s.expunge(job)
        return job


def test_a_queued_job_has_a_short_lease_until_a_process_takes_it(session_factory: Any) -> None:
    job_id = _job(session_factory)
    queued = _row(session_factory, job_id)
    assert queued.owner is None and queued.lease_until is not None
    assert queued.lease_until - queued.created_at == leases.QUEUED_LEASE
    with transaction(session_factory) as s:
        assert leases.take(s, job_id, "service:a:1:x", 120)
        assert leases.interrupt_expired(s) == []  # nothing ran out
    taken = _row(session_factory, job_id)
    assert taken.owner == "service:a:1:x" and taken.lease_until is not None
    assert taken.lease_until > utcnow() + timedelta(seconds=100)


def test_renew_extends_only_the_owners_active_jobs(session_factory: Any) -> None:
    mine, theirs = _job(session_factory), _job(session_factory)
    soon = utcnow() + timedelta(seconds=1)
    with transaction(session_factory) as s:
        s.execute(update(SolveJob).where(SolveJob.id == mine).values(owner="me", lease_until=soon))
        s.execute(update(SolveJob).where(SolveJob.id == theirs).values(owner="them", lease_until=soon))
        assert leases.renew(s, "me", 600) == 1
    assert _row(session_factory, mine).lease_until > soon + timedelta(seconds=500)  # type: ignore[operator]
    assert _row(session_factory, theirs).lease_until == soon


def test_heartbeat_renews_and_sweeps_expired_jobs(session_factory: Any) -> None:
    mine, dead = _job(session_factory), _job(session_factory)
    past = utcnow() - timedelta(seconds=5)
    with transaction(session_factory) as s:
        s.execute(
            update(SolveJob).where(SolveJob.id == mine).values(status="running", owner="me", lease_until=past)
        )
        s.execute(
            update(SolveJob).where(SolveJob.id == dead).values(status="running", owner="x", lease_until=past)
        )
    beat = leases.Heartbeat(session_factory, "me", 60, leases.interrupt_expired)
    beat.beat()  # renew first: my own job survives the sweep of the same beat
    assert _row(session_factory, mine).status == "running"
    gone = _row(session_factory, dead)
    assert gone.status == "interrupted" and gone.lease_until is None and gone.finished_at is not None


def test_a_result_from_a_process_that_lost_the_job_is_dropped(session_factory: Any) -> None:
    job_id = _job(session_factory)
    with transaction(session_factory) as s:
        s.execute(update(SolveJob).where(SolveJob.id == job_id).values(status="interrupted", owner="late"))
    supervision = Supervision(session_factory, test_settings(), _no_hooks(), job_id, "late", 60)
    supervision._store_result({"never": "read"})  # would raise if it were read
    job = _row(session_factory, job_id)
    assert job.status == "interrupted" and job.roster_id is None


def _no_hooks() -> Any:
    from app.jobs.hooks import NO_HOOKS

    return NO_HOOKS
