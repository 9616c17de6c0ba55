"""Changes to the published roster (swap, cover, leave, coverage change) and who can cover a duty.

Lifecycle: submitted → (accepted by the partner, for swaps) → applied when a dispatcher of the
unit approves (a new published version), or rejected, withdrawn; leave and coverage changes are
re-planned by a solve job first (their `proposal`), and fail when no roster is possible.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Body, Query, Response

from app.accounts.deps import CurrentUser, StaffUser
from app.changes import cover as cover_service
from app.changes import schemas as cs
from app.changes import service
from app.changes import swaps as swap_service
from app.changes.judging import ChangeOptions
from app.changes.service import ChangeFilter
from app.core.deps import NumberedPageDep, SessionDep, SettingsDep
from app.core.schemas import Id, RowId
from app.jobs.deps import RunnerDep

log = logging.getLogger(__name__)

router = APIRouter(tags=["changes"])


@router.post("/changes", status_code=201, summary="Ask for a change; it is checked against the rules at once")
def submit_change(
    body: Annotated[cs.ChangeCreate, Body()],
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    background: BackgroundTasks,
    response: Response,
) -> cs.ChangeRead:
    change = service.submit(session, user, body, ChangeOptions.of(settings))
    if change.job_id is not None:
        background.add_task(runner.submit, change.job_id)  # after the response, so after the commit
    response.headers["Location"] = f"/changes/{change.id}"
    return service.read(session, change, user)


@router.get("/changes", summary="List changes, newest first (officers: theirs; dispatchers: their units')")
def list_changes(
    user: CurrentUser,
    session: SessionDep,
    paging: NumberedPageDep,
    status: Annotated[cs.ChangeStatusName | None, Query()] = None,
    kind: Annotated[cs.ChangeKindName | None, Query()] = None,
    unit: Annotated[str | None, Query()] = None,
    officer: Annotated[str | None, Query()] = None,
) -> cs.ChangePage:
    f = ChangeFilter(status=status, kind=kind, unit=unit, officer=officer)
    items, total = service.list_changes(session, user, f, paging)
    return cs.ChangePage.of([service.read(session, c, user) for c in items], total, paging)


@router.get("/changes/{change_id}", summary="One change: its check, proposal and steps")
def get_change(change_id: RowId, user: CurrentUser, session: SessionDep) -> cs.ChangeRead:
    return service.read(session, service.get_change(session, change_id, user), user)


@router.post("/changes/{change_id}/accept", summary="The partner of a swap agrees to it")
def accept_change(change_id: RowId, user: CurrentUser, session: SessionDep) -> cs.ChangeRead:
    service.get_change(session, change_id, user)
    return service.read(session, service.accept(session, change_id, user), user)


@router.post(
    "/changes/{change_id}/approve",
    summary="Approve: re-checked on the roster published now and applied as a new published version",
    responses={409: {"description": "a hard rule would break, the duty moved, or the change is not ready"}},
)
def approve_change(
    change_id: RowId,
    user: StaffUser,
    session: SessionDep,
    settings: SettingsDep,
    body: Annotated[cs.ApproveDecision | None, Body()] = None,
) -> cs.ChangeRead:
    service.get_change(session, change_id, user)
    decision = body or cs.ApproveDecision()
    options = ChangeOptions.of(settings)
    change = service.approve(session, change_id, user, decision.reason, options, decision.expected_roster_id)
    read = service.read(session, change, user)
    if settings.test_pause_in_approval:  # the crash tests' hook: still inside the transaction
        pause = settings.test_pause_in_approval
        log.warning("test hook: approval of change %s pauses %g s before its commit", change_id, pause)
        time.sleep(pause)
    return read


@router.post(
    "/changes/{change_id}/reject",
    summary="Reject, saying why (dispatchers of the unit; the partner of a swap may decline it)",
)
def reject_change(
    change_id: RowId, body: cs.RejectDecision, user: CurrentUser, session: SessionDep
) -> cs.ChangeRead:
    service.get_change(session, change_id, user)
    return service.read(session, service.reject(session, change_id, user, body.reason), user)


@router.post("/changes/{change_id}/withdraw", summary="The requester takes the change back")
def withdraw_change(
    change_id: RowId,
    user: CurrentUser,
    session: SessionDep,
    body: Annotated[cs.ChangeDecision | None, Body()] = None,
) -> cs.ChangeRead:
    service.get_change(session, change_id, user)
    reason = "" if body is None else body.reason
    return service.read(session, service.withdraw(session, change_id, user, reason), user)


@router.post(
    "/changes/{change_id}/replan",
    status_code=202,
    summary="Re-plan a leave or coverage change again, on the roster published now",
)
def replan_change(
    change_id: RowId,
    user: StaffUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    background: BackgroundTasks,
) -> cs.ChangeRead:
    change = service.replan(
        session, service.get_change(session, change_id, user), user, ChangeOptions.of(settings)
    )
    if change.job_id is not None:
        background.add_task(runner.submit, change.job_id)
    return service.read(session, change, user)


@router.get("/cover", summary="Who could take a duty: ranked by score change, and who could not, with why")
def who_can_cover(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    post: Annotated[str, Query(description="post id")],
    shift: Annotated[str, Query(description="shift type id")],
    date: Annotated[date, Query(description="the duty's start date")],
    officer: Annotated[str | None, Query(description="the officer holding it now, to be replaced")] = None,
) -> cs.CoverRead:
    return cover_service.cover(
        session,
        user,
        post_id=post,
        shift=shift,
        day=date,
        officer=officer,
        options=ChangeOptions.of(settings),
    )


@router.get(
    "/swap-offers",
    summary="Swaps an officer could ask for: colleagues' duties judged both ways, rule-breakers with why",
)
def swap_offers(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    post: Annotated[Id, Query(description="post id of the requester's duty")],
    shift: Annotated[Id, Query(description="shift type id of the requester's duty")],
    date: Annotated[date, Query(description="the requester's duty's start date")],
    officer: Annotated[Id, Query(description="the requester, who holds the duty")],
    days: Annotated[int, Query(ge=0, le=7, description="how many days before and after to look")] = 3,
) -> cs.SwapOffersRead:
    return swap_service.swap_offers(
        session,
        user,
        duty_ref=cs.DutyRef(officer=officer, post=post, shift=shift, date=date),
        days=days,
        options=ChangeOptions.of(settings),
    )
