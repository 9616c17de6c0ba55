"""Roster jobs: the request is turned into a scenario snapshot at once (so its errors come back
with the 202's alternative, a 422), then solved later by the job runner."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app import mappers
from app.errors import Conflict, ErrorDetail, NotFound, RuleViolation
from app.models import ACTIVE_JOB_STATUSES, JobStatus, ScenarioSnapshot, SolveJob, Unit, User
from app.services.access import ensure_manages
from app.services.auth import utcnow
from app.services.change_scenario import scenario_for
from app.services.rosters import new_snapshot


def create_job(
    session: Session,
    user: User,
    *,
    start: date,
    days: int,
    unit_ids: list[str] | None,
    time_limit: float,
    history_days: int,
) -> SolveJob:
    known = list(session.scalars(select(Unit.id).order_by(Unit.id)))
    if unit_ids is None:
        chosen = known
    else:
        chosen = sorted(set(unit_ids))
        unknown = [u for u in chosen if u not in known]
        if unknown:
            raise RuleViolation(
                "unknown unit(s): " + ", ".join(unknown),
                [ErrorDetail("body.units", f"unknown unit {u!r}", u) for u in unknown],
            )
    if not chosen:
        raise RuleViolation("there are no units to roster: import a scenario first")
    ensure_manages(user, chosen, "generate rosters")
    scope = mappers.ScenarioScope(start=start, days=days, unit_ids=chosen, history_days=history_days)
    scenario = scenario_for(session, scope)  # the stored data, with coverage changes dated in the horizon
    snapshot = new_snapshot(session, scenario)
    job = SolveJob(
        status=JobStatus.QUEUED,
        start=start,
        days=days,
        unit_ids=chosen,
        time_limit=time_limit,
        snapshot_id=snapshot.id,
        created_by=user.id,
        created_at=utcnow(),
    )
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, job_id: int) -> SolveJob:
    job = session.get(SolveJob, job_id)
    if job is None:
        raise NotFound(f"no job {job_id}")
    return job


def list_jobs(
    session: Session, limit: int, offset: int, status: str | None = None
) -> tuple[list[SolveJob], int]:
    stmt = select(SolveJob)
    if status is not None:
        stmt = stmt.where(SolveJob.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    return list(session.scalars(stmt.order_by(SolveJob.id.desc()).limit(limit).offset(offset))), total


def cancel_job(session: Session, job: SolveJob, user: User) -> SolveJob:
    """A queued job is cancelled at once; a running one is asked to stop and keeps its best roster."""
    ensure_manages(user, job.unit_ids, "cancel jobs")
    if job.status not in ACTIVE_JOB_STATUSES:
        raise Conflict(f"job {job.id} has already ended ({job.status})")
    job.cancel_requested = True
    if job.status == JobStatus.QUEUED:
        job.status = JobStatus.CANCELLED
        job.finished_at = utcnow()
        job.message = "cancelled before it started"
    session.flush()
    return job


def claim(session: Session, job_id: int) -> tuple[dict[str, Any], float] | None:
    """Move a queued job to running: its scenario document and time limit, or None if no longer queued."""
    claimed = session.execute(
        update(SolveJob)
        .where(SolveJob.id == job_id, SolveJob.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=utcnow())
    )
    if not getattr(claimed, "rowcount", 0):
        return None
    job = session.get(SolveJob, job_id)
    assert job is not None
    document = session.scalar(select(ScenarioSnapshot.document).where(ScenarioSnapshot.id == job.snapshot_id))
    return dict(document or {}), job.time_limit
