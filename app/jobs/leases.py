"""Job leases: which process holds a queued or running job, and until when.

A process that takes a job (the service's runner, a `roster worker`, the command line) writes its
`owner` id and a `lease_until` on the row, and renews the lease while it holds the job (its
heartbeat). Another process may declare the job interrupted only once the lease has run out:
a second service on the same database never touches a live process's jobs. A freshly queued
job gets a short lease of its own (`QUEUED_LEASE`), so that the process that queued it has time
to take it after the commit.

Every function works on one kind of job row (`model`: `SolveJob` by default, `TourJob` for tour
plans; both are `LeasedJob`s), so roster and tour jobs share one lease and one recovery path.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.db import SessionFactory, transaction
from app.jobs.hooks import NO_HOOKS, JobHooks
from app.jobs.models import ACTIVE_JOB_STATUSES, JobStatus, LeasedJob, SolveJob

log = logging.getLogger(__name__)

QUEUED_LEASE = timedelta(seconds=60)
"""How long a queued job no process has taken yet is safe from being declared interrupted."""

QUEUE_OWNER = "queue"
"""The owner of a job waiting in the job engine's queue (procrastinate): it holds no lease, the
queue keeps it; the engine's own stalled-job recovery looks after it once a worker has it."""

INTERRUPTED_MESSAGE = "the process running this job stopped before it finished; submit it again"

_ACTIVE = [s.value for s in ACTIVE_JOB_STATUSES]


def new_owner(kind: str) -> str:
    """A process's owner id: what it is, the host, the pid and a random part (pids are reused)."""
    return f"{kind}:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:128]


Model = type[LeasedJob]
"""A table of jobs (`SolveJob`, `TourJob`)."""


def take(session: Session, job_id: int, owner: str, seconds: float, model: Model = SolveJob) -> bool:
    """Give a queued job to `owner` with a lease of `seconds`; False if it is no longer queued."""
    result = session.execute(
        update(model)
        .where(model.id == job_id, model.status == JobStatus.QUEUED)
        .values(owner=owner, lease_until=utcnow() + timedelta(seconds=seconds))
    )
    return bool(getattr(result, "rowcount", 0))


def renew(session: Session, owner: str, seconds: float, model: Model = SolveJob) -> int:
    """The heartbeat: extend the lease of every queued or running job `owner` holds."""
    result = session.execute(
        update(model)
        .where(model.owner == owner, model.status.in_(_ACTIVE))
        .values(lease_until=utcnow() + timedelta(seconds=seconds))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def expired_condition(now: datetime, model: Model = SolveJob) -> ColumnElement[bool]:
    """Active jobs whose lease ran out, and rows from before leases existed (no owner, no lease)."""
    return and_(
        model.status.in_(_ACTIVE),
        or_(
            model.lease_until < now,
            and_(model.lease_until.is_(None), model.owner.is_(None)),
        ),
    )


def interrupt(
    session: Session,
    condition: ColumnElement[bool],
    message: str = INTERRUPTED_MESSAGE,
    hooks: JobHooks = NO_HOOKS,
    model: Model = SolveJob,
) -> list[int]:
    """Mark the active jobs matching `condition` interrupted (each one's hooks told); their ids."""
    ids = list(session.scalars(select(model.id).where(condition).with_for_update()))
    for job_id in ids:
        changed = session.execute(
            update(model)
            .where(model.id == job_id, model.status.in_(_ACTIVE))
            .values(status=JobStatus.INTERRUPTED, finished_at=utcnow(), message=message, lease_until=None)
        )
        if getattr(changed, "rowcount", 0):
            hooks.failed(session, job_id, message)
    session.flush()
    return ids


def interrupt_expired(session: Session, hooks: JobHooks = NO_HOOKS, model: Model = SolveJob) -> list[int]:
    """Declare interrupted the jobs whose holder stopped renewing its lease."""
    return interrupt(session, expired_condition(utcnow(), model), hooks=hooks, model=model)


def interrupt_own(
    session: Session, owner: str, message: str, hooks: JobHooks = NO_HOOKS, model: Model = SolveJob
) -> list[int]:
    """On a clean shutdown: this process's own unfinished jobs."""
    return interrupt(session, and_(model.owner == owner, model.status.in_(_ACTIVE)), message, hooks, model)


def holds(session: Session, job_id: int, owner: str, model: Model = SolveJob) -> bool:
    """Whether `owner` still holds the running job (nobody declared it interrupted meanwhile)."""
    job = session.get(model, job_id, with_for_update=True)
    return job is not None and job.status == JobStatus.RUNNING and job.owner == owner


class Heartbeat:
    """A daemon thread renewing `owner`'s leases (of jobs in each table of `models`) every third of
    `seconds` (and calling `also`, e.g. a sweep of expired leases, on each beat) until `stop()`."""

    def __init__(
        self,
        factory: SessionFactory,
        owner: str,
        seconds: float,
        also: Callable[[Session], object] | None = None,
        models: tuple[Model, ...] = (SolveJob,),
    ) -> None:
        self._factory = factory
        self._owner = owner
        self._seconds = seconds
        self._also = also
        self._models = models
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{owner}", daemon=True)

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(5)

    def beat(self) -> None:
        with transaction(self._factory) as session:
            for model in self._models:
                renew(session, self._owner, self._seconds, model)
            if self._also is not None:
                self._also(session)

    def _beat(self) -> None:
        while not self._stopped.wait(self._seconds / 3):
            try:
                self.beat()
            except Exception:  # the database away for a moment: the next beat tries again
                log.exception("renewing the leases of %s failed", self._owner)
