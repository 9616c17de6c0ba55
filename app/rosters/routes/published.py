"""Queries on the published roster: duties, who is on duty at an instant, schedules, reports, feeds."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.accounts.access import ensure_reads_unit
from app.accounts.deps import CurrentUser, StaffUser
from app.accounts.models import User
from app.core.clock import local_now
from app.core.deps import PageDep, SessionDep, SettingsDep
from app.core.errors import ErrorDetail, NotFound, RuleViolation
from app.core.paging import Page
from app.groups import service as group_service
from app.groups.schemas import MyGroupRead
from app.levels.owed import with_owed_rest
from app.reference.settings import settings_row
from app.rosters import calendar as calendar_service
from app.rosters import queries
from app.rosters import schemas as rs
from app.rosters.exports.officers import officers_workbook

router = APIRouter(tags=["published roster"])

MAX_REPORT_DAYS = 93
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scoped(session: SessionDep, user: User, unit: str | None, **filters: object) -> queries.DutyFilter:
    """The filter narrowed to what the user may read (officers: their unit, and their own duties)."""
    refusal = f"officers may read the published roster of their own unit only, not {unit!r}"
    units = ensure_reads_unit(session, user, unit, refusal)
    return queries.DutyFilter(unit=unit, readable_units=units, own_officer=user.officer_id, **filters)  # type: ignore[arg-type]


def period(start: date, end: date | None) -> tuple[date, date]:
    end = end or start + timedelta(days=7)
    if end <= start or (end - start).days > MAX_REPORT_DAYS:
        raise RuleViolation(
            f"end must be after start, at most {MAX_REPORT_DAYS} days later",
            [ErrorDetail("query.end", f"must be after start and at most {MAX_REPORT_DAYS} days later")],
        )
    return start, end


@router.get("/duties", summary="Published duties by officer, post, unit, shift, date range")
def list_duties(
    user: CurrentUser,
    session: SessionDep,
    page: PageDep,
    officer: Annotated[str | None, Query()] = None,
    post: Annotated[str | None, Query(description="post id")] = None,
    post_name: Annotated[str | None, Query(max_length=200, description="text in the post's name")] = None,
    unit: Annotated[str | None, Query()] = None,
    shift: Annotated[str | None, Query()] = None,
    start: Annotated[date | None, Query()] = None,
    end: Annotated[date | None, Query(description="exclusive")] = None,
    group: Annotated[
        str | None, Query(max_length=64, description="duty group id: its members' duties")
    ] = None,
) -> Page[rs.DutyRead]:
    f = scoped(
        session,
        user,
        unit,
        officer=officer,
        post=post,
        post_name=post_name,
        shift=shift,
        group=group,
        start=start,
        end=end,
    )
    items, total = queries.duties(session, f, page)
    return Page.of(items, total, page)


@router.get("/on-duty", summary="Who is on duty at an instant (everyone, or at one post or unit)")
def on_duty(
    user: CurrentUser,
    session: SessionDep,
    at: Annotated[
        datetime,
        Query(description="e.g. 2021-11-09T03:00 (local time of the detachment) or with an offset"),
    ],
    post: Annotated[str | None, Query(description="post id")] = None,
    post_name: Annotated[
        str | None, Query(max_length=200, description="text in the post's name, e.g. 张掖东收费站")
    ] = None,
    unit: Annotated[str | None, Query()] = None,
) -> rs.OnDutyRead:
    return queries.on_duty(session, at, scoped(session, user, unit, post=post, post_name=post_name))


SCHEDULE_PLAN_DAYS = 28
"""Without `start`, my group's pattern is shown for this many days from today."""


@router.get("/me/schedule", summary="My own published duties, my duty group and its pattern")
def my_schedule(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    start: Annotated[date | None, Query()] = None,
    end: Annotated[date | None, Query(description="exclusive")] = None,
) -> rs.ScheduleRead:
    if user.officer_id is None:
        raise NotFound("this account is not linked to an officer")
    f = queries.DutyFilter(officer=user.officer_id, start=start, end=end)
    items, total = queries.duties(session, f, page)
    schedule = rs.ScheduleRead.of(items, total, page)
    row = group_service.group_of_officer(session, user.officer_id)
    if row is not None:
        first = start or local_now(settings.now, settings_row(session).timezone).date()
        days = min((end - first).days, MAX_REPORT_DAYS) if end is not None else SCHEDULE_PLAN_DAYS
        plan = group_service.pattern_plan(row, first, max(0, days))
        read = group_service.group_read(session, row)
        schedule.group = MyGroupRead(**read.model_dump(), plan=plan)
    return schedule


@router.get(
    "/reports/coverage",
    summary="Per unit and day: slots, officers needed and assigned, shortfalls with reasons",
)
def coverage_report(
    user: CurrentUser,
    session: SessionDep,
    start: Annotated[date, Query()],
    end: Annotated[date | None, Query(description="exclusive; default start + 7 days")] = None,
    unit: Annotated[str | None, Query()] = None,
    needs: Annotated[
        bool, Query(description="list each day's slots with what they need (the coverage in force)")
    ] = False,
) -> rs.CoverageReport:
    f = scoped(session, user, unit)
    units = {unit} if unit else f.readable_units
    return queries.coverage(session, *period(start, end), units, needs)


@router.get(
    "/reports/officers",
    summary="Per officer: duties, nights, hours, days off, owed rest; fairness per unit; owed-rest history",
)
def officer_report(
    _: StaffUser,
    session: SessionDep,
    start: Annotated[date, Query()],
    end: Annotated[date | None, Query(description="exclusive; default start + 7 days")] = None,
    unit: Annotated[str | None, Query(description="home unit")] = None,
) -> rs.StatsReport:
    report = queries.officer_stats(session, *period(start, end), None if unit is None else {unit})
    return with_owed_rest(session, report)


@router.get(
    "/reports/officers.xlsx",
    summary="The officers report as an xlsx workbook: officers, fairness, owed rest (补休) history",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def officer_report_xlsx(
    user: StaffUser,
    session: SessionDep,
    start: Annotated[date, Query()],
    end: Annotated[date | None, Query(description="exclusive; default start + 7 days")] = None,
    unit: Annotated[str | None, Query(description="home unit")] = None,
) -> Response:
    report = officer_report(user, session, start, end, unit)
    return Response(
        officers_workbook(report),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="officers-{report.start}.xlsx"'},
    )


@router.get(
    "/ical/{token}.ics",
    tags=["calendar feed"],
    summary="An officer's duties as an iCalendar feed (the secret URL is the credential)",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def calendar_feed(
    token: Annotated[str, Path(min_length=16, max_length=128)], session: SessionDep
) -> Response:
    body = calendar_service.feed_for_token(session, token)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "private, max-age=300",
            "Content-Disposition": 'inline; filename="duties.ics"',
        },
    )
