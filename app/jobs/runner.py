"""The job runner: a bounded number of jobs at once, each in a spawned process, for every kind of
job (`app.jobs.kinds`: roster jobs, tour plans).

A supervisor thread per running job starts the worker process, reads its progress from a queue and
writes it to the job row (at most once per `progress_interval`), watches the job's
`cancel_requested` flag and its deadline, and stores the result in one transaction when the job
ends. The same supervision (`Supervision`) runs a job inside a `roster worker` (the procrastinate
engine, `app.jobs.queue`).

Jobs are leased (`app.jobs.leases`): the runner holds the jobs it has queued or running under its
own owner id and renews their leases from a heartbeat thread, which also declares interrupted the
jobs whose lease ran out (their process died), of every kind. At start-up `recover()` does that
sweep once: a second service on the same database never touches the first one's live jobs. A
result is only ever written whole, at the end, and only by the process that still holds the job.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update

from app.core.clock import utcnow
from app.core.config import Settings
from app.core.db import SessionFactory, transaction
from app.jobs import leases
from app.jobs.hooks import NO_HOOKS, JobHooks
from app.jobs.kinds import ROSTER, JobKind, RosterJobs, Work
from app.jobs.models import ACTIVE_JOB_STATUSES, JobStatus

log = logging.getLogger(__name__)

INTERRUPTED_MESSAGE = "the service stopped while this job was queued or running; submit it again"
STOPPED_MESSAGE = "the worker stopped before this job ended; submit it again"

# What a job's process runs, imported once by the fork server (`start_method = "forkserver"`).
PRELOAD = ("app.jobs.worker", "app.tours.worker")


def process_context(start_method: str) -> Any:
    """Where a job's process comes from. `forkserver`: one server process, started with the first
    job and holding the solver and OR-Tools imported, forks each job's process (it ends with the
    process that started it); `spawn`: a fresh interpreter per job, importing everything again."""
    context = multiprocessing.get_context(start_method)
    if start_method == "forkserver":
        context.set_forkserver_preload(list(PRELOAD))
    return context


def kinds_of(settings: Settings, hooks: JobHooks, extra: Sequence[JobKind]) -> dict[str, JobKind]:
    """The kinds a process runs by name: roster jobs (with `hooks`), then `extra` (tour plans)."""
    kinds: dict[str, JobKind] = {ROSTER: RosterJobs(hooks, settings.solver.workers)}
    kinds.update((k.name, k) for k in extra)
    return kinds


@dataclass
class Supervision:
    """One job's work in a spawned process, watched from the calling thread (`run`).

    `owner` holds the job; with `lease_seconds` its lease is set on the claim (the caller's
    heartbeat renews it), without, the job engine watches the worker itself. `closing()` true
    when the process ends on purpose (then the job is left to the shutdown's own bookkeeping).
    `kind` is what the job is (default: a roster job with `hooks`).
    """

    factory: SessionFactory
    settings: Settings
    hooks: JobHooks
    job_id: int
    owner: str
    lease_seconds: float | None
    stop: Any = None  # a multiprocessing Event of the job's process context (set on stop)
    closing: Callable[[], bool] = lambda: False
    draining: Callable[[], bool] = lambda: False  # a worker stopping: end the solve, keep its best
    kind: JobKind | None = None
    process: Any = None  # multiprocessing Process, once started
    work: Work | None = None  # once claimed
    last_write: float = 0.0
    progress: dict[str, Any] = field(default_factory=dict)
    started: float = 0.0

    def __post_init__(self) -> None:
        if self.kind is None:
            self.kind = RosterJobs(self.hooks, self.settings.solver.workers)
        self.context = process_context(self.settings.jobs.start_method)
        if self.stop is None:
            self.stop = self.context.Event()

    @property
    def job_kind(self) -> JobKind:
        assert self.kind is not None
        return self.kind

    def run(self) -> None:
        """Claim, run, store; a failure of the supervision itself fails the job."""
        try:
            self._run()
        except Exception as exc:
            log.exception("%s job %s failed in its supervisor", self.job_kind.name, self.job_id)
            self.finish(JobStatus.FAILED, f"internal error: {type(exc).__name__}: {exc}")

    def _run(self) -> None:
        kind = self.job_kind
        with transaction(self.factory) as session:
            work = kind.claim(session, self.job_id, self.owner, self.lease_seconds)
        if work is None:
            return
        self.work = work
        time_limit = work.time_limit
        events = self.context.Queue()
        self.process = self.context.Process(
            target=work.target,
            args=(*work.args, events, self.stop, os.getpid()),
            name=f"{kind.name}-job-{self.job_id}",
        )
        self.process.daemon = True
        self.process.start()
        self.started = started = time.monotonic()
        grace = self.settings.jobs.grace_seconds
        interval = self.settings.jobs.progress_interval
        next_flag_check = 0.0
        try:
            while True:
                try:
                    what, payload = events.get(timeout=0.2)
                except queue.Empty:
                    what, payload = None, None
                now = time.monotonic()
                if what == "progress":
                    self.progress = payload
                    if now - self.last_write >= interval:
                        self._write_progress(now)
                elif what == "result":
                    self._write_progress(now)
                    self._store_result(payload)
                    return
                elif what == "error":
                    self.finish(JobStatus.FAILED, f"{kind.program} failed: {payload}")
                    return
                if now >= next_flag_check:
                    next_flag_check = now + 0.5
                    if self.progress and now - self.last_write >= interval:
                        self._write_progress(now)
                    if work.stoppable and (self._cancel_requested() or self.draining()):
                        self.stop.set()
                    elif not work.stoppable and self._cancel_requested():
                        self.process.kill()
                        self.finish(JobStatus.CANCELLED, f"cancelled while running: no {kind.result} stored")
                        return
                    elif not work.stoppable and self.draining():
                        self.process.kill()
                        self.finish(JobStatus.INTERRUPTED, STOPPED_MESSAGE)
                        return
                if now - started > time_limit + grace:
                    if not work.stoppable:
                        self.process.kill()
                        self.finish(
                            JobStatus.FAILED,
                            f"stopped after {time_limit + grace:g} s without a {kind.result}",
                        )
                        return
                    self.stop.set()
                if now - started > time_limit + 2 * grace and self.process.is_alive():
                    self.process.kill()
                if not self.process.is_alive() and events.empty():
                    self.process.join()
                    if self.closing():
                        return  # shutdown: the job is marked interrupted there
                    code = self.process.exitcode
                    ended = f"the worker process ended without a {kind.result} (exit code {code})"
                    self.finish(JobStatus.FAILED, ended)
                    return
        finally:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
            events.close()

    def _cancel_requested(self) -> bool:
        with self.factory() as session:
            return self.job_kind.cancel_requested(session, self.job_id)

    def _write_progress(self, now: float) -> None:
        if not self.progress:
            return
        self.last_write = now
        with transaction(self.factory) as session:
            self.job_kind.write_progress(session, self.job_id, self.progress, now - self.started)

    def _store_result(self, document: dict[str, Any]) -> None:
        kind = self.job_kind
        with transaction(self.factory) as session:
            if not leases.holds(session, self.job_id, self.owner, kind.model):
                log.warning(
                    "%s job %s was taken from %s before it ended; result dropped",
                    kind.name,
                    self.job_id,
                    self.owner,
                )
                return
            kind.store(session, self.job_id, document, self.draining())

    def finish(self, status: JobStatus, message: str) -> None:
        model = self.job_kind.model
        with transaction(self.factory) as session:
            changed = session.execute(
                update(model)
                .where(model.id == self.job_id, model.status.in_([s.value for s in ACTIVE_JOB_STATUSES]))
                .values(status=status, message=message, finished_at=utcnow(), lease_until=None)
            )
            if getattr(changed, "rowcount", 0):
                self.job_kind.hooks.failed(session, self.job_id, message)


@dataclass
class _Running:
    supervision: Supervision
    thread: threading.Thread


class JobRunner:
    """The inline job engine: every kind of job (roster jobs with `hooks`, and `kinds`: tour plans)
    in this process's worker processes, at most `jobs.max_concurrent` of them at once."""

    def __init__(
        self,
        session_factory: SessionFactory,
        settings: Settings,
        hooks: JobHooks = NO_HOOKS,
        kinds: Sequence[JobKind] = (),
    ) -> None:
        self._factory = session_factory
        self._settings = settings
        self._kinds = kinds_of(settings, hooks, kinds)
        self.owner = leases.new_owner("service")
        self._lock = threading.Lock()
        self._pending: deque[tuple[str, int]] = deque()
        self._running: dict[tuple[str, int], _Running] = {}
        self._closed = False
        self._heartbeat = leases.Heartbeat(
            session_factory,
            self.owner,
            settings.jobs.lease_seconds,
            self._sweep,
            tuple(k.model for k in self._kinds.values()),
        )

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> JobRunner:
        """Recover, then keep this runner's leases alive (and sweep expired ones) until shutdown."""
        self.recover()
        self._heartbeat.start()
        return self

    def recover(self) -> int:
        """Mark interrupted the jobs (of every kind) whose lease ran out (their process is gone);
        returns how many. Jobs another live process holds are left alone."""
        with transaction(self._factory) as session:
            return len(self._sweep(session))

    def _sweep(self, session: Any) -> list[int]:
        return [
            job_id
            for kind in self._kinds.values()
            for job_id in leases.interrupt_expired(session, kind.hooks, kind.model)
        ]

    def shutdown(self, wait: float = 5.0) -> None:
        """Stop every job; this runner's jobs still unfinished are marked interrupted."""
        with self._lock:
            self._closed = True
            self._pending.clear()
            running = list(self._running.values())
        self._heartbeat.stop()
        for r in running:
            r.supervision.stop.set()
            work, process = r.supervision.work, r.supervision.process
            if work is not None and not work.stoppable and process is not None and process.is_alive():
                process.kill()  # nothing to keep: it stops at once
        deadline = time.monotonic() + wait
        for r in running:
            r.thread.join(max(0.0, deadline - time.monotonic()))
        for r in running:
            process = r.supervision.process
            if process is not None and process.is_alive():
                process.kill()
        with transaction(self._factory) as session:
            for kind in self._kinds.values():
                leases.interrupt_own(session, self.owner, INTERRUPTED_MESSAGE, kind.hooks, kind.model)

    # ------------------------------------------------------------------ queue

    def submit(self, job_id: int, kind: str = ROSTER) -> None:
        """Take a committed queued job of `kind` (its lease) and run it as soon as fewer than
        `max_concurrent` jobs run."""
        with self._lock:
            if self._closed:
                return
        with transaction(self._factory) as session:
            if not leases.take(
                session, job_id, self.owner, self._settings.jobs.lease_seconds, self._kinds[kind].model
            ):
                return
        with self._lock:
            self._pending.append((kind, job_id))
        self._start_more()

    def active(self, kind: str = ROSTER) -> list[int]:
        with self._lock:
            return sorted(job_id for k, job_id in self._running if k == kind)

    def _start_more(self) -> None:
        with self._lock:
            while (
                not self._closed and self._pending and len(self._running) < self._settings.jobs.max_concurrent
            ):
                kind, job_id = self._pending.popleft()
                supervision = Supervision(
                    self._factory,
                    self._settings,
                    self._kinds[kind].hooks,
                    job_id,
                    self.owner,
                    self._settings.jobs.lease_seconds,
                    closing=lambda: self._closed,
                    kind=self._kinds[kind],
                )
                thread = threading.Thread(
                    target=self._supervise, args=(supervision,), name=f"{kind}-job-{job_id}", daemon=True
                )
                self._running[(kind, job_id)] = _Running(supervision, thread)
                thread.start()

    def _supervise(self, supervision: Supervision) -> None:
        try:
            supervision.run()
        finally:
            with self._lock:
                self._running.pop((supervision.job_kind.name, supervision.job_id), None)
            self._start_more()
