"""A job run in the calling process, for the command line (the service runs jobs in worker
processes through `JobRunner`): claim, solve (`solve_job`), store, exactly as the runner does."""

from __future__ import annotations

from collections.abc import Callable

from app.core.clock import utcnow
from app.core.db import SessionFactory, transaction
from app.jobs.hooks import NO_HOOKS, JobHooks
from app.jobs.models import JobStatus, SolveJob
from app.jobs.service import claim, store_job_result
from app.jobs.worker import JobSpec, solve_job
from solver import domain as d
from solver.io.load import scenario_from_dict
from solver.io.roster import roster_to_dict
from solver.solve.options import Progress


def run_inline(
    factory: SessionFactory,
    job_id: int,
    workers: int,
    hooks: JobHooks = NO_HOOKS,
    on_progress: Callable[[Progress], None] | None = None,
    on_start: Callable[[d.Scenario, float], None] | None = None,
) -> d.Roster | None:
    """Run a queued job in this process and store its result; the roster, or None when the job
    was no longer queued or the solver failed (the job and `hooks` are told). `on_start` hears
    the scenario and time limit before the solve."""
    with transaction(factory) as session:
        claimed = claim(session, job_id)
        replan = hooks.replan_of(session, job_id)
    if claimed is None:
        return None
    document, time_limit = claimed
    scenario = scenario_from_dict(document)
    if on_start is not None:
        on_start(scenario, time_limit)
    try:
        roster = solve_job(scenario, JobSpec(time_limit, workers, replan), on_progress)
    except Exception as exc:
        with transaction(factory) as session:
            job = session.get(SolveJob, job_id)
            if job is not None:
                job.status = JobStatus.FAILED
                job.message = f"the solver failed: {exc}"
                job.finished_at = utcnow()
            hooks.failed(session, job_id, f"the solver failed: {exc}")
        return None
    with transaction(factory) as session:
        store_job_result(session, job_id, roster_to_dict(roster))
        hooks.stored(session, job_id)
    return roster
