"""The tour jobs' runner: like the roster jobs' (`app.jobs.runner`), each job is solved in its own
spawned process, at most `jobs.max_concurrent` at once, supervised by a thread that writes its
progress, stops it on cancel (killing the worker: a cancelled tour job stores nothing) or past its
time, and stores its result. Jobs left queued or running by a stopped service are interrupted."""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from collections import deque
from typing import Any

from sqlalchemy import select, update

from app.core.clock import utcnow
from app.core.config import Settings
from app.core.db import SessionFactory, transaction
from app.jobs.models import ACTIVE_JOB_STATUSES, JobStatus
from app.jobs.runner import INTERRUPTED_MESSAGE
from app.tours.models import TourJob
from app.tours.service import claim, store_result
from app.tours.worker import plan_in_process, plan_tours
from solver.tours import plan_to_dict

log = logging.getLogger(__name__)

START_SECONDS = 30.0
"""Allowed for a worker process to start (imports) on top of the search time."""


class TourRunner:
    def __init__(self, session_factory: SessionFactory, settings: Settings) -> None:
        self._factory = session_factory
        self._settings = settings
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._pending: deque[int] = deque()
        self._running: dict[int, threading.Thread] = {}
        self._processes: dict[int, Any] = {}
        self._closed = False

    def recover(self) -> int:
        with transaction(self._factory) as session:
            result = session.execute(
                update(TourJob)
                .where(TourJob.status.in_([s.value for s in ACTIVE_JOB_STATUSES]))
                .values(status=JobStatus.INTERRUPTED, finished_at=utcnow(), message=INTERRUPTED_MESSAGE)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def shutdown(self, wait: float = 5.0) -> None:
        with self._lock:
            self._closed = True
            self._pending.clear()
            threads = list(self._running.values())
            processes = list(self._processes.values())
        for p in processes:
            if p.is_alive():
                p.kill()
        deadline = time.monotonic() + wait
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        self.recover()

    def submit(self, job_id: int) -> None:
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
                    target=self._supervise, args=(job_id,), name=f"tour-job-{job_id}", daemon=True
                )
                self._running[job_id] = thread
                thread.start()

    def _supervise(self, job_id: int) -> None:
        try:
            self._run(job_id)
        except Exception as exc:
            log.exception("tour job %s failed in its supervisor", job_id)
            self._finish(job_id, JobStatus.FAILED, f"internal error: {type(exc).__name__}: {exc}")
        finally:
            with self._lock:
                self._running.pop(job_id, None)
                self._processes.pop(job_id, None)
            self._start_more()

    def _run(self, job_id: int) -> None:
        with transaction(self._factory) as session:
            work = claim(session, job_id)
        if work is None:
            return
        limit = (
            work["settings"]["time_limit_per_day"] * work["days"]
            + START_SECONDS
            + self._settings.jobs.grace_seconds
        )
        events = self._ctx.Queue()
        process = self._ctx.Process(target=plan_in_process, args=(work, events), name=f"tour-job-{job_id}")
        process.daemon = True
        with self._lock:
            self._processes[job_id] = process
        process.start()
        started = time.monotonic()
        next_check = 0.0
        try:
            while True:
                try:
                    kind, payload = events.get(timeout=0.2)
                except queue.Empty:
                    kind, payload = None, None
                now = time.monotonic()
                if kind == "progress":
                    self._progress(job_id, payload, now - started)
                elif kind == "result":
                    with transaction(self._factory) as session:
                        store_result(session, job_id, payload)
                    return
                elif kind == "error":
                    self._finish(job_id, JobStatus.FAILED, f"the tour planner failed: {payload}")
                    return
                if now >= next_check:
                    next_check = now + 0.5
                    if self._cancel_requested(job_id):
                        process.kill()
                        self._finish(job_id, JobStatus.CANCELLED, "cancelled while planning: nothing stored")
                        return
                if now - started > limit:
                    process.kill()
                    self._finish(job_id, JobStatus.FAILED, f"stopped after {limit:g} s without a plan")
                    return
                if not process.is_alive() and events.empty():
                    process.join()
                    if self._closed:
                        return
                    self._finish(
                        job_id,
                        JobStatus.FAILED,
                        f"the worker process ended without a plan (exit code {process.exitcode})",
                    )
                    return
        finally:
            if process.is_alive():
                process.kill()
            process.join(5)
            events.close()

    def _cancel_requested(self, job_id: int) -> bool:
        with self._factory() as session:
            return bool(session.scalar(select(TourJob.cancel_requested).where(TourJob.id == job_id)))

    def _progress(self, job_id: int, payload: dict[str, Any], elapsed: float) -> None:
        with transaction(self._factory) as session:
            session.execute(
                update(TourJob)
                .where(TourJob.id == job_id, TourJob.status == JobStatus.RUNNING)
                .values(
                    days_done=int(payload["days_done"]), phase=str(payload["phase"])[:64], elapsed=elapsed
                )
            )

    def _finish(self, job_id: int, status: JobStatus, message: str) -> None:
        with transaction(self._factory) as session:
            session.execute(
                update(TourJob)
                .where(TourJob.id == job_id, TourJob.status.in_([s.value for s in ACTIVE_JOB_STATUSES]))
                .values(status=status, message=message, finished_at=utcnow())
            )


def run_tour_job_inline(factory: SessionFactory, job_id: int) -> bool:
    """Run a queued tour job in this process (the command line, the demo); whether it stored a version."""
    with transaction(factory) as session:
        work = claim(session, job_id)
    if work is None:
        return False
    try:
        document = plan_tours(work)
    except Exception as exc:
        with transaction(factory) as session:
            session.execute(
                update(TourJob)
                .where(TourJob.id == job_id)
                .values(
                    status=JobStatus.FAILED, message=f"the tour planner failed: {exc}", finished_at=utcnow()
                )
            )
        return False
    with transaction(factory) as session:
        store_result(session, job_id, plan_to_dict(document))
        job = session.get(TourJob, job_id)
        return job is not None and job.status == JobStatus.SUCCEEDED
