"""The job runner: a bounded number of solves at once, each in a spawned process.

A supervisor thread per running job starts the worker process, reads its progress from a queue and
writes it to the job row (at most once per `progress_interval`), watches the job's
`cancel_requested` flag and its deadline, and stores the roster in one transaction when the solve
ends. On start-up `recover()` marks jobs a previous run left queued or running as interrupted:
a roster is only ever written whole, at the end, so there is never half of one.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from app.core.clock import utcnow
from app.core.config import Settings
from app.core.db import SessionFactory, transaction
from app.jobs.hooks import NO_HOOKS, JobHooks
from app.jobs.models import ACTIVE_JOB_STATUSES, JobStatus, SolveJob
from app.jobs.service import claim, store_job_result
from app.jobs.worker import JobSpec, solve_in_process

log = logging.getLogger(__name__)

INTERRUPTED_MESSAGE = "the service stopped while this job was queued or running; submit it again"


@dataclass
class _Running:
    job_id: int
    stop: Any  # multiprocessing Event
    thread: threading.Thread
    process: Any = None  # multiprocessing Process, once started
    last_write: float = 0.0
    progress: dict[str, Any] = field(default_factory=dict)


class JobRunner:
    def __init__(
        self, session_factory: SessionFactory, settings: Settings, hooks: JobHooks = NO_HOOKS
    ) -> None:
        self._factory = session_factory
        self._settings = settings
        self._hooks = hooks
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._pending: deque[int] = deque()
        self._running: dict[int, _Running] = {}
        self._closed = False

    # ------------------------------------------------------------------ lifecycle

    def recover(self) -> int:
        """Mark jobs left queued or running by an earlier run as interrupted; returns how many."""
        with transaction(self._factory) as session:
            result = session.execute(
                update(SolveJob)
                .where(SolveJob.status.in_([s.value for s in ACTIVE_JOB_STATUSES]))
                .values(status=JobStatus.INTERRUPTED, finished_at=utcnow(), message=INTERRUPTED_MESSAGE)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def shutdown(self, wait: float = 5.0) -> None:
        """Stop every solve; jobs still unfinished are marked interrupted."""
        with self._lock:
            self._closed = True
            self._pending.clear()
            running = list(self._running.values())
        for r in running:
            r.stop.set()
        deadline = time.monotonic() + wait
        for r in running:
            r.thread.join(max(0.0, deadline - time.monotonic()))
        for r in running:
            if r.process is not None and r.process.is_alive():
                r.process.kill()
        self.recover()

    # ------------------------------------------------------------------ queue

    def submit(self, job_id: int) -> None:
        """Queue a committed job; it starts as soon as fewer than `max_concurrent` jobs run."""
        with self._lock:
            if self._closed:
                return
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
                thread = threading.Thread(
                    target=self._supervise, args=(job_id,), name=f"job-{job_id}", daemon=True
                )
                self._running[job_id] = _Running(job_id, self._ctx.Event(), thread)
                thread.start()

    # ------------------------------------------------------------------ supervision

    def _supervise(self, job_id: int) -> None:
        running = self._running[job_id]
        try:
            self._run(running)
        except Exception as exc:
            log.exception("job %s failed in its supervisor", job_id)
            self._finish(job_id, JobStatus.FAILED, f"internal error: {type(exc).__name__}: {exc}")
        finally:
            with self._lock:
                self._running.pop(job_id, None)
            self._start_more()

    def _claim(self, job_id: int) -> tuple[dict[str, Any], JobSpec] | None:
        """The job's scenario and what it is solved with (for a change's re-plan, its `Replan`)."""
        with transaction(self._factory) as session:
            claimed = claim(session, job_id)
            if claimed is None:
                return None
            document, time_limit = claimed
            replan = self._hooks.replan_of(session, job_id)
            return document, JobSpec(time_limit, self._settings.solver.workers, replan)

    def _run(self, r: _Running) -> None:
        claimed = self._claim(r.job_id)
        if claimed is None:
            return
        document, spec = claimed
        time_limit = spec.time_limit
        events = self._ctx.Queue()
        r.process = self._ctx.Process(
            target=solve_in_process, args=(document, spec, events, r.stop), name=f"solve-job-{r.job_id}"
        )
        r.process.daemon = True
        r.process.start()
        started = time.monotonic()
        grace = self._settings.jobs.grace_seconds
        next_flag_check = 0.0
        try:
            while True:
                try:
                    kind, payload = events.get(timeout=0.2)
                except queue.Empty:
                    kind, payload = None, None
                now = time.monotonic()
                if kind == "progress":
                    r.progress = payload
                    if now - r.last_write >= self._settings.jobs.progress_interval:
                        self._write_progress(r, now)
                elif kind == "result":
                    self._write_progress(r, now)
                    self._store_result(r.job_id, payload)
                    return
                elif kind == "error":
                    self._finish(r.job_id, JobStatus.FAILED, f"the solver failed: {payload}")
                    return
                if now >= next_flag_check:
                    next_flag_check = now + 0.5
                    if r.progress and now - r.last_write >= self._settings.jobs.progress_interval:
                        self._write_progress(r, now)
                    if self._cancel_requested(r.job_id):
                        r.stop.set()
                if now - started > time_limit + grace:
                    r.stop.set()
                if now - started > time_limit + 2 * grace and r.process.is_alive():
                    r.process.kill()
                if not r.process.is_alive() and events.empty():
                    r.process.join()
                    if self._closed:
                        return  # shutdown(): recover() marks the job interrupted
                    self._finish(
                        r.job_id,
                        JobStatus.FAILED,
                        f"the worker process ended without a result (exit code {r.process.exitcode})",
                    )
                    return
        finally:
            if r.process.is_alive():
                r.process.kill()
            r.process.join(5)
            events.close()

    def _cancel_requested(self, job_id: int) -> bool:
        with self._factory() as session:
            return bool(session.scalar(select(SolveJob.cancel_requested).where(SolveJob.id == job_id)))

    def _write_progress(self, r: _Running, now: float) -> None:
        if not r.progress:
            return
        r.last_write = now
        with transaction(self._factory) as session:
            session.execute(
                update(SolveJob)
                .where(SolveJob.id == r.job_id, SolveJob.status == JobStatus.RUNNING)
                .values(
                    elapsed=float(r.progress.get("elapsed") or 0.0),
                    objective=r.progress.get("objective"),
                    bound=r.progress.get("bound"),
                    phase=str(r.progress.get("phase") or "")[:64],
                )
            )

    def _store_result(self, job_id: int, roster_document: dict[str, Any]) -> None:
        with transaction(self._factory) as session:
            store_job_result(session, job_id, roster_document)
            self._hooks.stored(session, job_id)

    def _finish(self, job_id: int, status: JobStatus, message: str) -> None:
        with transaction(self._factory) as session:
            session.execute(
                update(SolveJob)
                .where(SolveJob.id == job_id, SolveJob.status.in_([s.value for s in ACTIVE_JOB_STATUSES]))
                .values(status=status, message=message, finished_at=utcnow())
            )
            self._hooks.failed(session, job_id, message)
