"""The job engine of a service process: `inline` (the embedded default: `JobRunner`, a worker
process per solve in this process) or `procrastinate` (PostgreSQL: the job is deferred to the
queue and `roster worker` processes run it, `app.jobs.queue`). Routes only `submit`, naming the
kind of job (`app.jobs.kinds`: roster jobs by default, tour plans); `Submitter` is one kind's door
(the tour routes' `app.state.tour_runner`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import procrastinate

from app.core.config import Settings
from app.core.db import SessionFactory
from app.jobs.hooks import NO_HOOKS, JobHooks
from app.jobs.kinds import ROSTER, JobKind
from app.jobs.queue import ProcrastinateEngine, api_app
from app.jobs.runner import JobRunner


class JobEngine(Protocol):
    def start(self) -> JobEngine:
        """Before the first request (the inline runner recovers jobs of dead processes here)."""

    def submit(self, job_id: int, kind: str = ROSTER) -> None:
        """Run a committed queued job of `kind` (called after the commit)."""

    def shutdown(self) -> None:
        """On the way out."""


def make_job_engine(
    factory: SessionFactory,
    settings: Settings,
    hooks: JobHooks = NO_HOOKS,
    queue_app: procrastinate.App | None = None,
    kinds: Sequence[JobKind] = (),
) -> JobEngine:
    """The engine `settings.jobs.engine` names, for roster jobs (with `hooks`) and `kinds`;
    `queue_app` replaces the procrastinate app (tests: one on the in-memory connector)."""
    if settings.jobs.engine == "procrastinate" or queue_app is not None:
        return ProcrastinateEngine(factory, settings, queue_app or api_app(settings), kinds)
    return JobRunner(factory, settings, hooks, kinds)


@dataclass(frozen=True)
class Submitter:
    """One kind of job's door into the engine: `submit(job_id)`."""

    engine: JobEngine
    kind: str

    def submit(self, job_id: int) -> None:
        self.engine.submit(job_id, self.kind)
