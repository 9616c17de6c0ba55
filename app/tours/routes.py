"""Tour plans (督导检查): POST returns the queued job at once (202); poll the job; read the plan,
its versions and the referee's report; re-plan a day when a supervisor is called away.
Dispatchers and admins plan; a supervisor (an officer account) reads the plans they are in,
with their own routes only."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from fastapi.responses import HTMLResponse

from app.accounts.access import is_staff
from app.accounts.deps import CurrentUser, StaffUser
from app.core.deps import PageDep, SessionDep, SettingsDep
from app.core.errors import Forbidden
from app.core.paging import Page
from app.jobs.engines import Submitter
from app.tours import exports, service
from app.tours import schemas as ts
from app.tours.models import TourPlanRow, TourPlanVersion

router = APIRouter(prefix="/tours", tags=["tour plans"])
jobs_router = APIRouter(prefix="/tour-jobs", tags=["tour plans"])


def _runner(request: Request) -> Submitter:
    """The job engine's door for tour jobs (the same engine as roster jobs')."""
    runner: Submitter = request.app.state.tour_runner
    return runner


def plan_read(
    plan: TourPlanRow, version: TourPlanVersion, versions: int, document: dict[str, Any]
) -> ts.TourPlanRead:
    problem = plan.problem
    return ts.TourPlanRead(
        id=plan.id,
        start=plan.start,
        days=plan.days,
        version=ts.TourVersionRead.model_validate(version),
        versions=versions,
        timezone=problem["timezone"],
        dates=problem["dates"],
        supervisors=problem["supervisors"],
        sites=problem["sites"],
        depots=problem["depots"],
        routes=document["routes"],
        missed=document["missed"],
        not_visited=document["not_visited"],
        interruptions=document["interruptions"],
    )


@router.post(
    "", status_code=202, summary="Plan the supervisors' tours of a horizon from the published roster"
)
def create_plan(
    body: ts.TourPlanCreate,
    user: StaffUser,
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    background: BackgroundTasks,
    response: Response,
) -> ts.TourJobRead:
    job = service.create_plan(
        session,
        user,
        settings,
        start=body.start,
        days=body.days,
        supervisors=body.supervisors,
        time_limit_per_day=body.time_limit_per_day,
        solution_limit=body.solution_limit,
        travel_matrix=body.travel_matrix,
        rules=body.rules,
    )
    background.add_task(_runner(request).submit, job.id)  # after the response, so after the commit
    response.headers["Location"] = f"/tour-jobs/{job.id}"
    return ts.TourJobRead.model_validate(job)


@router.get("", summary="Tour plans, newest first (a supervisor: those they are in)")
def list_plans(user: CurrentUser, session: SessionDep, page: PageDep) -> Page[ts.TourPlanSummary]:
    items, total = service.list_plans(session, user, page)
    return Page.of([ts.TourPlanSummary.model_validate(p) for p in items], total, page)


@router.get("/{plan_id}", summary="A tour plan: sites with coordinates, routes, visits, missed checkpoints")
def get_plan(
    plan_id: int,
    user: CurrentUser,
    session: SessionDep,
    version: Annotated[int | None, Query(ge=1, description="default: the latest")] = None,
) -> ts.TourPlanRead:
    plan = service.get_plan(session, plan_id, user)
    row = service.get_version(session, plan, version)
    return plan_read(plan, row, plan.latest_version, service.mine_only(user, row.document))


@router.get("/{plan_id}/versions", summary="The versions of a tour plan (the solve, then each re-plan)")
def list_versions(plan_id: int, user: CurrentUser, session: SessionDep) -> list[ts.TourVersionRead]:
    plan = service.get_plan(session, plan_id, user)
    return [ts.TourVersionRead.model_validate(v) for v in service.list_versions(session, plan)]


@router.get("/{plan_id}/check", summary="The referee: windows, durations, travel times, frequency")
def check_plan(
    plan_id: int,
    user: StaffUser,
    session: SessionDep,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> ts.TourCheckRead:
    plan = service.get_plan(session, plan_id, user)
    row = service.get_version(session, plan, version)
    report = service.check(plan, row)
    m = report.metrics
    return ts.TourCheckRead(
        ok=report.ok,
        version=row.version,
        violations=[
            ts.TourViolationRead(
                rule=v.rule, supervisor=v.supervisor, site=v.site, date=v.date, message=v.message
            )
            for v in report.violations
        ],
        routes=m.routes,
        visits=m.visits,
        drive_minutes=m.drive_minutes,
        km=round(m.km, 3),
        required=m.required,
        met=m.met,
        share_met=round(m.share_met, 4),
        missed_by_reason=dict(m.missed_by_reason),
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/{plan_id}/export.xlsx",
    summary="The plan as a workbook: a summary, a sheet per supervisor and day, the checkpoints not reached",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def export_xlsx(
    plan_id: int, user: StaffUser, session: SessionDep, version: Annotated[int | None, Query(ge=1)] = None
) -> Response:
    plan = service.get_plan(session, plan_id, user)
    row = service.get_version(session, plan, version)
    content = exports.workbook(plan.problem, row.document, plan.id, row.version)
    name = f"tours-{plan.id}-v{row.version}.xlsx"
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get(
    "/{plan_id}/sheet.html",
    summary="A supervisor's printable day sheet (HTML): the tours in order, arrival and departure",
    response_class=HTMLResponse,
)
def day_sheet(
    plan_id: int,
    supervisor: Annotated[str, Query(max_length=64)],
    day: Annotated[date, Query(alias="date")],
    user: CurrentUser,
    session: SessionDep,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> HTMLResponse:
    plan = service.get_plan(session, plan_id, user)
    if not is_staff(user) and user.officer_id != supervisor:
        raise Forbidden("a supervisor may print only their own day sheet")
    row = service.get_version(session, plan, version)
    return HTMLResponse(exports.day_sheet(plan.problem, row.document, plan.id, row.version, supervisor, day))


@router.post(
    "/{plan_id}/replan", status_code=202, summary="A supervisor is called away: re-plan the rest of the day"
)
def replan(
    plan_id: int,
    body: ts.TourReplanCreate,
    user: StaffUser,
    session: SessionDep,
    request: Request,
    background: BackgroundTasks,
    response: Response,
) -> ts.TourJobRead:
    plan = service.get_plan(session, plan_id, user)
    job = service.replan(session, user, plan, body.supervisor, body.at)
    background.add_task(_runner(request).submit, job.id)
    response.headers["Location"] = f"/tour-jobs/{job.id}"
    return ts.TourJobRead.model_validate(job)


@jobs_router.get("", summary="Tour jobs, newest first")
def list_jobs(
    _: StaffUser, session: SessionDep, page: PageDep, plan: Annotated[int | None, Query()] = None
) -> Page[ts.TourJobRead]:
    items, total = service.list_jobs(session, page, plan)
    return Page.of([ts.TourJobRead.model_validate(j) for j in items], total, page)


@jobs_router.get("/{job_id}", summary="A tour job: status, days planned of the horizon, its version")
def get_job(job_id: int, _: StaffUser, session: SessionDep) -> ts.TourJobRead:
    return ts.TourJobRead.model_validate(service.get_job(session, job_id))


@jobs_router.post("/{job_id}/cancel", status_code=202, summary="Stop a tour job (nothing is stored)")
def cancel_job(job_id: int, _: StaffUser, session: SessionDep) -> ts.TourJobRead:
    return ts.TourJobRead.model_validate(service.cancel_job(session, service.get_job(session, job_id)))
