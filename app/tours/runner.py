"""A tour job run in the calling process (the command line, tests on one connection); the service
runs tour jobs through the job engine (`app.tours.jobs.TourJobs`). Claimed under a lease that a
heartbeat renews, stored only while this process still holds the job, as the engine does."""

from __future__ import annotations

from sqlalchemy import update

from app.core.clock import utcnow
from app.core.db import SessionFactory, transaction
from app.jobs import leases
from app.jobs.models import JobStatus
from app.tours.models import TourJob
from app.tours.service import claim, store_result
from app.tours.worker import plan_tours
from solver.tours import plan_to_dict


def run_tour_job_inline(factory: SessionFactory, job_id: int, lease_seconds: float = 30.0) -> bool:
    """Run a queued tour job in this process; whether it stored a version."""
    owner = leases.new_owner("cli")
    with transaction(factory) as session:
        work = claim(session, job_id, owner, lease_seconds)
    if work is None:
        return False
    heartbeat = leases.Heartbeat(factory, owner, lease_seconds, models=(TourJob,)).start()
    try:
        try:
            document = plan_tours(work)
        except Exception as exc:
            with transaction(factory) as session:
                session.execute(
                    update(TourJob)
                    .where(TourJob.id == job_id, TourJob.owner == owner)
                    .values(
                        status=JobStatus.FAILED,
                        message=f"the tour planner failed: {exc}",
                        finished_at=utcnow(),
                        lease_until=None,
                    )
                )
            return False
        with transaction(factory) as session:
            if not leases.holds(session, job_id, owner, TourJob):
                return False
            store_result(session, job_id, plan_to_dict(document))
            job = session.get(TourJob, job_id)
            return job is not None and job.status == JobStatus.SUCCEEDED
    finally:
        heartbeat.stop()
