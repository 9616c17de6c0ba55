"""Service commands of the `roster` CLI: serve, database, users, import, and the demo (the main job).

Bad input gives a clear message and exit code 2, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from sqlalchemy.exc import OperationalError

from app.config import Settings
from app.db import SessionFactory, make_engine, make_session_factory, transaction
from app.errors import DomainError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.models import User
    from app.schemas.changes import ChangeRead

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
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="show what would be added and changed; store nothing")
        ] = False,
    ) -> None:
        """Load a scenario document into the service database, all or nothing.

        Adds what the document names (with --replace, also overwrites the rows it names that
        exist); nothing it does not name is touched."""
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
            result = import_scenario(session, document, replace, None, dry_run=dry_run)
        verb = "would import" if dry_run else "imported"
        typer.echo(
            f"{verb} {result.units} units, {result.posts} posts, {result.officers} officers, "
            f"{result.shift_types} shift types: {len(result.added)} new, {len(result.updated)} overwritten "
            f"({len(result.changes)} with changes)"
        )
        for item in result.added:
            typer.echo(f"  + {item}")
        for change in result.changes:
            typer.echo(f"  ~ {change['item']}: {', '.join(change['fields'])}")
        for c in result.settings:
            action = "applied" if c["applied"] else "kept (use --replace to adopt the document's)"
            typer.echo(
                f"  setting {c['field']}: stored {c['stored']!r}, document {c['document']!r}: {action}"
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
    _register_changes(cli)


DutyOption = Annotated[
    str | None, typer.Option(help="a duty as OFFICER/POST/SHIFT/DATE, e.g. gz-01/g30-east/D/2021-11-10")
]
AsOption = Annotated[str, typer.Option("--as", help="the account acting (its role and units apply)")]


def _duty(text: str | None, option: str) -> dict[str, str] | None:
    if text is None:
        return None
    parts = text.split("/")
    if len(parts) != 4 or not all(parts):
        _fail(f"{option} must be OFFICER/POST/SHIFT/DATE, e.g. gz-01/g30-east/D/2021-11-10, not {text!r}")
    return dict(zip(("officer", "post", "shift", "date"), parts, strict=True))


def _acting(session: Session, username: str) -> User:
    from sqlalchemy import select

    from app.models import User

    user = session.scalar(select(User).where(User.username == username, User.is_active))
    if user is None:
        _fail(f"no active account {username!r} (--as)")
    return user


def _print_change(change: ChangeRead) -> None:
    from app.cli import out

    officers = ", ".join(change.officers) or "-"
    out.print(
        f"change {change.id}: {change.kind} [{change.status}] units {', '.join(change.unit_ids)}; "
        f"officers {officers}; asked by {change.requested_by.username}",
        markup=False,
    )
    if change.reason:
        out.print(f"  reason: {change.reason}", markup=False)
    if change.check is not None:
        verdict = "ok" if change.check.ok else f"breaks {len(change.check.violations)} hard rule(s)"
        delta = ", ".join(f"{k} {v:+d}" for k, v in change.check.score_delta.items() if v)
        out.print(f"  check ({change.check.stage}): {verdict}; score change: {delta or 'none'}", markup=False)
        for v in change.check.violations:
            where = " ".join(str(x) for x in (v.officer, v.post, v.shift, v.date) if x)
            out.print(f"    {v.rule} {where}: {v.message}", markup=False)
    if change.proposal is not None:
        p = change.proposal
        out.print(f"  proposal [{p.status}]: {p.changed} duty change(s) {p.message}".rstrip(), markup=False)
        for officer, moved in p.by_officer.items():
            for sign, duties in (("-", moved.removed), ("+", moved.added)):
                for d in duties:
                    out.print(f"    {sign} {officer} {d.date} {d.shift} {d.post}", markup=False)
    for step in change.steps:
        why = f": {step.reason}" if step.reason else ""
        out.print(f"  {step.at:%Y-%m-%d %H:%M} {step.action} by {step.actor}{why}", markup=False)
    if change.applied_roster_id is not None:
        out.print(f"  applied as roster version {change.applied_roster_id}", markup=False)


def _register_changes(cli: typer.Typer) -> None:
    """`roster change …`: the change requests of the service, against its database."""
    change = typer.Typer(
        help="Changes to the published roster: swap, cover, leave, coverage.", no_args_is_help=True
    )
    cli.add_typer(change, name="change")

    @change.command("list")
    def change_list(
        status: Annotated[str | None, typer.Option(help="submitted, accepted, applied, rejected, …")] = None,
        kind: Annotated[str | None, typer.Option(help="swap, cover, leave or coverage_change")] = None,
        unit: Annotated[str | None, typer.Option()] = None,
        officer: Annotated[str | None, typer.Option()] = None,
        limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
        as_: AsOption = "admin",
    ) -> None:
        """List changes, newest first."""
        from rich.table import Table

        from app.cli import out
        from app.services import changes as service

        settings = _settings()
        with _database(settings) as factory, factory() as session:
            user = _acting(session, as_)
            f = service.ChangeFilter(status=status, kind=kind, unit=unit, officer=officer)
            items, total = service.list_changes(session, user, f, limit, 0)
            table = Table(title=f"{total} change(s)", show_edge=False)
            for column in ("id", "kind", "status", "officers", "units", "check", "asked by", "at"):
                table.add_column(column)
            for c in items:
                read = service.read(session, c)
                check = "-" if read.check is None else ("ok" if read.check.ok else "BREAKS RULES")
                table.add_row(
                    str(c.id),
                    c.kind,
                    c.status,
                    ", ".join(read.officers),
                    ", ".join(read.unit_ids),
                    check,
                    c.requester_name,
                    f"{c.created_at:%Y-%m-%d %H:%M}",
                )
            out.print(table)

    @change.command("show")
    def change_show(
        change_id: Annotated[int, typer.Argument(help="change id")],
        as_json: Annotated[bool, typer.Option("--json", help="the API's ChangeRead document")] = False,
        as_: AsOption = "admin",
    ) -> None:
        """One change: its check, proposal and steps."""
        from app.services import changes as service

        settings = _settings()
        with _database(settings) as factory, factory() as session:
            read = service.read(session, service.get_change(session, change_id, _acting(session, as_)))
        if as_json:
            typer.echo(read.model_dump_json(indent=1))
        else:
            _print_change(read)

    @change.command("submit")
    def change_submit(
        kind: Annotated[str, typer.Argument(help="swap, cover, leave or coverage_change")],
        duty: DutyOption = None,
        with_duty: Annotated[
            str | None, typer.Option(help="swap: the other duty, OFFICER/POST/SHIFT/DATE")
        ] = None,
        to: Annotated[str | None, typer.Option(help="cover: the officer who takes the duty")] = None,
        officer: Annotated[str | None, typer.Option(help="leave: the officer")] = None,
        start: Annotated[str | None, typer.Option(help="leave: from, local time YYYY-MM-DDTHH:MM")] = None,
        end: Annotated[str | None, typer.Option(help="leave: until (exclusive)")] = None,
        post: Annotated[str | None, typer.Option(help="coverage_change: the post")] = None,
        shift: Annotated[str | None, typer.Option(help="coverage_change: the shift type")] = None,
        from_date: Annotated[str | None, typer.Option("--from", help="coverage_change: first date")] = None,
        minimum: Annotated[
            int | None, typer.Option("--min", help="coverage_change: officers at least")
        ] = None,
        maximum: Annotated[
            int | None, typer.Option("--max", help="coverage_change: at most (default min)")
        ] = None,
        reason: Annotated[str, typer.Option(help="why")] = "",
        wait: Annotated[
            bool, typer.Option(help="leave, coverage_change: re-plan now, in this process")
        ] = True,
        as_: AsOption = "admin",
    ) -> None:
        """Ask for a change; it is checked against the rules at once (exit 1 when it breaks one)."""
        from pydantic import TypeAdapter, ValidationError

        from app.cli import SolveProgress, err
        from app.errors import validation_path
        from app.jobs.inline import run_replan_inline
        from app.schemas import changes as cs
        from app.services import changes as service
        from app.services.change_plan import ChangeOptions

        fields: dict[str, dict[str, object]] = {
            "swap": {
                "kind": kind,
                "duty": _duty(duty, "--duty"),
                "with_duty": _duty(with_duty, "--with-duty"),
            },
            "cover": {"kind": kind, "duty": _duty(duty, "--duty"), "to_officer": to},
            "leave": {"kind": kind, "officer": officer, "start": start, "end": end},
            "coverage_change": {
                "kind": kind,
                "post": post,
                "shift": shift,
                "from_date": from_date,
                "min": minimum,
                "max": maximum,
            },
        }
        if kind not in fields:
            _fail(f"KIND must be swap, cover, leave or coverage_change, not {kind!r}")
        raw = {k: v for k, v in fields[kind].items() if v is not None or k in ("duty", "with_duty")}
        try:
            body = TypeAdapter(cs.ChangeCreate).validate_python({**raw, "reason": reason})
        except ValidationError as exc:
            _fail(
                "the request is not valid: "
                + "; ".join(f"{validation_path(e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors())
            )
        settings = _settings()
        _upgrade(settings)
        options = ChangeOptions.of(settings)
        with _database(settings) as factory:
            with transaction(factory) as session:
                created = service.submit(session, _acting(session, as_), body, options)
                change_id, job_id = created.id, created.job_id
            if job_id is not None and wait:
                with SolveProgress(err, options.replan_time_limit) as bar:
                    run_replan_inline(factory, job_id, settings.solver.workers, bar.update)
            with factory() as session:
                read = service.read(session, service.get_change(session, change_id, _acting(session, as_)))
        _print_change(read)
        if read.check is not None and not read.check.ok:
            raise typer.Exit(1)

    def _decide(change_id: int, as_: str, step: str, reason: str) -> None:
        from app.cli import err
        from app.errors import Conflict
        from app.services import changes as service
        from app.services.change_plan import ChangeOptions

        settings = _settings()
        options = ChangeOptions.of(settings)
        with _database(settings) as factory:
            try:
                with transaction(factory) as session:
                    user = _acting(session, as_)
                    service.get_change(session, change_id, user)
                    if step == "approve":
                        service.approve(session, change_id, user, reason, options)
                    elif step == "reject":
                        service.reject(session, change_id, user, reason)
                    elif step == "accept":
                        service.accept(session, change_id, user)
                    else:
                        service.withdraw(session, change_id, user, reason)
            except Conflict as exc:
                err.print(f"[bold red]refused:[/] {exc.message}", highlight=False)
                for d in exc.details[1:]:
                    err.print(f"  {d.message}", markup=False)
                raise typer.Exit(1) from None
            with factory() as session:
                _print_change(
                    service.read(session, service.get_change(session, change_id, _acting(session, as_)))
                )

    @change.command("approve")
    def change_approve(
        change_id: Annotated[int, typer.Argument(help="change id")],
        reason: Annotated[str, typer.Option(help="why")] = "",
        as_: AsOption = "admin",
    ) -> None:
        """Approve: re-checked on the roster published now and applied as a new published version
        (exit 1 with the reasons when refused)."""
        _decide(change_id, as_, "approve", reason)

    @change.command("reject")
    def change_reject(
        change_id: Annotated[int, typer.Argument(help="change id")],
        reason: Annotated[str, typer.Option(help="why (required)")] = "",
        as_: AsOption = "admin",
    ) -> None:
        """Reject a change, saying why."""
        if not reason.strip():
            _fail("--reason is required: say why the change is rejected")
        _decide(change_id, as_, "reject", reason)

    @change.command("accept")
    def change_accept(
        change_id: Annotated[int, typer.Argument(help="change id")], as_: AsOption = "admin"
    ) -> None:
        """The partner of a swap agrees to it."""
        _decide(change_id, as_, "accept", "")

    @change.command("withdraw")
    def change_withdraw(
        change_id: Annotated[int, typer.Argument(help="change id")],
        reason: Annotated[str, typer.Option(help="why")] = "",
        as_: AsOption = "admin",
    ) -> None:
        """The requester takes a change back."""
        _decide(change_id, as_, "withdraw", reason)

    del change_list, change_show, change_submit, change_approve, change_reject, change_accept, change_withdraw
