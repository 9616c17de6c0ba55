"""The job runner: a bounded number of solves at once, each in a spawned process.

A supervisor thread per running job starts the worker process, reads its progress from a queue and
writes it to the job row (at most once per `progress_interval`), watches the job's
`cancel_requested` flag and its deadline, and stores the roster in one transaction when the solve
ends. The same supervision (`supervise`) runs a job inside a `roster worker` (the procrastinate
engine, `app.jobs.queue`).

Jobs are leased (`app.jobs.leases`): the runner holds the jobs it has queued or running under its
own owner id and renews their leases from a heartbeat thread, which also declares interrupted the
jobs whose lease ran out (their process died). At start-up `recover()` does that sweep once: a
second service on the same database never touches the first one's live jobs. A roster is only
ever written whole, at the end, and only by the process that still holds the job.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from app.core.clock import utcnow
from app.core.config import Settings
from app.core.db import SessionFactory, transaction
from app.jobs import fanout, leases
from app.jobs.hooks import NO_HOOKS, JobHooks
from app.jobs.models import ACTIVE_JOB_STATUSES, JobStatus, SolveJob
from app.jobs.service import claim, store_job_result
from app.jobs.worker import JobSpec, solve_in_process

log = logging.getLogger(__name__)

INTERRUPTED_MESSAGE = "the service stopped while this job was queued or running; submit it again"

SPAWN = multiprocessing.get_context("spawn")


@dataclass
class Supervision:
    """One job's solve in a spawned process, watched from the calling thread (`run`).

    `owner` holds the job; with `lease_seconds` its lease is set on the claim (the caller's
    heartbeat renews it), without, the job engine watches the worker itself. `closing()` true
    when the process ends on purpose (then the job is left to the shutdown's own bookkeeping).
    """

    factory: SessionFactory
    settings: Settings
    hooks: JobHooks
    job_id: int
    owner: str
    lease_seconds: float | None
    stop: Any = field(default_factory=SPAWN.Event)  # multiprocessing Event
    closing: Callable[[], bool] = lambda: False
    draining: Callable[[], bool] = lambda: False  # a worker stopping: end the solve, keep its best
    process: Any = None  # multiprocessing Process, once started
    last_write: float = 0.0
    progress: dict[str, Any] = field(default_factory=dict)

    def run(self) -> None:
        """Claim, solve, store; a failure of the supervision itself fails the job."""
        try:
            self._run()
        except Exception as exc:
            log.exception("job %s failed in its supervisor", self.job_id)
            self.finish(JobStatus.FAILED, f"internal error: {type(exc).__name__}: {exc}")

    def _claim(self) -> tuple[dict[str, Any], JobSpec] | None:
        """The job's scenario and what it is solved with (for a change's re-plan, its `Replan`)."""
        with transaction(self.factory) as session:
            claimed = claim(session, self.job_id, self.owner, self.lease_seconds)
            if claimed is None:
                return None
            document, time_limit = claimed
            replan = self.hooks.replan_of(session, self.job_id)
            return document, JobSpec(time_limit, self.settings.solver.workers, replan)

    def _run(self) -> None:
        claimed = self._claim()
        if claimed is None:
            return
        document, spec = claimed
        time_limit = spec.time_limit
        events = SPAWN.Queue()
        self.process = SPAWN.Process(
            target=solve_in_process,
            args=(document, spec, events, self.stop, os.getpid()),
            name=f"solve-job-{self.job_id}",
        )
        self.process.daemon = True
        self.process.start()
        started = time.monotonic()
        grace = self.settings.jobs.grace_seconds
        interval = self.settings.jobs.progress_interval
        next_flag_check = 0.0
        try:
            while True:
                try:
                    kind, payload = events.get(timeout=0.2)
                except queue.Empty:
                    kind, payload = None, None
                now = time.monotonic()
                if kind == "progress":
                    self.progress = payload
                    if now - self.last_write >= interval:
                        self._write_progress(now)
                elif kind == "result":
                    self._write_progress(now)
                    self._store_result(payload)
                    return
                elif kind == "error":
                    self.finish(JobStatus.FAILED, f"the solver failed: {payload}")
                    return
                if now >= next_flag_check:
                    next_flag_check = now + 0.5
                    if self.progress and now - self.last_write >= interval:
                        self._write_progress(now)
                    if self._cancel_requested() or self.draining():
                        self.stop.set()
                if now - started > time_limit + grace:
                    self.stop.set()
                if now - started > time_limit + 2 * grace and self.process.is_alive():
                    self.process.kill()
                if not self.process.is_alive() and events.empty():
                    self.process.join()
                    if self.closing():
                        return  # shutdown: the job is marked interrupted there
                    self.finish(
                        JobStatus.FAILED,
                        f"the worker process ended without a result (exit code {self.process.exitcode})",
                    )
                    return
        finally:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
            events.close()

    def _cancel_requested(self) -> bool:
        """The job's flag, or its parent's for a part of a fanned-out job."""
        with self.factory() as session:
            parent = select(SolveJob.parent_id).where(SolveJob.id == self.job_id).scalar_subquery()
            flags = session.scalars(
                select(SolveJob.cancel_requested).where(
                    (SolveJob.id == self.job_id) | (SolveJob.id == parent)
                )
            )
            return any(flags)

    def _write_progress(self, now: float) -> None:
        if not self.progress:
            return
        self.last_write = now
        with transaction(self.factory) as session:
            session.execute(
                update(SolveJob)
                .where(SolveJob.id == self.job_id, SolveJob.status == JobStatus.RUNNING)
                .values(
                    elapsed=float(self.progress.get("elapsed") or 0.0),
                    objective=self.progress.get("objective"),
                    bound=self.progress.get("bound"),
                    phase=str(self.progress.get("phase") or "")[:64],
                )
            )

    def _store_result(self, roster_document: dict[str, Any]) -> None:
        with transaction(self.factory) as session:
            if not leases.holds(session, self.job_id, self.owner):
                log.warning(
                    "job %s was taken from %s before it ended; result dropped", self.job_id, self.owner
                )
                return
            job = session.get(SolveJob, self.job_id)
            if job is not None and job.parent_id is not None:
                fanout.store_part(session, job, roster_document)
                self.hooks.stored(session, self.job_id)
                return
            store_job_result(session, self.job_id, roster_document)
            if self.draining():
                job = session.get(SolveJob, self.job_id)
                if job is not None:
                    job.message = (job.message + "; the worker was stopping: the best roster found by then")[
                        :2000
                    ]
            self.hooks.stored(session, self.job_id)

    def finish(self, status: JobStatus, message: str) -> None:
        with transaction(self.factory) as session:
            changed = session.execute(
                update(SolveJob)
                .where(
                    SolveJob.id == self.job_id, SolveJob.status.in_([s.value for s in ACTIVE_JOB_STATUSES])
                )
                .values(status=status, message=message, finished_at=utcnow(), lease_until=None)
            )
            if getattr(changed, "rowcount", 0):
                self.hooks.failed(session, self.job_id, message)


@dataclass
class _Running:
    supervision: Supervision
    thread: threading.Thread


class JobRunner:
    def __init__(
        self, session_factory: SessionFactory, settings: Settings, hooks: JobHooks = NO_HOOKS
    ) -> None:
        self._factory = session_factory
        self._settings = settings
        self._hooks = hooks
        self.owner = leases.new_owner("service")
        self._lock = threading.Lock()
        self._pending: deque[int] = deque()
        self._running: dict[int, _Running] = {}
        self._closed = False
        self._heartbeat = leases.Heartbeat(
            session_factory, self.owner, settings.jobs.lease_seconds, self._sweep
        )

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> JobRunner:
        """Recover, then keep this runner's leases alive (and sweep expired ones) until shutdown."""
        self.recover()
        self._heartbeat.start()
        return self

    def recover(self) -> int:
        """Mark interrupted the jobs whose lease ran out (their process is gone); returns how many.
        Jobs another live process holds are left alone."""
        with transaction(self._factory) as session:
            return len(self._sweep(session))

    def _sweep(self, session: Any) -> list[int]:
        return leases.interrupt_expired(session, self._hooks)

    def shutdown(self, wait: float = 5.0) -> None:
        """Stop every solve; this runner's jobs still unfinished are marked interrupted."""
        with self._lock:
            self._closed = True
            self._pending.clear()
            running = list(self._running.values())
        self._heartbeat.stop()
        for r in running:
            r.supervision.stop.set()
        deadline = time.monotonic() + wait
        for r in running:
            r.thread.join(max(0.0, deadline - time.monotonic()))
        for r in running:
            process = r.supervision.process
            if process is not None and process.is_alive():
                process.kill()
        with transaction(self._factory) as session:
            leases.interrupt_own(session, self.owner, INTERRUPTED_MESSAGE, self._hooks)

    # ------------------------------------------------------------------ queue

    def submit(self, job_id: int) -> None:
        """Take a committed queued job (its lease) and run it as soon as fewer than
        `max_concurrent` jobs run."""
        with self._lock:
            if self._closed:
                return
        with transaction(self._factory) as session:
            if not leases.take(session, job_id, self.owner, self._settings.jobs.lease_seconds):
                return
        with self._lock:
            self._pending.append(job_id)
        self._start_more()

    def active(self) -> list[int]:
        with self._lock:
            return sorted(self._running)

    def _start_more(self) -> None:
        with self._lock:
            while (
                not self._closed and self._pending and len(self._running) < self._settings.jobs.max_concurrent
            ):
                job_id = self._pending.popleft()
                supervision = Supervision(
                    self._factory,
                    self._settings,
                    self._hooks,
                    job_id,
                    self.owner,
                    self._settings.jobs.lease_seconds,
                    closing=lambda: self._closed,
                )
                thread = threading.Thread(
                    target=self._supervise, args=(supervision,), name=f"job-{job_id}", daemon=True
                )
                self._running[job_id] = _Running(supervision, thread)
                thread.start()

    def _supervise(self, supervision: Supervision) -> None:
        try:
            supervision.run()
        finally:
            with self._lock:
                self._running.pop(supervision.job_id, None)
            self._start_more()
