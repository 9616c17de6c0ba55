"""`roster user …`: service accounts."""

from __future__ import annotations

from typing import Annotated

import typer

from app.accounts.models import Role
from app.accounts.service import create_user
from app.cli.console import fail
from app.cli.context import database, load_settings, migrated
from app.core.db import transaction
from app.core.security import new_password, password_problem

app = typer.Typer(help="Service accounts.", no_args_is_help=True)


@app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="login name")],
    role: Annotated[str, typer.Option(help="admin, dispatcher or officer")],
    units: Annotated[
        list[str] | None, typer.Option("--units", help="units a dispatcher manages (repeat)")
    ] = None,
    officer: Annotated[str | None, typer.Option(help="officer id of an officer account")] = None,
    password: Annotated[str | None, typer.Option(help="default: a random one, printed")] = None,
) -> None:
    """Create an account (passwords are stored as scrypt hashes)."""
    if role not in {r.value for r in Role}:
        fail(f"--role must be admin, dispatcher or officer, not {role!r}")
    weak = None if password is None else password_problem(password)
    if weak is not None:
        fail(f"--password: {weak}")
    settings = load_settings()
    migrated(settings)
    secret = password or new_password()
    with database(settings) as factory, transaction(factory) as session:
        create_user(session, username, role, secret, list(units or []), officer)
    typer.echo(f"created {role} {username!r}" + ("" if password else f" with password {secret}"))
