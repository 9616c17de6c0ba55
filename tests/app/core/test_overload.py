"""Overload (issue 10, point 3): a bounded number of requests in flight, the rest answered at once
with 503 and Retry-After; the pool and the number of processes are settings."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.core.config import Settings
from app.core.overload import InFlightLimit


def slow_app(limit: int) -> tuple[Any, asyncio.Event]:
    release = asyncio.Event()
    inner = FastAPI()

    @inner.get("/slow")
    async def slow() -> dict[str, str]:
        await release.wait()
        return {"ok": "yes"}

    @inner.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return InFlightLimit(inner, limit=limit, retry_after=2), release


def test_over_the_limit_is_503_at_once_with_retry_after() -> None:
    async def scenario() -> None:
        app, release = slow_app(limit=2)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            held = [asyncio.create_task(client.get("/slow")) for _ in range(2)]
            await asyncio.sleep(0.05)
            refused = await asyncio.wait_for(client.get("/slow"), timeout=2)
            assert refused.status_code == 503
            assert refused.headers["Retry-After"] == "2"
            assert refused.json()["error"]["code"] == "overloaded"
            assert (await client.get("/health")).status_code == 200  # never refused
            release.set()
            assert [r.status_code for r in await asyncio.gather(*held)] == [200, 200]
            assert (await client.get("/slow")).status_code == 200  # the slots are free again

    asyncio.run(scenario())


def test_pool_and_processes_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/x")
    monkeypatch.setenv("ROSTER_DB_POOL_SIZE", "20")
    monkeypatch.setenv("ROSTER_DB_MAX_OVERFLOW", "5")
    monkeypatch.setenv("ROSTER_DB_POOL_TIMEOUT", "2.5")
    monkeypatch.setenv("ROSTER_WORKERS", "4")
    monkeypatch.setenv("ROSTER_MAX_IN_FLIGHT", "48")
    settings = Settings()
    assert settings.engine_options() == {"pool_size": 20, "max_overflow": 5, "pool_timeout": 2.5}
    assert settings.workers == 4 and settings.max_in_flight == 48
    assert Settings(database_url="sqlite://").engine_options() == {}


def test_serve_starts_the_configured_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from app.cli.serve import serve_app

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.append((target, kw)))
    serve_app(Settings(database_url="sqlite://", workers=3), "127.0.0.1", 8123)
    [(target, options)] = calls
    assert target == "app.main:create_app" and options["factory"] is True and options["workers"] == 3


def test_the_service_has_the_limit(session_factory: Any) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app
    from tests.conftest import test_settings

    app = create_app(test_settings(max_in_flight=1), session_factory)
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
    limits = [m for m in app.user_middleware if m.cls is InFlightLimit]
    assert limits and limits[0].kwargs["limit"] == 1
