"""The procrastinate engine (`ROSTER_JOBS__ENGINE=procrastinate`, PostgreSQL only): jobs as
procrastinate tasks in the database, run by `roster worker` processes on any machine that reaches
it; API replicas only enqueue (`ProcrastinateEngine.submit`) and read the job rows. Roster jobs
are the task `roster.solve` (`job_id`); other kinds of job (`app.jobs.kinds`: tour plans) the
task `roster.run` (`kind`, `job_id`), supervised, leased and recovered the same way.

- A task (`roster.solve`, argument `job_id`) runs the same `Supervision` as the embedded runner:
  the solve in a spawned process that dies with the worker, progress written to the job row
  (so SSE and polling work from any replica), the row's `cancel_requested` polled (CP-SAT's
  stop_search, the best roster kept), the roster stored whole at the end.
- Workers send procrastinate heartbeats; `recover_stalled` (run by every worker every
  `worker_heartbeat` seconds) finds the jobs of workers silent for `worker_stalled_after`
  seconds and, as `worker_lost` says, puts them back in the queue (at most `max_attempts` runs
  in all) or marks them interrupted. A killed worker's job is therefore retried or interrupted
  within about `worker_stalled_after + worker_heartbeat` seconds, and never leaves half a roster.
- A job row queued but never deferred (the API died between its commit and the defer) keeps its
  short queued lease (`app.jobs.leases`); the workers' sweep marks it interrupted when it runs out.

Unit tests run the same tasks on procrastinate's `InMemoryConnector`.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

import procrastinate
from procrastinate import JobContext
from procrastinate.jobs import Job, Status
from procrastinate.worker import WORKER_NAME, Worker
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from app.core.config import Settings
from app.core.db import SessionFactory, transaction
from app.jobs import fanout, leases
from app.jobs.hooks import NO_HOOKS, JobHooks
from app.jobs.kinds import ROSTER, JobKind
from app.jobs.models import JobStatus, SolveJob
from app.jobs.runner import Supervision, kinds_of
from app.jobs.service import active_counts

log = logging.getLogger(__name__)

QUEUE = "rosters"
SOLVE_TASK = "roster.solve"
RUN_TASK = "roster.run"
CONTEXT_KEY = "roster"

LOST_MESSAGE = "the worker running this job was lost (no heartbeat for {seconds:g} s)"


@dataclass(frozen=True)
class WorkerState:
    """What a worker's tasks need besides their arguments (procrastinate's additional context).
    `stopping` is set on SIGTERM / Ctrl-C: running solves end with their best roster."""

    factory: SessionFactory
    settings: Settings
    hooks: JobHooks = NO_HOOKS
    owner: str = ""
    stopping: threading.Event = field(default_factory=threading.Event)
    running: set[tuple[str, int]] = field(default_factory=set)  # (kind, job id) this worker runs now
    extra_kinds: tuple[JobKind, ...] = ()  # besides roster jobs (tour plans)

    def kinds(self) -> dict[str, JobKind]:
        return kinds_of(self.settings, self.hooks, self.extra_kinds)


def conninfo(database_url: str) -> str:
    """The libpq connection string of a `postgresql+psycopg://` SQLAlchemy URL."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError("the procrastinate job engine needs a PostgreSQL database (ROSTER_DATABASE_URL)")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def make_app(connector: procrastinate.BaseConnector) -> procrastinate.App:
    """A procrastinate app on `connector` with the roster tasks registered."""
    app = procrastinate.App(connector=connector)
    app.task(name=SOLVE_TASK, queue=QUEUE, pass_context=True)(solve_task)
    app.task(name=RUN_TASK, queue=QUEUE, pass_context=True)(run_task)
    return app


def api_app(settings: Settings) -> procrastinate.App:
    """The API replicas' app: synchronous, it only defers."""
    return make_app(procrastinate.SyncPsycopgConnector(conninfo=conninfo(settings.database_url)))


def worker_app(settings: Settings) -> procrastinate.App:
    return make_app(procrastinate.PsycopgConnector(conninfo=conninfo(settings.database_url)))


def apply_schema(database_url: str) -> bool:
    """Create procrastinate's tables and functions with its own schema, unless they exist;
    True when it created them. (`roster db upgrade` calls this for the procrastinate engine.)"""
    app = make_app(procrastinate.SyncPsycopgConnector(conninfo=conninfo(database_url)))
    with app.open():
        connector = app.connector.get_sync_connector()
        row = connector.execute_query_one("SELECT to_regclass('procrastinate_jobs') IS NOT NULL AS present")
        if row["present"]:
            return False
        app.schema_manager.apply_schema()
    return True


# ---------------------------------------------------------------------- the API side


class ProcrastinateEngine:
    """The job engine of an API replica: `submit` defers the job's task; nothing runs here."""

    def __init__(
        self,
        factory: SessionFactory,
        settings: Settings,
        app: procrastinate.App,
        kinds: Sequence[JobKind] = (),
    ) -> None:
        self._factory = factory
        self._settings = settings
        self._kinds = kinds_of(settings, NO_HOOKS, kinds)
        self.app = app

    def start(self) -> ProcrastinateEngine:
        self.app.open()
        return self

    def submit(self, job_id: int, kind: str = ROSTER) -> None:
        defer(self.app, self._factory, job_id, self._kinds[kind])

    def shutdown(self) -> None:
        self.app.close()


def defer(app: procrastinate.App, factory: SessionFactory, job_id: int, kind: JobKind | None = None) -> int:
    """Put a committed queued job (a roster job unless `kind` says otherwise) in the queue; from
    then the queue holds it (no lease)."""
    model = SolveJob if kind is None else kind.model
    if kind is None or kind.name == ROSTER:
        queued = app.configure_task(SOLVE_TASK, queue=QUEUE).defer(job_id=job_id)
    else:
        queued = app.configure_task(RUN_TASK, queue=QUEUE).defer(kind=kind.name, job_id=job_id)
    with transaction(factory) as session:
        session.execute(
            update(model)
            .where(model.id == job_id, model.status == JobStatus.QUEUED)
            .values(owner=leases.QUEUE_OWNER, lease_until=None)
        )
    return queued


# ---------------------------------------------------------------------- the worker side


def solve_task(context: JobContext, job_id: int) -> None:
    """Run one roster job (a thread of the worker; the solve in its own process), or split it
    into its parts, each deferred as a job of its own (`app.jobs.fanout`)."""
    state: WorkerState = context.additional_context[CONTEXT_KEY]
    if state.settings.jobs.fan_out and _split(context.app, state, job_id):
        return
    worker = context.job.worker_id if context.job.worker_id is not None else "?"
    _supervise(state, job_id, worker)


def run_task(context: JobContext, kind: str, job_id: int) -> None:
    """Run one job of another kind (a tour plan), supervised as a roster job is."""
    state: WorkerState = context.additional_context[CONTEXT_KEY]
    worker = context.job.worker_id if context.job.worker_id is not None else "?"
    _supervise(state, job_id, worker, state.kinds()[kind])


def _supervise(state: WorkerState, job_id: int, worker: object, kind: JobKind | None = None) -> None:
    running = (ROSTER if kind is None else kind.name, job_id)
    state.running.add(running)
    try:
        Supervision(
            state.factory,
            state.settings,
            state.hooks,
            job_id,
            owner=f"{state.owner}:w{worker}"[:128],
            lease_seconds=None,  # procrastinate's worker heartbeat is the lease
            closing=state.stopping.is_set,
            draining=state.stopping.is_set,
            kind=kind,
        ).run()
    finally:
        state.running.discard(running)


def _split(app: procrastinate.App, state: WorkerState, job_id: int) -> bool:
    """Fan a queued roster job out into its parts; False when it is solved in one piece."""
    with transaction(state.factory) as session:
        job = session.get(SolveJob, job_id, with_for_update=True)
        if job is None or job.status != JobStatus.QUEUED or job.parent_id is not None:
            return False
        if state.hooks.replan_of(session, job_id) is not None:  # a change's re-plan: one piece
            return False
        if session.scalar(select(SolveJob.id).where(SolveJob.parent_id == job_id).limit(1)) is not None:
            return True  # split before, by a worker since lost: its parts are on their way
        parts = fanout.split(session, job, state.settings.jobs.fan_out_min_parts)
        if not parts:
            return False
        job.owner = state.owner
    for part in parts:
        defer(app, state.factory, part)
    return True


def requeue(session: Any, job_id: int, message: str, model: leases.Model = SolveJob) -> bool:
    """A running job whose worker was lost, back to queued (the queue holds it again)."""
    result = session.execute(
        update(model)
        .where(model.id == job_id, model.status == JobStatus.RUNNING)
        .values(
            status=JobStatus.QUEUED,
            owner=leases.QUEUE_OWNER,
            lease_until=None,
            started_at=None,
            phase="",
            message=message + "; queued again",
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def recover_stalled(app: procrastinate.App, state: WorkerState) -> list[tuple[int, str]]:
    """Retry or interrupt the jobs of stalled workers (see the module's docstring), and sweep
    job rows whose queued lease ran out; returns (job id, what was done)."""
    jobs = state.settings.jobs
    message = LOST_MESSAGE.format(seconds=jobs.worker_stalled_after)
    done: list[tuple[int, str]] = []
    kinds = state.kinds()
    stalled = await app.job_manager.get_stalled_jobs(
        queue=QUEUE, seconds_since_heartbeat=jobs.worker_stalled_after
    )
    for job in stalled:
        job_id = job.task_kwargs.get("job_id")
        kind = kinds.get(str(job.task_kwargs.get("kind", ROSTER)))
        if not isinstance(job_id, int) or kind is None:
            continue
        try:
            done.append((job_id, await _recover_one(app, state, job, job_id, message, kind)))
        except Exception:  # another worker recovered it first, or the database blinked
            log.exception("recovering stalled job %s (procrastinate %s) failed", job_id, job.id)
    with transaction(state.factory) as session:
        for kind in kinds.values():
            done += [(i, "interrupted") for i in leases.interrupt_expired(session, kind.hooks, kind.model)]
    return done


async def _recover_one(
    app: procrastinate.App, state: WorkerState, job: Job, job_id: int, message: str, kind: JobKind
) -> str:
    jobs = state.settings.jobs
    if jobs.worker_lost == "retry" and job.attempts + 1 < jobs.max_attempts:
        with transaction(state.factory) as session:
            requeue(session, job_id, message, kind.model)
        await app.job_manager.retry_job(job)
        return "retried"
    with transaction(state.factory) as session:
        leases.interrupt(
            session,
            kind.model.id == job_id,
            f"{message}; not retried ({jobs.worker_lost})",
            kind.hooks,
            kind.model,
        )
    await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
    return "interrupted"


async def worker_health(app: procrastinate.App, state: WorkerState, worker: Worker) -> dict[str, Any]:
    """A worker's health: registered, heartbeat recent, database reachable; the jobs it runs now
    by kind (`running`: {"roster": [ids], "tour": [ids]}; `running_jobs`: its roster jobs, parts
    included), and the queue as `GET /jobs/queue` counts it (`queue`: queued and running jobs of
    every kind, on every worker)."""
    kinds = state.kinds()
    mine = sorted(state.running)
    out: dict[str, Any] = {
        "owner": state.owner,
        "name": worker.worker_name,
        "worker_id": worker.worker_id,
        "running": {name: [job_id for k, job_id in mine if k == name] for name in kinds},
        "running_jobs": [job_id for k, job_id in mine if k == ROSTER],
        "stopping": state.stopping.is_set(),
    }
    try:
        row = await app.connector.execute_query_one_async(
            "SELECT EXTRACT(EPOCH FROM now() - last_heartbeat) AS quiet FROM procrastinate_workers "
            "WHERE id = %(id)s",
            id=worker.worker_id,
        )
        quiet = None if row is None or row["quiet"] is None else round(float(row["quiet"]), 3)
        out["queue"] = await asyncio.to_thread(_queue_counts, state.factory, kinds)
        out["database"] = "ok"
    except Exception as exc:
        quiet, out["database"] = None, f"error: {type(exc).__name__}"
    out["seconds_since_heartbeat"] = quiet
    healthy = quiet is not None and quiet < state.settings.jobs.worker_stalled_after and not out["stopping"]
    out["status"] = "ok" if healthy else "unhealthy"
    return out


def _queue_counts(factory: SessionFactory, kinds: dict[str, JobKind]) -> dict[str, dict[str, int]]:
    with factory() as session:
        return {name: active_counts(session, kind.model) for name, kind in kinds.items()}


async def run_worker(
    app: procrastinate.App,
    state: WorkerState,
    *,
    name: str | None = None,
    wait: bool = True,
    beside: Callable[[Worker], Coroutine[Any, Any, None]] | None = None,
) -> None:
    """A worker: procrastinate's (with heartbeats, `max_concurrent` jobs at once) and, beside it,
    the recovery of stalled jobs every `worker_heartbeat` seconds. SIGTERM / SIGINT stop it: the
    recovery first (procrastinate stops heartbeating while it waits for running jobs, and this
    worker must not take its own jobs for lost), then the solves, which store their best roster.
    `wait=False` (tests): run what is queued, then return. `beside(worker)` runs along (the
    health endpoint of `roster worker --health-port`)."""
    jobs = state.settings.jobs
    worker = Worker(
        app,
        queues=[QUEUE],
        name=name or WORKER_NAME,
        concurrency=jobs.max_concurrent,
        wait=wait,
        additional_context={CONTEXT_KEY: state},
        update_heartbeat_interval=jobs.worker_heartbeat,
        stalled_worker_timeout=jobs.worker_stalled_after,
        install_signal_handlers=False,
    )

    async def recovery() -> None:
        while not state.stopping.is_set():
            try:
                for job_id, what in await recover_stalled(app, state):
                    log.warning("job %s of a lost worker: %s", job_id, what)
            except Exception:
                log.exception("the stalled-job recovery failed; next try in %s s", jobs.worker_heartbeat)
            await asyncio.sleep(jobs.worker_heartbeat)

    recovering = asyncio.create_task(recovery(), name="recover-stalled") if wait else None
    along = asyncio.create_task(beside(worker), name="beside-worker") if beside is not None else None

    def stop() -> None:
        log.info("stopping: running solves end with their best roster")
        state.stopping.set()
        if recovering is not None:
            recovering.cancel()
        worker.stop()

    loop = asyncio.get_running_loop()
    handled = []
    if wait:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop)
            handled.append(signum)
    try:
        await worker.run()
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
        for task in (recovering, along):
            if task is not None:
                task.cancel()
