"""The kinds of job the one job engine runs: roster jobs (`RosterJobs`, here) and tour plans
(`app.tours.jobs.TourJobs`). The runner (`app.jobs.runner`), the leases (`app.jobs.leases`),
the procrastinate queue and `roster worker` (`app.jobs.queue`) know a job only through its kind:

- `model`: its table (a `LeasedJob`: status, cancel flag, progress, owner and lease);
- `claim`: queued → running, held by an owner, and the `Work` its spawned process does;
- `write_progress`, `cancel_requested`, `store` (in the transaction that ends the job, only while
  the process still holds it) and `hooks.failed` (a job ending without a result).

A kind's process target is called as `target(*work.args, events, stop, parent_pid)`: it puts
`("progress", {...})` tuples on `events`, then one `("result", document)` or `("error", text)`;
it polls `stop` if `work.stoppable` (a roster solve: CP-SAT's stop_search, the best roster kept)
or is killed when stopped (a tour plan: a cancelled one stores nothing), and watches its parent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.jobs import fanout
from app.jobs.hooks import NO_HOOKS, JobHooks
from app.jobs.leases import Model
from app.jobs.models import JobStatus, SolveJob
from app.jobs.service import claim, store_job_result
from app.jobs.worker import JobSpec, solve_in_process

ROSTER = "roster"


@dataclass(frozen=True)
class Work:
    """What a claimed job's process runs: `target(*args, events, stop, parent_pid)`. Past
    `time_limit` (plus the grace) a stoppable job is stopped, then killed; another one is killed
    and fails. `stoppable=False`: a stop (cancel, a worker stopping) kills the process."""

    target: Callable[..., None]
    args: tuple[Any, ...]
    time_limit: float
    stoppable: bool = True


class JobKind(Protocol):
    name: str
    """`roster`, `tour`: the kind a job is submitted as, and its procrastinate task's `kind`."""
    model: Model
    hooks: JobHooks
    program: str
    """Who computes the result, in messages: "the solver", "the tour planner"."""
    result: str
    """What the result is called, in messages: "roster", "plan"."""

    def claim(self, session: Session, job_id: int, owner: str, lease_seconds: float | None) -> Work | None:
        """Queued → running, held by `owner` (a lease of `lease_seconds`, or none when the job
        engine watches its workers itself); None when the job is no longer queued."""

    def write_progress(self, session: Session, job_id: int, progress: dict[str, Any], elapsed: float) -> None:
        """The process's last progress on the running job's row (`elapsed`: seconds since it started)."""

    def cancel_requested(self, session: Session, job_id: int) -> bool: ...

    def store(self, session: Session, job_id: int, document: dict[str, Any], draining: bool) -> None:
        """The process's result, stored whole (the caller holds the job, in this transaction)."""


class RosterJobs:
    """Roster jobs (`SolveJob`), a change request's re-plan included (`hooks`: `REPLAN_HOOKS`)."""

    name = ROSTER
    model: Model = SolveJob
    program = "the solver"
    result = "roster"

    def __init__(self, hooks: JobHooks = NO_HOOKS, workers: int = 1) -> None:
        self.hooks = hooks
        self.workers = workers

    def claim(self, session: Session, job_id: int, owner: str, lease_seconds: float | None) -> Work | None:
        claimed = claim(session, job_id, owner, lease_seconds)
        if claimed is None:
            return None
        document, time_limit = claimed
        spec = JobSpec(time_limit, self.workers, self.hooks.replan_of(session, job_id))
        return Work(solve_in_process, (document, spec), time_limit)

    def write_progress(self, session: Session, job_id: int, progress: dict[str, Any], elapsed: float) -> None:
        session.execute(
            update(SolveJob)
            .where(SolveJob.id == job_id, SolveJob.status == JobStatus.RUNNING)
            .values(
                elapsed=float(progress.get("elapsed") or 0.0),
                objective=progress.get("objective"),
                bound=progress.get("bound"),
                phase=str(progress.get("phase") or "")[:64],
            )
        )

    def cancel_requested(self, session: Session, job_id: int) -> bool:
        """The job's flag, or its parent's for a part of a fanned-out job."""
        parent = select(SolveJob.parent_id).where(SolveJob.id == job_id).scalar_subquery()
        flags = session.scalars(
            select(SolveJob.cancel_requested).where((SolveJob.id == job_id) | (SolveJob.id == parent))
        )
        return any(flags)

    def store(self, session: Session, job_id: int, document: dict[str, Any], draining: bool) -> None:
        job = session.get(SolveJob, job_id)
        if job is not None and job.parent_id is not None:
            fanout.store_part(session, job, document)
            self.hooks.stored(session, job_id)
            return
        store_job_result(session, job_id, document)
        if draining:
            job = session.get(SolveJob, job_id)
            if job is not None:
                job.message = (job.message + "; the worker was stopping: the best roster found by then")[
                    :2000
                ]
        self.hooks.stored(session, job_id)
