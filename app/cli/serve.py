"""`roster serve`: the API and the web page on one port."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from app.cli.context import load_settings, migrated
from app.core.config import Settings
from app.main import create_app


def serve_app(settings: Settings, host: str, port: int) -> None:
    import uvicorn  # lazy: only `serve` and `demo` need the server

    if "public_url" not in settings.model_fields_set:  # calendar URLs should point where we listen
        settings = settings.model_copy(update={"public_url": f"http://{host}:{port}"})
    if settings.workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    # Several processes: each builds its app from the environment (ROSTER_*), as this one did.
    os.environ["ROSTER_PUBLIC_URL"] = settings.public_url
    uvicorn.run(
        "app.main:create_app", factory=True, host=host, port=port, workers=settings.workers, log_level="info"
    )


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port", min=1, max=65535)] = 8000,
    migrate: Annotated[bool, typer.Option(help="upgrade the database schema first")] = True,
) -> None:
    """Serve the API (OpenAPI docs at /docs). The database is ROSTER_DATABASE_URL."""
    settings = load_settings()
    if migrate:
        migrated(settings)
    serve_app(settings, host, port)
