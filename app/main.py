"""The FastAPI application: `create_app()` wires settings, database, job runner, errors and routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import procrastinate
from fastapi import APIRouter, Depends, FastAPI

from app.accounts.routes import auth_router, users_router
from app.accounts.throttle import LoginThrottle, ThrottleRules
from app.audit import routes as audit
from app.changes import routes as changes
from app.changes.replan import REPLAN_HOOKS
from app.core import health
from app.core.body_limit import BodySizeLimit
from app.core.config import Settings
from app.core.db import SessionFactory, make_engine, make_session_factory
from app.core.errors import install_error_handlers
from app.core.guards import NulInUrl, storable_body
from app.core.headers import SecurityHeaders, redact_access_log
from app.core.overload import InFlightLimit
from app.groups import routes as groups
from app.jobs import routes as jobs
from app.jobs.engines import Submitter, make_job_engine
from app.levels import owed_routes
from app.levels import routes as levels
from app.notifications import routes as notifications
from app.reference.routes import catalogue, officers, pinned, posts, requests, transfer
from app.reference.routes import settings as settings_routes
from app.rosters.routes import published, sheets, versions
from app.tours import routes as tours
from app.tours.jobs import TOUR, TOUR_JOBS
from app.web import docs, openapi
from app.web import routes as web

DESCRIPTION = """
Duty rosters for a traffic-police detachment: reference data, roster jobs solved by CP-SAT in
worker processes, versions (draft → published → superseded), queries on the published roster,
exports (Excel, CSV, scenario JSON, iCalendar).

Every route except `/health`, the calendar feeds and the web UI's page shells (`/`, `/ui/…`,
whose data come from this API) needs `Authorization: Bearer <token>`; get one from
`POST /auth/token`. Errors always have the shape
`{"error": {"code", "message", "details": [{"path", "message", "id"?}]}}`.
"""

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    auth_router,
    users_router,
    catalogue.router,
    posts.router,
    officers.router,
    requests.router,
    pinned.router,
    settings_routes.router,
    transfer.router,
    jobs.router,
    versions.router,
    published.router,
    sheets.router,
    changes.router,
    audit.router,
    tours.router,
    tours.jobs_router,
    notifications.router,
    levels.router,
    groups.router,
    owed_routes.router,
)
"""In this order: it is the order of the OpenAPI document."""

JOB_KINDS = (TOUR_JOBS,)
"""The kinds of job besides roster jobs (and change requests' re-plans) on the one job engine."""


def create_app(
    settings: Settings | None = None,
    session_factory: SessionFactory | None = None,
    queue_app: procrastinate.App | None = None,
) -> FastAPI:
    """The service. Tests pass a session factory bound to their own connection (and a procrastinate
    app on the in-memory connector)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = None
        factory = app.state.database
        if factory is None:
            engine = make_engine(settings.database_url, **settings.engine_options())
            factory = make_session_factory(engine)
        # one engine for roster jobs (change requests' re-plans included) and tour plans
        runner = make_job_engine(factory, settings, REPLAN_HOOKS, queue_app, JOB_KINDS).start()
        app.state.session_factory = factory
        app.state.login_throttle = LoginThrottle(
            ThrottleRules(
                user_failures=settings.login_max_failures,
                client_failures=settings.login_client_max_failures,
                window_seconds=settings.login_window_seconds,
                lockout_seconds=settings.login_lockout_seconds,
            )
        )
        app.state.runner = runner
        app.state.tour_runner = Submitter(runner, TOUR)
        try:
            yield
        finally:
            runner.shutdown()
            if engine is not None:
                engine.dispose()

    app = FastAPI(
        title="Police duty roster",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(storable_body)],
        docs_url=None,  # served by app.web.docs from a package, not a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.job_kinds = JOB_KINDS  # for GET /jobs/queue
    # Read at each startup, so a test can serve one app (its routes built once) on the
    # connection of each test in turn; None: the settings' database, opened at startup.
    app.state.database = session_factory
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    openapi.install(app)
    docs.install(app)  # before the /static mount of the pages, which would shadow its assets
    web.install(app)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    app.add_middleware(NulInUrl)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(InFlightLimit, limit=settings.max_in_flight, retry_after=settings.retry_after_seconds)
    redact_access_log()
    return app
