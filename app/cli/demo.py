"""`roster demo`, the main job: load the Zhangye week, create demo accounts, declare the week 一级
for the whole detachment (the surge the sample tells of), solve the week in this process with a
progress bar, publish it (the owed rest accrues), say how to log in and ask who is on duty, and
serve."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import func, select

from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.changes import service as changes
from app.changes.judging import ChangeOptions
from app.changes.schemas import DutyLevelCreate
from app.cli.console import SolveProgress, fail_input, shortage_summary
from app.cli.context import database, load_settings, migrated
from app.cli.serve import serve_app
from app.core.config import Settings
from app.core.db import SessionFactory, transaction
from app.core.security import new_password
from app.jobs import service as jobs
from app.jobs.inline import run_inline
from app.levels.models import LevelDeclaration
from app.levels.owed import balances
from app.reference.models import Officer, Unit
from app.reference.settings import settings_row
from app.reference.transfer import import_scenario
from app.rosters import queries
from app.rosters.models import PublishedDay
from app.rosters.service import get_roster, publish
from app.tours.sample import fill_locations, grant_supervisors
from solver import domain as d
from solver.io.errors import InvalidDocument
from solver.io.load import read_document

DEMO_POST_NAME = "张掖东收费站"
DEMO_AT = datetime(2021, 11, 9, 3, 0)
SAMPLE = Path("data") / "zhangye-2021-11-08.json"
# the checkout's sample, or the working directory's (an installed copy, as in the Dockerfile)
DEFAULT_SCENARIO = next(
    (p for p in (Path(__file__).resolve().parents[2] / SAMPLE, Path.cwd() / SAMPLE) if p.exists()),
    SAMPLE,
)


def demo(
    scenario: Annotated[
        Path, typer.Option(help="scenario to load when the database is empty")
    ] = DEFAULT_SCENARIO,
    time_limit: Annotated[float, typer.Option(help="seconds to solve the week", min=1)] = 60.0,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    serve: Annotated[bool, typer.Option(help="serve the API afterwards")] = True,
    level: Annotated[
        bool, typer.Option(help="declare the week 一级 for the whole detachment before solving it")
    ] = True,
) -> None:
    """The main job: migrate, load the Zhangye week, create demo users, declare 一级, solve and
    publish, serve."""
    settings = load_settings()
    migrated(settings)
    with database(settings) as factory:
        ready = run_demo(factory, settings, scenario, time_limit, host, port, level)
    if ready and serve:
        serve_app(settings, host, port)


def _ensure_account(
    factory: SessionFactory, username: str, role: Role, units: list[str], officer: str | None
) -> str:
    """Create the account, or reset its password: the demo prints a fresh one each run."""
    password = new_password()
    with transaction(factory) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            accounts.create_user(session, username, role, password, units, officer)
        else:
            accounts.update_user(
                session, user, role=role, password=password, unit_ids=units, officer_id=officer
            )
    return password


def solve_and_publish(
    factory: SessionFactory, settings: Settings, username: str, time_limit: float, console: Console
) -> int | None:
    """Solve the stored horizon for every unit in this process, with a progress bar, and publish it.

    It goes through a job row like any roster request, so the result is stored the same way.
    """
    with transaction(factory) as session:
        row = settings_row(session)
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None and row.horizon_start is not None and row.horizon_days is not None
        job_id = jobs.create_job(
            session,
            user,
            start=row.horizon_start,
            days=row.horizon_days,
            unit_ids=None,
            time_limit=time_limit,
            history_days=settings.jobs.history_days,
        ).id

    def announce(scenario: d.Scenario, limit: float) -> None:
        console.print(
            f"solving {len(scenario.officers)} officers, {len(scenario.posts)} posts, "
            f"{scenario.start} + {scenario.days} days ({limit:g} s at most)"
        )

    with SolveProgress(console, time_limit) as bar:
        roster = run_inline(
            factory, job_id, settings.solver.workers, on_progress=bar.update, on_start=announce
        )
    with transaction(factory) as session:
        stored = jobs.get_job(session, job_id)
        if roster is None or stored.roster_id is None:
            console.print(f"[red]no roster: {stored.message}[/]")
            return None
        publish(session, get_roster(session, stored.roster_id), None)
        roster_id = stored.roster_id
    console.print(
        f"published roster version {roster_id}: {roster.status}, objective {roster.objective}, "
        f"bound {roster.bound}, {len(roster.assignments)} duties, {shortage_summary(roster)}"
    )
    return roster_id


DEMO_SUPERVISORS = ("hq-001", "hq-002", "hq-003", "hq-004", "hq-005")
"""Headquarters officers the demo makes supervisors (the sample has no supervisor skill)."""


def _tour_sample(factory: SessionFactory, settings: Settings, console: Console) -> None:
    """The sample's post coordinates (a checkout's data/zhangye_locations.py) and five supervisors."""
    try:
        from data.zhangye_locations import LOCATIONS
    except ImportError:  # an installed copy without the data/ package: no coordinates to add
        return
    with transaction(factory) as session:
        placed = fill_locations(session, LOCATIONS)
        supervisors = grant_supervisors(session, settings.tours.supervisor_skill, DEMO_SUPERVISORS)
    if placed or supervisors:
        console.print(
            f"tours: {placed} post(s) given the sample's coordinates; supervisors {', '.join(supervisors)}"
        )


def declare_level1(
    factory: SessionFactory, settings: Settings, start: date, days: int, console: Console
) -> None:
    """The sample week declared 一级 (level 1) for the whole detachment by the admin and approved, as
    a record (nothing is published yet): the solve then plans the level's coverage, the leave and
    requests 一级 cancels are cancelled, and publishing the week accrues the owed rest (补休)."""
    end = start + timedelta(days=days)
    with transaction(factory) as session:
        if session.scalar(
            select(func.count())
            .select_from(LevelDeclaration)
            .where(LevelDeclaration.start < end, LevelDeclaration.end > start)
        ):
            return
        admin = session.scalar(select(User).where(User.username == "admin"))
        assert admin is not None
        options = ChangeOptions.of(settings)
        body = DutyLevelCreate(
            kind="duty_level",
            units=None,
            level="level1",
            start=start,
            end=end,
            reason="疫情防控 启动一级勤务",
        )
        change = changes.submit(session, admin, body, options)
        context = dict(change.context or {})
        changes.approve(session, change.id, admin, "demo: the sample week's surge", options)
    console.print(
        f"declared 一级 (level 1) for the whole detachment, {start} – {end - timedelta(days=1)}: "
        f"{len(context.get('cancelled_leave', []))} leave span(s) and "
        f"{len(context.get('cancelled_requests', []))} request(s) cancelled"
    )


def owed_summary(factory: SessionFactory, console: Console) -> None:
    with factory() as session:
        owing = [b for b in balances(session, None) if b.days > 0]
    if owing:
        console.print(
            f"owed rest (补休): {len(owing)} officer(s) owed {sum(b.days for b in owing)} day(s), "
            f"due by {max(b.deadline for b in owing if b.deadline)}"
        )


def run_demo(
    factory: SessionFactory,
    settings: Settings,
    scenario_path: Path,
    time_limit: float,
    host: str,
    port: int,
    level: bool = True,
) -> bool:
    console = Console(highlight=False, soft_wrap=True)
    with factory() as session:
        officers = session.scalar(select(func.count()).select_from(Officer)) or 0
    if officers == 0:
        try:
            document = read_document(scenario_path)
        except InvalidDocument as exc:
            fail_input(exc, str(scenario_path))
        with transaction(factory) as session:
            result = import_scenario(session, document, False, None)
        console.print(
            f"loaded [bold]{scenario_path}[/]: {result.units} units, {result.posts} posts, "
            f"{result.officers} officers"
        )
    else:
        console.print(f"the database already holds {officers} officers: not importing {scenario_path}")

    _tour_sample(factory, settings, console)

    with factory() as session:
        row = settings_row(session)
        start, days = row.horizon_start, row.horizon_days
        all_units = list(session.scalars(select(Unit.id).order_by(Unit.id)))
        published = session.scalar(
            select(func.count()).select_from(PublishedDay).where(PublishedDay.date == start)
        )
    if start is None or days is None:
        console.print("[red]no horizon stored: import a scenario first[/]")
        return False
    passwords = {
        "admin": _ensure_account(factory, "admin", Role.ADMIN, [], None),
        "dispatcher": _ensure_account(factory, "dispatcher", Role.DISPATCHER, all_units, None),
    }

    if not published:
        if level:
            declare_level1(factory, settings, start, days, console)
        if solve_and_publish(factory, settings, "admin", time_limit, console) is None:
            return False
        owed_summary(factory, console)
    else:
        console.print(f"a roster is already published for {start}: not solving again")

    with factory() as session:
        on_duty = queries.on_duty(session, DEMO_AT, queries.DutyFilter(post_name=DEMO_POST_NAME))
    officer_id = on_duty.duties[0].officer if on_duty.duties else None
    if officer_id is not None:
        passwords["officer"] = _ensure_account(factory, "officer", Role.OFFICER, [], officer_id)

    base = f"http://{host}:{port}"
    console.print()
    console.print("[bold]Accounts[/] (passwords are new each run of `roster demo`):")
    for name, secret in passwords.items():
        extra = f"  (officer {officer_id})" if name == "officer" else ""
        console.print(f"  {name:<11} {secret}{extra}", markup=False)
    console.print()
    console.print(f"[bold]Log in[/] and ask who is on duty at {DEMO_POST_NAME} at {DEMO_AT:%Y-%m-%d %H:%M}:")
    login = f"-d username=dispatcher -d password={passwords['dispatcher']}"
    extract = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])'"
    console.print(f"  TOKEN=$(curl -s -X POST {base}/auth/token {login} | {extract})", markup=False)
    console.print(
        f'  curl -s -G -H "Authorization: Bearer $TOKEN" {base}/on-duty '
        f'--data-urlencode "post_name={DEMO_POST_NAME}" --data-urlencode "at={DEMO_AT:%Y-%m-%dT%H:%M}"',
        markup=False,
    )
    console.print(f"  API docs: {base}/docs", markup=False)
    console.print(f"  Web page: {base}/  (交警勤务排班, zh-CN / English)", markup=False)
    if settings.now is None and start + timedelta(days=days) <= date.today():
        # The sample week lies in the past: changes to it would all be refused as the frozen past.
        settings.now = datetime.combine(start + timedelta(days=1), time(12, 0))
        console.print(
            f"  The service takes {settings.now:%Y-%m-%d %H:%M} as now (set ROSTER_NOW to change it), "
            "so swaps, cover and leave can still change the sample week.",
            markup=False,
        )
    console.print()
    return True
