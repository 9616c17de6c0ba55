"""`roster db …`: the service database."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.exc import OperationalError

from app.cli.console import fail
from app.cli.context import load_settings
from app.core.migrate import upgrade as upgrade_to

app = typer.Typer(help="The service database.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: Annotated[str, typer.Argument(help="target revision")] = "head") -> None:
    """Apply the Alembic migrations to ROSTER_DATABASE_URL."""
    settings = load_settings()
    try:
        upgrade_to(settings.database_url, revision=revision)
    except OperationalError as exc:
        fail(f"cannot migrate the database: {exc.orig}", 1)
    except Exception as exc:  # alembic reports unknown revisions with its own exception types
        fail(f"cannot migrate to {revision!r}: {exc}")
    typer.echo(f"database at {revision}")
