"""Roster jobs: the request is turned into a scenario snapshot at once (so its errors come back
with the 202's alternative, a 422), then solved later by the job runner."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, timedelta
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages
from app.accounts.models import User
from app.audit import service as audit
from app.core.clock import utcnow
from app.core.errors import Conflict, ErrorDetail, NotFound, RuleViolation
from app.core.paging import PageParams, fetch_page
from app.jobs.leases import QUEUED_LEASE, Model
from app.jobs.models import ACTIVE_JOB_STATUSES, JobStatus, SolveJob
from app.planning.scenario import ScenarioScope, scenario_for
from app.reference.models import Unit
from app.rosters.models import ScenarioSnapshot
from app.rosters.service import new_snapshot, store_roster
from solver import domain as d
from solver.io.load import scenario_from_dict
from solver.io.roster import roster_from_dict


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
    scope = ScenarioScope(start=start, days=days, unit_ids=chosen, history_days=history_days)
    scenario = scenario_for(session, scope)  # the stored data, with coverage changes dated in the horizon
    return queue_job(session, scenario, chosen, time_limit, user)


def queue_job(
    session: Session,
    scenario: d.Scenario,
    unit_ids: Sequence[str],
    time_limit: float,
    user: User,
    *,
    phase: str = "",
    message: str = "",
) -> SolveJob:
    """A queued job solving `scenario` (kept as its snapshot) for the units; the caller hands its
    id to the runner after the commit."""
    snapshot = new_snapshot(session, scenario)
    now = utcnow()
    job = SolveJob(
        status=JobStatus.QUEUED,
        start=scenario.start,
        days=scenario.days,
        unit_ids=list(unit_ids),
        time_limit=time_limit,
        snapshot_id=snapshot.id,
        created_by=user.id,
        created_at=now,
        phase=phase,
        message=message,
        lease_until=now + QUEUED_LEASE,  # until the process that queued it takes it
    )
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, job_id: int) -> SolveJob:
    job = session.get(SolveJob, job_id)
    if job is None:
        raise NotFound(f"no job {job_id}")
    return job


def list_jobs(session: Session, page: PageParams, status: str | None = None) -> tuple[list[SolveJob], int]:
    stmt = select(SolveJob).where(SolveJob.parent_id.is_(None))  # parts of a fanned-out job: in it
    if status is not None:
        stmt = stmt.where(SolveJob.status == status)
    return fetch_page(session, stmt.order_by(SolveJob.id.desc()), page)


def cancel_job(session: Session, job: SolveJob, user: User) -> SolveJob:
    """A queued job is cancelled at once; a running one is asked to stop and keeps its best roster."""
    ensure_manages(user, job.unit_ids, "cancel jobs")
    if not stop_job(session, job):
        raise Conflict(f"job {job.id} has already ended ({job.status})")
    return job


def stop_job(session: Session, job: SolveJob, why: str = "") -> bool:
    """Cancel `job` without asking who may (the caller decided): a queued job ends at once, a
    running one is asked to stop. False when it had already ended."""
    if job.status not in ACTIVE_JOB_STATUSES:
        return False
    job.cancel_requested = True
    if job.status == JobStatus.QUEUED:
        job.status = JobStatus.CANCELLED
        job.finished_at = utcnow()
        job.lease_until = None
        job.message = "cancelled before it started" + (f": {why}" if why else "")
    session.flush()
    return True


def claim(
    session: Session, job_id: int, owner: str | None = None, lease_seconds: float | None = None
) -> tuple[dict[str, Any], float] | None:
    """Move a queued job to running, held by `owner` (with a lease of `lease_seconds`, or none when
    the job engine watches its workers itself; no owner: the row's lease stays as it is): its
    scenario document and time limit, or None if no longer queued."""
    now = utcnow()
    values: dict[str, Any] = {"status": JobStatus.RUNNING, "started_at": now}
    if owner is not None:
        values["owner"] = owner
        values["lease_until"] = None if lease_seconds is None else now + timedelta(seconds=lease_seconds)
    claimed = session.execute(
        update(SolveJob).where(SolveJob.id == job_id, SolveJob.status == JobStatus.QUEUED).values(**values)
    )
    if not getattr(claimed, "rowcount", 0):
        return None
    job = session.get(SolveJob, job_id)
    assert job is not None
    document = session.scalar(select(ScenarioSnapshot.document).where(ScenarioSnapshot.id == job.snapshot_id))
    return dict(document or {}), job.time_limit


def store_job_result(session: Session, job_id: int, roster_document: dict[str, Any]) -> None:
    """Called once when a job's solve returns: the roster (if any) and the job's final state."""
    job = session.get(SolveJob, job_id)
    if job is None:
        return
    roster, _ = roster_from_dict(roster_document)
    snapshot = session.get(ScenarioSnapshot, job.snapshot_id)
    assert snapshot is not None
    scenario = scenario_from_dict(snapshot.document)
    job.finished_at = utcnow()
    job.lease_until = None
    job.objective, job.bound = roster.objective, roster.bound
    if roster.solve_seconds is not None:
        job.elapsed = roster.solve_seconds
    if not roster.assignments and roster.status in ("INFEASIBLE", "UNKNOWN") and scenario.slots():
        conflicts = roster.extra.get("conflicts")
        if roster.status == "INFEASIBLE":
            job.status = JobStatus.FAILED
            reasons = "; ".join(map(str, conflicts)) if isinstance(conflicts, list) else ""
            job.message = "no roster is possible" + (f": {reasons}" if reasons else "")
        else:
            job.status = JobStatus.CANCELLED if job.cancel_requested else JobStatus.FAILED
            job.message = "the solve stopped before it found any roster"
        session.flush()
        return
    stored = store_roster(
        session,
        scenario,
        roster,
        snapshot_id=job.snapshot_id,
        unit_ids=job.unit_ids,
        created_by=job.created_by,
    )
    job.roster_id = stored.id
    audit.record(
        session,
        "roster.generated",
        actor_id=job.created_by,
        roster_id=stored.id,
        details={
            "job_id": job.id,
            "solver_status": roster.status,
            "objective": roster.objective,
            "start": job.start.isoformat(),
            "days": job.days,
            "units": list(job.unit_ids),
            "duties": len(roster.assignments),
        },
    )
    job.status = JobStatus.CANCELLED if job.cancel_requested else JobStatus.SUCCEEDED
    job.message = (
        f"stopped on request; kept the best roster found (version {stored.id}, {roster.status})"
        if job.cancel_requested
        else f"roster version {stored.id} ({roster.status}) stored as a draft"
    )
    session.flush()


def queue_status(session: Session, engine: str, others: Sequence[tuple[str, Model]] = ()) -> dict[str, Any]:
    """Queue depth, the running jobs and who runs them, (procrastinate) the live workers, and the
    queued and running jobs of the `others` kinds (name, table) on the same engine."""
    counts = active_counts(session, SolveJob)
    running = session.scalars(
        select(SolveJob).where(SolveJob.status == JobStatus.RUNNING).order_by(SolveJob.id)
    ).all()
    workers: list[dict[str, Any]] = []
    if engine == "procrastinate":
        rows = session.execute(
            text(
                "SELECT id, last_heartbeat, EXTRACT(EPOCH FROM now() - last_heartbeat) AS quiet "
                "FROM procrastinate_workers ORDER BY id"
            )
        ).all()
        workers = [
            {
                "id": r.id,
                "last_heartbeat": r.last_heartbeat.astimezone(UTC).replace(tzinfo=None),
                "seconds_since_heartbeat": round(float(r.quiet), 3),
            }
            for r in rows
        ]
    return {
        "engine": engine,
        **counts,
        "running_jobs": [
            {
                "id": j.id,
                "units": list(j.unit_ids),
                "owner": j.owner,
                "started_at": j.started_at,
                "lease_until": j.lease_until,
                "parent_id": j.parent_id,
            }
            for j in running
        ],
        "workers": workers,
        "other_kinds": {name: active_counts(session, model) for name, model in others},
    }


def active_counts(session: Session, model: Model) -> dict[str, int]:
    """How many jobs of a kind (its table) are queued and running now."""
    counts = dict(
        session.execute(
            select(model.status, func.count())
            .where(model.status.in_([s.value for s in ACTIVE_JOB_STATUSES]))
            .group_by(model.status)
        ).all()
    )
    return {"queued": int(counts.get(JobStatus.QUEUED, 0)), "running": int(counts.get(JobStatus.RUNNING, 0))}
