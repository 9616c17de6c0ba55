"""`roster db …`: the service database."""

from __future__ import annotations

from typing import Annotated

import psycopg
import typer
from sqlalchemy.exc import OperationalError

from app.cli.console import fail
from app.cli.context import load_settings
from app.core.migrate import upgrade as upgrade_to
from app.jobs.queue import apply_schema as apply_queue_schema

app = typer.Typer(help="The service database.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: Annotated[str, typer.Argument(help="target revision")] = "head") -> None:
    """Apply the Alembic migrations to ROSTER_DATABASE_URL (and, for ROSTER_JOBS__ENGINE=procrastinate,
    procrastinate's own schema when it is not there yet)."""
    settings = load_settings()
    try:
        upgrade_to(settings.database_url, revision=revision)
        if settings.jobs.engine == "procrastinate" and apply_queue_schema(settings.database_url):
            typer.echo("procrastinate's job queue schema applied")
    except (OperationalError, psycopg.OperationalError) as exc:
        fail(f"cannot migrate the database: {getattr(exc, 'orig', exc)}", 1)
    except Exception as exc:  # alembic reports unknown revisions with its own exception types
        fail(f"cannot migrate to {revision!r}: {exc}")
    typer.echo(f"database at {revision}")
