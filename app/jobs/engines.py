"""The job engine of a service process: `inline` (the embedded default: `JobRunner`, a worker
process per solve in this process) or `procrastinate` (PostgreSQL: the job is deferred to the
queue and `roster worker` processes run it, `app.jobs.queue`). Routes only `submit`."""

from __future__ import annotations

from typing import Protocol

import procrastinate

from app.core.config import Settings
from app.core.db import SessionFactory
from app.jobs.hooks import NO_HOOKS, JobHooks
from app.jobs.queue import ProcrastinateEngine, api_app
from app.jobs.runner import JobRunner


class JobEngine(Protocol):
    def start(self) -> JobEngine:
        """Before the first request (the inline runner recovers jobs of dead processes here)."""

    def submit(self, job_id: int) -> None:
        """Run a committed queued job (called after the commit)."""

    def shutdown(self) -> None:
        """On the way out."""


def make_job_engine(
    factory: SessionFactory,
    settings: Settings,
    hooks: JobHooks = NO_HOOKS,
    queue_app: procrastinate.App | None = None,
) -> JobEngine:
    """The engine `settings.jobs.engine` names; `queue_app` replaces the procrastinate app (tests:
    one on the in-memory connector)."""
    if settings.jobs.engine == "procrastinate" or queue_app is not None:
        return ProcrastinateEngine(factory, settings, queue_app or api_app(settings))
    return JobRunner(factory, settings, hooks)
