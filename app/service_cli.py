"""Service commands of the `roster` CLI: serve, database, users, import, and the demo (the main job).

Bad input gives a clear message and exit code 2, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlalchemy.exc import OperationalError

from app.config import Settings
from app.db import SessionFactory, make_engine, make_session_factory, transaction
from app.errors import DomainError

SAMPLE = Path("data") / "zhangye-2021-11-08.json"
# the checkout's sample, or the working directory's (an installed copy, as in the Dockerfile)
DEFAULT_SCENARIO = next(
    (p for p in (Path(__file__).resolve().parent.parent / SAMPLE, Path.cwd() / SAMPLE) if p.exists()),
    SAMPLE,
)


def _fail(message: str, code: int = 2) -> NoReturn:
    from app.cli import err

    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _settings() -> Settings:
    from pydantic import ValidationError

    try:
        settings = Settings()
    except ValidationError as exc:
        _fail(
            "invalid ROSTER_* setting: "
            + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        )
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    return settings


@contextmanager
def _database(settings: Settings) -> Iterator[SessionFactory]:
    engine = make_engine(settings.database_url)
    try:
        yield make_session_factory(engine)
    except OperationalError as exc:
        _fail(f"cannot use the database {engine.url.render_as_string(hide_password=True)}: {exc.orig}", 1)
    except DomainError as exc:
        details = "".join(f"\n  {d.path}: {d.message}" for d in exc.details[:50])
        _fail(f"{exc.message}{details}")
    finally:
        engine.dispose()


def _upgrade(settings: Settings) -> None:
    from app.migrate import upgrade

    try:
        upgrade(settings.database_url)
    except OperationalError as exc:
        _fail(f"cannot migrate the database: {exc.orig}", 1)


def serve_app(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from app.main import create_app

    if "public_url" not in settings.model_fields_set:  # calendar URLs should point where we listen
        settings = settings.model_copy(update={"public_url": f"http://{host}:{port}"})
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def register(cli: typer.Typer) -> None:
    """Add the service commands to the `roster` command line (once, however often it is called)."""
    if any(c.name == "serve" for c in cli.registered_commands):
        return
    db = typer.Typer(help="The service database.", no_args_is_help=True)
    user = typer.Typer(help="Service accounts.", no_args_is_help=True)
    cli.add_typer(db, name="db")
    cli.add_typer(user, name="user")

    @cli.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="port", min=1, max=65535)] = 8000,
        migrate: Annotated[bool, typer.Option(help="upgrade the database schema first")] = True,
    ) -> None:
        """Serve the API (OpenAPI docs at /docs). The database is ROSTER_DATABASE_URL."""
        settings = _settings()
        if migrate:
            _upgrade(settings)
        serve_app(settings, host, port)

    @db.command("upgrade")
    def db_upgrade(revision: Annotated[str, typer.Argument(help="target revision")] = "head") -> None:
        """Apply the Alembic migrations to ROSTER_DATABASE_URL."""
        from app.migrate import upgrade

        settings = _settings()
        try:
            upgrade(settings.database_url, revision=revision)
        except OperationalError as exc:
            _fail(f"cannot migrate the database: {exc.orig}", 1)
        except Exception as exc:  # alembic reports unknown revisions with its own exception types
            _fail(f"cannot migrate to {revision!r}: {exc}")
        typer.echo(f"database at {revision}")

    @user.command("create")
    def user_create(
        username: Annotated[str, typer.Argument(help="login name")],
        role: Annotated[str, typer.Option(help="admin, dispatcher or officer")],
        units: Annotated[
            list[str] | None, typer.Option("--units", help="units a dispatcher manages (repeat)")
        ] = None,
        officer: Annotated[str | None, typer.Option(help="officer id of an officer account")] = None,
        password: Annotated[str | None, typer.Option(help="default: a random one, printed")] = None,
    ) -> None:
        """Create an account (passwords are stored as scrypt hashes)."""
        from app.models import Role
        from app.security import new_password
        from app.services.auth import create_user

        if role not in {r.value for r in Role}:
            _fail(f"--role must be admin, dispatcher or officer, not {role!r}")
        if password is not None and len(password) < 8:
            _fail("--password needs at least 8 characters")
        settings = _settings()
        _upgrade(settings)
        secret = password or new_password()
        with _database(settings) as factory, transaction(factory) as session:
            create_user(session, username, role, secret, list(units or []), officer)
        typer.echo(f"created {role} {username!r}" + ("" if password else f" with password {secret}"))

    @cli.command("import")
    def import_(
        scenario: Annotated[Path, typer.Argument(help="scenario document (format v1)", metavar="SCENARIO")],
        replace: Annotated[bool, typer.Option(help="overwrite rows whose ids exist already")] = False,
    ) -> None:
        """Load a scenario document into the service database, all or nothing."""
        from app.cli import fail_input
        from app.services.imports import import_scenario
        from solver.scenario import InvalidDocument, read_document

        try:
            document = read_document(scenario)
        except InvalidDocument as exc:
            fail_input(exc, str(scenario))
        settings = _settings()
        _upgrade(settings)
        with _database(settings) as factory, transaction(factory) as session:
            result = import_scenario(session, document, replace, None)
        typer.echo(
            f"imported {result.units} units, {result.posts} posts, {result.officers} officers, "
            f"{result.shift_types} shift types"
        )

    @cli.command()
    def demo(
        scenario: Annotated[
            Path, typer.Option(help="scenario to load when the database is empty")
        ] = DEFAULT_SCENARIO,
        time_limit: Annotated[float, typer.Option(help="seconds to solve the week", min=1)] = 60.0,
        host: Annotated[str, typer.Option()] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
        serve: Annotated[bool, typer.Option(help="serve the API afterwards")] = True,
    ) -> None:
        """The main job: migrate, load the Zhangye week, create demo users, solve and publish, serve."""
        from app.demo import run_demo

        settings = _settings()
        _upgrade(settings)
        with _database(settings) as factory:
            ready = run_demo(factory, settings, scenario, time_limit, host, port)
        if ready and serve:
            serve_app(settings, host, port)

    del serve, db_upgrade, user_create, import_, demo
