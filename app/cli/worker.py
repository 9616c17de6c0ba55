"""`roster worker`: run roster jobs of the procrastinate engine (PostgreSQL) on this machine."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import procrastinate
import typer
import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from procrastinate.worker import Worker

from app.changes.replan import REPLAN_HOOKS
from app.cli.console import fail
from app.cli.context import database, load_settings, migrated
from app.core.config import Settings
from app.jobs import leases
from app.jobs.fanout import FanOutHooks
from app.jobs.queue import WorkerState, run_worker, worker_app, worker_health
from app.tours.jobs import TOUR_JOBS


class _HealthServer(uvicorn.Server):
    """uvicorn, leaving SIGTERM / SIGINT to the worker (which stops the solves first)."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def health_app(app: procrastinate.App, state: WorkerState, worker: Worker) -> FastAPI:
    """The worker's own `GET /health` (no token: it says nothing about the data): 200 while it is
    registered, heartbeating and reaching the database, else 503."""
    api = FastAPI(title="roster worker", docs_url=None, redoc_url=None, openapi_url=None)

    @api.get("/health")
    async def health() -> JSONResponse:
        report = await worker_health(app, state, worker)
        return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)

    return api


async def _work(settings: Settings, state: WorkerState, name: str | None, health_port: int | None) -> None:
    app = worker_app(settings)

    async def serve_health(worker: Worker) -> None:
        assert health_port is not None
        config = uvicorn.Config(
            health_app(app, state, worker), host="0.0.0.0", port=health_port, log_level="warning"
        )
        await _HealthServer(config).serve()

    async with app.open_async():
        await run_worker(app, state, name=name, beside=serve_health if health_port else None)


def worker(
    name: Annotated[str | None, typer.Option(help="worker name shown in logs and in procrastinate")] = None,
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="jobs at once (default ROSTER_JOBS__MAX_CONCURRENT)")
    ] = None,
    migrate: Annotated[bool, typer.Option(help="upgrade the database schema first")] = True,
    health_port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="serve GET /health on this port (0.0.0.0)")
    ] = None,
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
        state = WorkerState(
            factory,
            settings,
            FanOutHooks(REPLAN_HOOKS),
            leases.new_owner("worker"),
            extra_kinds=(TOUR_JOBS,),  # tour plans run on the same workers
        )
        typer.echo(f"worker {state.owner}: {settings.jobs.max_concurrent} job(s) at once")
        asyncio.run(_work(settings, state, name, health_port))
