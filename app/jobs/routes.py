"""Roster jobs (Timefold's solve / status / stop shape): POST returns 202 at once; poll or stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from app.accounts.deps import AdminUser, StaffUser
from app.core.clock import utcnow
from app.core.db import SessionFactory
from app.core.deps import PageDep, SessionDep, SettingsDep
from app.core.errors import ErrorDetail, RuleViolation
from app.core.paging import Page
from app.core.schemas import RowId
from app.jobs import schemas as js
from app.jobs import service
from app.jobs.deps import RunnerDep
from app.jobs.models import ACTIVE_JOB_STATUSES, SolveJob

router = APIRouter(prefix="/jobs", tags=["roster jobs"])


@router.post("", status_code=202, summary="Request a roster: returns the queued job at once")
def create_job(
    body: js.JobCreate,
    user: StaffUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    background: BackgroundTasks,
    response: Response,
) -> js.JobRead:
    limit = settings.solver.time_limit if body.time_limit is None else body.time_limit
    if limit > settings.solver.max_time_limit:
        raise RuleViolation(
            f"time_limit is at most {settings.solver.max_time_limit:g} s",
            [ErrorDetail("body.time_limit", f"must be at most {settings.solver.max_time_limit:g}")],
        )
    job = service.create_job(
        session,
        user,
        start=body.start,
        days=body.days,
        unit_ids=body.units,
        time_limit=limit,
        history_days=settings.jobs.history_days,
    )
    background.add_task(runner.submit, job.id)  # runs after the response, so after the commit
    response.headers["Location"] = f"/jobs/{job.id}"
    return js.JobRead.model_validate(job)


@router.get("", summary="List jobs, newest first")
def list_jobs(
    _: StaffUser,
    session: SessionDep,
    page: PageDep,
    status: Annotated[js.JobStatusName | None, Query()] = None,
) -> Page[js.JobRead]:
    items, total = service.list_jobs(session, page, status)
    return Page.of([js.JobRead.model_validate(j) for j in items], total, page)


@router.get("/queue", summary="Queue depth, running jobs and their holders, live workers (admin)")
def queue_status(_: AdminUser, session: SessionDep, settings: SettingsDep, request: Request) -> js.QueueRead:
    others = [(k.name, k.model) for k in getattr(request.app.state, "job_kinds", ())]
    return js.QueueRead.model_validate(service.queue_status(session, settings.jobs.engine, others))


@router.get("/{job_id}", summary="A job's status, elapsed time, best objective and bound")
def get_job(job_id: RowId, _: StaffUser, session: SessionDep) -> js.JobRead:
    return js.JobRead.model_validate(service.get_job(session, job_id))


@router.post("/{job_id}/cancel", status_code=202, summary="Stop a job; a running one keeps its best roster")
def cancel_job(job_id: RowId, user: StaffUser, session: SessionDep) -> js.JobRead:
    return js.JobRead.model_validate(service.cancel_job(session, service.get_job(session, job_id), user))


def _read_job(factory: SessionFactory, job_id: int) -> js.JobRead | None:
    with factory() as session:
        job = session.get(SolveJob, job_id)
        return None if job is None else js.JobRead.model_validate(job)


def with_live_elapsed(job: js.JobRead, now: datetime) -> js.JobRead:
    """A running job with `elapsed` counted from its start to `now` (to the tenth of a second;
    past the time limit while the roster is checked and stored) where the worker's last report is
    older."""
    if job.status != "running" or job.started_at is None:
        return job
    live = round((now - job.started_at).total_seconds(), 1)
    return job.model_copy(update={"elapsed": live}) if live > job.elapsed else job


@router.get(
    "/{job_id}/events",
    summary="Server-sent events: `progress` whenever the job changes (a running job's elapsed time "
    "at least every second), then `end`",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def job_events(
    job_id: RowId, _: StaffUser, session: SessionDep, request: Request, settings: SettingsDep
) -> StreamingResponse:
    service.get_job(session, job_id)  # 404 before the stream starts
    factory: SessionFactory = request.app.state.session_factory
    interval = settings.jobs.progress_interval

    async def stream() -> AsyncIterator[str]:
        last = ""
        quiet = 0.0
        while True:
            job = await run_in_threadpool(_read_job, factory, job_id)
            if job is None:
                yield "event: end\ndata: {}\n\n"
                return
            job = with_live_elapsed(job, utcnow())
            data = job.model_dump_json()
            # a running job's elapsed time moves every second even while the solver finds nothing
            # new, so the stream says so steadily (at most one event a `progress_interval`)
            if data != last:
                last, quiet = data, 0.0
                yield f"event: progress\ndata: {data}\n\n"
            if job.status not in [s.value for s in ACTIVE_JOB_STATUSES]:
                yield f"event: end\ndata: {json.dumps({'status': job.status})}\n\n"
                return
            if quiet >= 15:
                quiet = 0.0
                yield ": keep-alive\n\n"
            if await request.is_disconnected():
                return
            await asyncio.sleep(interval)
            quiet += interval

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
