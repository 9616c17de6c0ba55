"""A job run in the calling process, for the command line (the service runs jobs in worker
processes through `JobRunner`): claim, solve (`solve_job`), store, exactly as the runner does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.core.clock import utcnow
from app.core.db import SessionFactory, transaction
from app.jobs import leases
from app.jobs.hooks import NO_HOOKS, JobHooks
from app.jobs.models import JobStatus, SolveJob
from app.jobs.service import claim, store_job_result
from app.jobs.worker import JobSpec, Replan, solve_job
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
    lease_seconds: float = 30.0,
) -> d.Roster | None:
    """Run a queued job in this process and store its result; the roster, or None when the job
    was no longer queued or the solver failed (the job and `hooks` are told). `on_start` hears
    the scenario and time limit before the solve."""
    owner = leases.new_owner("cli")
    with transaction(factory) as session:
        claimed = claim(session, job_id, owner, lease_seconds)
        replan = hooks.replan_of(session, job_id)
    if claimed is None:
        return None
    heartbeat = leases.Heartbeat(factory, owner, lease_seconds).start()
    try:
        return _solve_and_store(factory, job_id, claimed, replan, workers, hooks, on_progress, on_start)
    finally:
        heartbeat.stop()


def _solve_and_store(
    factory: SessionFactory,
    job_id: int,
    claimed: tuple[dict[str, Any], float],
    replan: Replan | None,
    workers: int,
    hooks: JobHooks,
    on_progress: Callable[[Progress], None] | None,
    on_start: Callable[[d.Scenario, float], None] | None,
) -> d.Roster | None:
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
                job.lease_until = None
            hooks.failed(session, job_id, f"the solver failed: {exc}")
        return None
    with transaction(factory) as session:
        store_job_result(session, job_id, roster_to_dict(roster))
        hooks.stored(session, job_id)
    return roster
