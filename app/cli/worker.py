"""`roster worker`: run roster jobs of the procrastinate engine (PostgreSQL) on this machine."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer

from app.changes.replan import REPLAN_HOOKS
from app.cli.console import fail
from app.cli.context import database, load_settings, migrated
from app.core.config import Settings
from app.jobs import leases
from app.jobs.fanout import FanOutHooks
from app.jobs.queue import WorkerState, run_worker, worker_app


async def _work(settings: Settings, state: WorkerState, name: str | None) -> None:
    app = worker_app(settings)
    async with app.open_async():
        await run_worker(app, state, name=name)


def worker(
    name: Annotated[str | None, typer.Option(help="worker name shown in logs and in procrastinate")] = None,
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="jobs at once (default ROSTER_JOBS__MAX_CONCURRENT)")
    ] = None,
    migrate: Annotated[bool, typer.Option(help="upgrade the database schema first")] = True,
) -> None:
    """Run roster jobs queued by the API replicas (ROSTER_JOBS__ENGINE=procrastinate): any number of
    workers on any machines that reach ROSTER_DATABASE_URL. Stops cleanly on Ctrl-C / SIGTERM."""
    settings = load_settings()
    if settings.jobs.engine != "procrastinate":
        fail(
            "roster worker runs the jobs of the procrastinate engine: set ROSTER_JOBS__ENGINE=procrastinate "
            "with a PostgreSQL ROSTER_DATABASE_URL (the embedded default runs jobs inside `roster serve`)"
        )
    if concurrency is not None:
        settings = settings.model_copy(
            update={"jobs": settings.jobs.model_copy(update={"max_concurrent": concurrency})}
        )
    if migrate:
        migrated(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with database(settings) as factory:
        state = WorkerState(factory, settings, FanOutHooks(REPLAN_HOOKS), leases.new_owner("worker"))
        typer.echo(f"worker {state.owner}: {settings.jobs.max_concurrent} job(s) at once")
        asyncio.run(_work(settings, state, name))
