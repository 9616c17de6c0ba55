"""A change's re-plan job run in the calling process, for the command line (the service runs it
in a worker process through `JobRunner`): claim, `solver.repair.replan`, store, as the runner does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.db import SessionFactory, transaction
from app.models import JobStatus, SolveJob
from app.services.auth import utcnow
from app.services.change_jobs import on_job_failed, on_job_stored, replan_options
from app.services.jobs import claim
from app.services.rosters import store_job_result
from solver.scenario import scenario_from_dict


def run_replan_inline(
    factory: SessionFactory,
    job_id: int,
    workers: int,
    on_progress: Callable[[Any], None] | None = None,
) -> None:
    """Run a change's re-plan job in this process and store its result (the CLI has no runner)."""
    from solver.repair import replan
    from solver.roster import roster_to_dict
    from solver.scenario import assignment_from_dict
    from solver.solve import SolveOptions

    with transaction(factory) as session:
        claimed = claim(session, job_id)
        options = replan_options(session, job_id)
    if claimed is None or options is None:
        return
    document, time_limit = claimed
    scenario = scenario_from_dict(document)
    try:
        roster = replan(
            scenario,
            scenario.baseline,
            now=datetime.fromisoformat(options["now"]),
            options=SolveOptions(time_limit=time_limit, workers=workers),
            on_progress=on_progress,
            affected_units=options["affected_units"],
            following=[assignment_from_dict(x) for x in options.get("following", [])],
        )
    except Exception as exc:
        with transaction(factory) as session:
            job = session.get(SolveJob, job_id)
            if job is not None:
                job.status = JobStatus.FAILED
                job.message = f"the solver failed: {exc}"
                job.finished_at = utcnow()
            on_job_failed(session, job_id, f"the solver failed: {exc}")
        return
    with transaction(factory) as session:
        store_job_result(session, job_id, roster_to_dict(roster))
        on_job_stored(session, job_id)
