"""The FastAPI application: `create_app()` wires settings, database, job runner, errors and routes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from app.config import Settings
from app.db import SessionFactory, make_engine, make_session_factory
from app.errors import error_body, install_error_handlers
from app.jobs.runner import JobRunner
from app.routes import (
    audit,
    auth,
    catalogue,
    changes,
    duties,
    health,
    jobs,
    officers,
    pinned,
    posts,
    requests,
    rosters,
    transfer,
    users,
)
from app.routes import (
    settings as settings_routes,
)
from app.web import routes as web

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DESCRIPTION = """
Duty rosters for a traffic-police detachment: reference data, roster jobs solved by CP-SAT in
worker processes, versions (draft → published → superseded), queries on the published roster,
exports (Excel, CSV, scenario JSON, iCalendar).

Every route except `/health`, the calendar feeds and the web UI's page shells (`/`, `/ui/…`,
whose data come from this API) needs `Authorization: Bearer <token>`; get one from
`POST /auth/token`. Errors always have the shape
`{"error": {"code", "message", "details": [{"path", "message", "id"?}]}}`.
"""


class BodySizeLimit:
    """Refuse request bodies over `limit` bytes with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            error_body("payload_too_large", f"the request body is larger than {self.limit} bytes")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def create_app(settings: Settings | None = None, session_factory: SessionFactory | None = None) -> FastAPI:
    """The service. Tests pass a session factory bound to their own connection."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = None
        factory = session_factory
        if factory is None:
            engine = make_engine(settings.database_url)
            factory = make_session_factory(engine)
        runner = JobRunner(factory, settings)
        runner.recover()
        app.state.session_factory = factory
        app.state.runner = runner
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
    )
    app.state.settings = settings
    install_error_handlers(app)
    for module in (
        health,
        auth,
        users,
        catalogue,
        posts,
        officers,
        requests,
        pinned,
        settings_routes,
        transfer,
        jobs,
        rosters,
        duties,
        changes,
        audit,
    ):
        app.include_router(module.router)
    web.install(app)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    return app
