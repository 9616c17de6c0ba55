"""Tour plans and their jobs: a request builds the tour problem at once (its errors are the 422
instead of the 202), stores it as a plan and queues a job; the runner solves it and stores version
1; a re-plan (a supervisor called away) is a job that stores the next version.

Status, progress (days planned of the horizon), cancel, leases and recovery are those of roster
jobs: the same job engine runs both (`app.tours.jobs`). A cancelled job stores nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.accounts.access import is_staff
from app.accounts.models import User
from app.core.clock import utcnow
from app.core.config import Settings
from app.core.errors import Conflict, ErrorDetail, Forbidden, NotFound, RuleViolation
from app.core.paging import PageParams, fetch_page
from app.jobs.leases import QUEUED_LEASE
from app.jobs.models import ACTIVE_JOB_STATUSES, JobStatus
from app.tours.models import TourJob, TourJobKind, TourPlanRow, TourPlanVersion
from app.tours.problems import problem_for, settings_document, tour_settings
from app.tours.schemas import TourRulesIn, TravelMatrixIn
from solver.tours import (
    TourCheck,
    TourPlan,
    TourProblem,
    TravelModel,
    check_plan,
    plan_from_dict,
    plan_to_dict,
    problem_from_dict,
    problem_to_dict,
)


def create_plan(
    session: Session,
    user: User,
    settings: Settings,
    *,
    start: date,
    days: int,
    supervisors: list[str] | None,
    time_limit_per_day: float | None,
    solution_limit: int | None = None,
    travel_matrix: TravelMatrixIn | None = None,
    rules: TourRulesIn | None = None,
) -> TourJob:
    """A tour plan of the horizon and its queued job; the caller submits the job after the commit."""
    if days > settings.tours.max_days:
        raise RuleViolation(
            f"a tour plan has at most {settings.tours.max_days} days",
            [ErrorDetail("body.days", f"must be at most {settings.tours.max_days}")],
        )
    doc = settings_document(
        settings.tours, time_limit_per_day, solution_limit, None if rules is None else rules.model_dump()
    )
    try:
        tours = tour_settings(doc)
    except ValueError as exc:
        raise RuleViolation(f"tour rules: {exc}", [ErrorDetail("body.rules", str(exc))]) from None
    travel = None
    if travel_matrix is not None:
        travel = TravelModel(
            road_factor=tours.road_factor,
            speed_kmh=tours.speed_kmh,
            minutes_matrix=travel_matrix.minutes,
            km_matrix=travel_matrix.km,
            symmetric=travel_matrix.symmetric,
        )
    problem = problem_for(session, start, days, supervisors, tours, settings.jobs.history_days, travel)
    plan = TourPlanRow(
        start=start,
        days=days,
        supervisors=[s.id for s in problem.supervisors],
        problem=problem_to_dict(problem),
        settings=doc,
        created_by=user.id,
        created_at=utcnow(),
    )
    session.add(plan)
    session.flush()
    return _queue(session, plan, user, TourJobKind.PLAN, days)


def replan(session: Session, user: User, plan: TourPlanRow, supervisor: str, at: datetime) -> TourJob:
    """A job re-planning the day of `at` for the others: `supervisor` is called away at `at`."""
    if plan.latest_version == 0:
        raise Conflict(f"tour plan {plan.id} has no version yet: wait for its job")
    if supervisor not in plan.supervisors:
        raise RuleViolation(
            f"{supervisor!r} is not a supervisor of tour plan {plan.id}",
            [ErrorDetail("body.supervisor", "not a supervisor of this plan", supervisor)],
        )
    dates = [date.fromisoformat(d) for d in plan.problem["dates"]]
    if at.tzinfo is not None or at.date() not in dates:
        raise RuleViolation(
            f"{at} is not a local time in the plan's dates {dates[0]} … {dates[-1]}",
            [ErrorDetail("body.at", "a local time (no offset) within the plan's dates")],
        )
    busy = session.scalar(
        select(TourJob.id).where(TourJob.plan_id == plan.id, TourJob.status.in_(list(ACTIVE_JOB_STATUSES)))
    )
    if busy is not None:
        raise Conflict(f"tour job {busy} of this plan has not ended yet")
    job = _queue(session, plan, user, TourJobKind.REPLAN, 1)
    job.base_version = plan.latest_version
    job.replan = {"supervisor": supervisor, "at": at.isoformat()}
    session.flush()
    return job


def _queue(session: Session, plan: TourPlanRow, user: User, kind: TourJobKind, days: int) -> TourJob:
    now = utcnow()
    job = TourJob(
        kind=kind,
        status=JobStatus.QUEUED,
        plan_id=plan.id,
        days_total=days,
        created_by=user.id,
        created_at=now,
        lease_until=now + QUEUED_LEASE,  # until the process that queued it takes it
    )
    session.add(job)
    session.flush()
    return job


# ---------------------------------------------------------------------------------------- reads


def get_plan(session: Session, plan_id: int, user: User) -> TourPlanRow:
    plan = session.get(TourPlanRow, plan_id)
    if plan is None:
        raise NotFound(f"no tour plan {plan_id}")
    if not is_staff(user) and (user.officer_id is None or user.officer_id not in plan.supervisors):
        raise Forbidden("you may read only the tour plans you are a supervisor in")
    return plan


def list_plans(session: Session, user: User, page: PageParams) -> tuple[list[TourPlanRow], int]:
    stmt = select(TourPlanRow).order_by(TourPlanRow.id.desc())
    if is_staff(user):
        return fetch_page(session, stmt, page)
    # The supervisors list is JSON: filter in Python (plans are few).
    mine = [p for p in session.scalars(stmt) if user.officer_id in p.supervisors]
    return mine[page.offset : page.offset + page.limit], len(mine)


def get_version(session: Session, plan: TourPlanRow, version: int | None) -> TourPlanVersion:
    number = plan.latest_version if version is None else version
    row = session.scalar(
        select(TourPlanVersion).where(TourPlanVersion.plan_id == plan.id, TourPlanVersion.version == number)
    )
    if row is None:
        raise NotFound(
            f"tour plan {plan.id} has no version {number}"
            + (": its job has not stored one yet" if plan.latest_version == 0 else "")
        )
    return row


def list_versions(session: Session, plan: TourPlanRow) -> list[TourPlanVersion]:
    return list(
        session.scalars(
            select(TourPlanVersion)
            .where(TourPlanVersion.plan_id == plan.id)
            .order_by(TourPlanVersion.version)
        )
    )


def domain(plan: TourPlanRow, version: TourPlanVersion) -> tuple[TourProblem, TourPlan]:
    return problem_from_dict(plan.problem), plan_from_dict(version.document)


def check(plan: TourPlanRow, version: TourPlanVersion) -> TourCheck:
    return check_plan(*domain(plan, version))


def mine_only(user: User, document: dict[str, Any]) -> dict[str, Any]:
    """A plan document as `user` may read it: staff all of it, a supervisor their own routes."""
    if is_staff(user):
        return document
    me = user.officer_id
    return {
        **document,
        "routes": [r for r in document["routes"] if r["supervisor"] == me],
        "interruptions": [i for i in document["interruptions"] if i["supervisor"] == me],
    }


# ----------------------------------------------------------------------------------------- jobs


def get_job(session: Session, job_id: int) -> TourJob:
    job = session.get(TourJob, job_id)
    if job is None:
        raise NotFound(f"no tour job {job_id}")
    return job


def list_jobs(session: Session, page: PageParams, plan_id: int | None) -> tuple[list[TourJob], int]:
    stmt = select(TourJob)
    if plan_id is not None:
        stmt = stmt.where(TourJob.plan_id == plan_id)
    return fetch_page(session, stmt.order_by(TourJob.id.desc()), page)


def cancel_job(session: Session, job: TourJob) -> TourJob:
    """A queued job is cancelled at once; a running one is stopped (its worker ends) and stores nothing."""
    if job.status not in ACTIVE_JOB_STATUSES:
        raise Conflict(f"tour job {job.id} has already ended ({job.status})")
    job.cancel_requested = True
    if job.status == JobStatus.QUEUED:
        job.status = JobStatus.CANCELLED
        job.finished_at = utcnow()
        job.lease_until = None
        job.message = "cancelled before it started"
    session.flush()
    return job


def claim(session: Session, job_id: int, owner: str, lease_seconds: float | None) -> dict[str, Any] | None:
    """Move a queued job to running, held by `owner` (a lease of `lease_seconds`, or none when the
    job engine watches its workers): what its worker needs (plain data), or None if not queued."""
    now = utcnow()
    lease_until = None if lease_seconds is None else now + timedelta(seconds=lease_seconds)
    claimed = session.execute(
        update(TourJob)
        .where(TourJob.id == job_id, TourJob.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=now, owner=owner, lease_until=lease_until)
    )
    if not getattr(claimed, "rowcount", 0):
        return None
    job = session.get(TourJob, job_id)
    assert job is not None
    plan = session.get(TourPlanRow, job.plan_id)
    assert plan is not None
    base = None
    if job.base_version is not None:
        base = get_version(session, plan, job.base_version).document
    return {
        "kind": job.kind,
        "problem": plan.problem,
        "settings": plan.settings,
        "base": base,
        "replan": job.replan,
        "days": job.days_total,
    }


def store_result(session: Session, job_id: int, document: dict[str, Any]) -> None:
    """The worker's plan: checked by the referee, then stored as the plan's next version."""
    job = session.get(TourJob, job_id)
    if job is None or job.status != JobStatus.RUNNING:
        return
    plan = session.get(TourPlanRow, job.plan_id)
    assert plan is not None
    result = plan_from_dict(document)
    report = check_plan(problem_from_dict(plan.problem), result)
    job.finished_at = utcnow()
    job.lease_until = None
    job.days_done = job.days_total
    if result.solve_seconds is not None:
        job.elapsed = result.solve_seconds
    if not report.ok:
        job.status = JobStatus.FAILED
        first = "; ".join(f"{v.rule}: {v.message}" for v in report.violations[:3])
        job.message = f"the referee rejected the plan ({len(report.violations)} violation(s)): {first}"
        return
    number = plan.latest_version + 1
    note = ""
    if job.replan is not None:
        note = f"{job.replan['supervisor']} called away at {job.replan['at']}; the rest of the day re-planned"
    session.add(
        TourPlanVersion(
            plan_id=plan.id,
            version=number,
            kind=job.kind,
            document=plan_to_dict(result),
            created_by=job.created_by,
            created_at=utcnow(),
            method=result.method,
            visits=result.visits,
            drive_minutes=result.drive_minutes,
            km=round(result.km, 3),
            share_met=round(report.metrics.share_met, 4),
            missed=len(result.missed),
            note=note,
        )
    )
    plan.latest_version = number
    job.version = number
    job.status = JobStatus.SUCCEEDED
    job.message = f"version {number}: {result.visits} visits, {result.drive_minutes} min driving, " + (
        f"{report.metrics.share_met:.0%} of required visits met"
    )
