"""`roster change …`: the change requests of the service, against its database (as the API
handles them; leave and coverage changes are re-planned in this process)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.table import Table

from app.accounts.models import User
from app.changes import schemas as cs
from app.changes import service
from app.changes.judging import ChangeOptions
from app.changes.replan import REPLAN_HOOKS
from app.changes.stored import REQUEST
from app.cli.console import SolveProgress, err, fail, out
from app.cli.context import acting, database, load_settings, migrated
from app.core.db import SessionFactory, transaction
from app.core.errors import Conflict, validation_path
from app.core.paging import PageParams
from app.jobs.inline import run_inline

app = typer.Typer(help="Changes to the published roster: swap, cover, leave, coverage.", no_args_is_help=True)

DutyOption = Annotated[
    str | None, typer.Option(help="a duty as OFFICER/POST/SHIFT/DATE, e.g. gz-01/g30-east/D/2021-11-10")
]
AsOption = Annotated[str, typer.Option("--as", help="the account acting (its role and units apply)")]
KINDS = "swap, cover, leave or coverage_change"


def _duty(text: str | None, option: str) -> dict[str, str] | None:
    if text is None:
        return None
    parts = text.split("/")
    if len(parts) != 4 or not all(parts):
        fail(f"{option} must be OFFICER/POST/SHIFT/DATE, e.g. gz-01/g30-east/D/2021-11-10, not {text!r}")
    return dict(zip(("officer", "post", "shift", "date"), parts, strict=True))


def _shown(factory: SessionFactory, change_id: int, as_: str) -> cs.ChangeRead:
    with factory() as session:
        return service.read(session, service.get_change(session, change_id, acting(session, as_)))


def _print_change(change: cs.ChangeRead) -> None:
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


@app.command("list")
def list_changes(
    status: Annotated[str | None, typer.Option(help="submitted, accepted, applied, rejected, …")] = None,
    kind: Annotated[str | None, typer.Option(help=KINDS)] = None,
    unit: Annotated[str | None, typer.Option()] = None,
    officer: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    as_: AsOption = "admin",
) -> None:
    """List changes, newest first."""
    settings = load_settings()
    with database(settings) as factory, factory() as session:
        user = acting(session, as_)
        f = service.ChangeFilter(status=status, kind=kind, unit=unit, officer=officer)
        items, total = service.list_changes(session, user, f, PageParams(limit, 0))
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


@app.command("show")
def show(
    change_id: Annotated[int, typer.Argument(help="change id")],
    as_json: Annotated[bool, typer.Option("--json", help="the API's ChangeRead document")] = False,
    as_: AsOption = "admin",
) -> None:
    """One change: its check, proposal and steps."""
    settings = load_settings()
    with database(settings) as factory:
        read = _shown(factory, change_id, as_)
    if as_json:
        typer.echo(read.model_dump_json(indent=1))
    else:
        _print_change(read)


def _request_fields(kind: str, given: dict[str, Any]) -> dict[str, Any]:
    """The request body's fields for KIND from the command's options (exit 2 for an unknown kind
    or a duty that is not OFFICER/POST/SHIFT/DATE)."""
    duty, with_duty = _duty(given["duty"], "--duty"), _duty(given["with_duty"], "--with-duty")
    fields: dict[str, dict[str, object]] = {
        "swap": {"kind": kind, "duty": duty, "with_duty": with_duty},
        "cover": {"kind": kind, "duty": duty, "to_officer": given["to"]},
        "leave": {"kind": kind, "officer": given["officer"], "start": given["start"], "end": given["end"]},
        "coverage_change": {
            "kind": kind,
            "post": given["post"],
            "shift": given["shift"],
            "from_date": given["from_date"],
            "min": given["minimum"],
            "max": given["maximum"],
        },
    }
    if kind not in fields:
        fail(f"KIND must be {KINDS}, not {kind!r}")
    return {k: v for k, v in fields[kind].items() if v is not None or k in ("duty", "with_duty")}


@app.command("submit")
def submit(
    kind: Annotated[str, typer.Argument(help=KINDS)],
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
    minimum: Annotated[int | None, typer.Option("--min", help="coverage_change: officers at least")] = None,
    maximum: Annotated[
        int | None, typer.Option("--max", help="coverage_change: at most (default min)")
    ] = None,
    reason: Annotated[str, typer.Option(help="why")] = "",
    wait: Annotated[bool, typer.Option(help="leave, coverage_change: re-plan now, in this process")] = True,
    as_: AsOption = "admin",
) -> None:
    """Ask for a change; it is checked against the rules at once (exit 1 when it breaks one)."""
    given = {
        "duty": duty,
        "with_duty": with_duty,
        "to": to,
        "officer": officer,
        "start": start,
        "end": end,
        "post": post,
        "shift": shift,
        "from_date": from_date,
        "minimum": minimum,
        "maximum": maximum,
    }
    raw = _request_fields(kind, given)
    try:
        body = REQUEST.validate_python({**raw, "reason": reason})
    except ValidationError as exc:
        fail(
            "the request is not valid: "
            + "; ".join(f"{validation_path(e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors())
        )
    settings = load_settings()
    migrated(settings)
    options = ChangeOptions.of(settings)
    with database(settings) as factory:
        with transaction(factory) as session:
            created = service.submit(session, acting(session, as_), body, options)
            change_id, job_id = created.id, created.job_id
        if job_id is not None and wait:
            with SolveProgress(err, options.replan_time_limit) as bar:
                run_inline(factory, job_id, settings.solver.workers, REPLAN_HOOKS, bar.update)
        read = _shown(factory, change_id, as_)
    _print_change(read)
    if read.check is not None and not read.check.ok:
        raise typer.Exit(1)


def _decide(change_id: int, as_: str, step: str, reason: str) -> None:
    settings = load_settings()
    options = ChangeOptions.of(settings)
    with database(settings) as factory:
        try:
            with transaction(factory) as session:
                user: User = acting(session, as_)
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
        _print_change(_shown(factory, change_id, as_))


@app.command("approve")
def approve(
    change_id: Annotated[int, typer.Argument(help="change id")],
    reason: Annotated[str, typer.Option(help="why")] = "",
    as_: AsOption = "admin",
) -> None:
    """Approve: re-checked on the roster published now and applied as a new published version
    (exit 1 with the reasons when refused)."""
    _decide(change_id, as_, "approve", reason)


@app.command("reject")
def reject(
    change_id: Annotated[int, typer.Argument(help="change id")],
    reason: Annotated[str, typer.Option(help="why (required)")] = "",
    as_: AsOption = "admin",
) -> None:
    """Reject a change, saying why."""
    if not reason.strip():
        fail("--reason is required: say why the change is rejected")
    _decide(change_id, as_, "reject", reason)


@app.command("accept")
def accept(change_id: Annotated[int, typer.Argument(help="change id")], as_: AsOption = "admin") -> None:
    """The partner of a swap agrees to it."""
    _decide(change_id, as_, "accept", "")


@app.command("withdraw")
def withdraw(
    change_id: Annotated[int, typer.Argument(help="change id")],
    reason: Annotated[str, typer.Option(help="why")] = "",
    as_: AsOption = "admin",
) -> None:
    """The requester takes a change back."""
    _decide(change_id, as_, "withdraw", reason)
