"""Tour plans as a kind of job of the one job engine (`app.jobs.kinds`): the inline runner of
`roster serve`, or `roster worker` with the procrastinate engine, runs them with the same
supervision, leases and recovery as roster jobs. A tour job's process cannot stop early with a
partial plan, so a stop (cancel, a worker stopping) kills it and nothing is stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.jobs.hooks import NO_HOOKS, JobHooks
from app.jobs.kinds import Work
from app.jobs.leases import Model
from app.jobs.models import JobStatus
from app.tours.models import TourJob
from app.tours.service import claim, store_result
from app.tours.worker import plan_in_process

TOUR = "tour"

START_SECONDS = 30.0
"""Allowed for a worker process to start (imports) on top of the search time."""


class TourJobs:
    name = TOUR
    model: Model = TourJob
    hooks: JobHooks = NO_HOOKS
    program = "the tour planner"
    result = "plan"

    def claim(self, session: Session, job_id: int, owner: str, lease_seconds: float | None) -> Work | None:
        work = claim(session, job_id, owner, lease_seconds)
        if work is None:
            return None
        limit = work["settings"]["time_limit_per_day"] * work["days"] + START_SECONDS
        return Work(plan_in_process, (work,), limit, stoppable=False)

    def write_progress(self, session: Session, job_id: int, progress: dict[str, Any], elapsed: float) -> None:
        session.execute(
            update(TourJob)
            .where(TourJob.id == job_id, TourJob.status == JobStatus.RUNNING)
            .values(days_done=int(progress["days_done"]), phase=str(progress["phase"])[:64], elapsed=elapsed)
        )

    def cancel_requested(self, session: Session, job_id: int) -> bool:
        return bool(session.scalar(select(TourJob.cancel_requested).where(TourJob.id == job_id)))

    def store(self, session: Session, job_id: int, document: dict[str, Any], draining: bool) -> None:
        store_result(session, job_id, document)


TOUR_JOBS = TourJobs()
