"""The audit trail of the rosters, and the difference between two roster versions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.deps import StaffUser
from app.audit import service
from app.audit.schemas import AuditEventRead, AuditPage, RosterDiffRead
from app.core.deps import NumberedPageDep, SessionDep
from app.core.schemas import RowId
from app.planning.schemas import diff_fields
from app.rosters.service import get_roster, roster_duties
from solver.diff import diff
from solver.io.limits import INT_MAX

router = APIRouter(tags=["audit"])


@router.get("/audit", summary="Every change to a roster, newest first: per roster, officer, duty or change")
def list_audit(
    _: StaffUser,
    session: SessionDep,
    paging: NumberedPageDep,
    roster: Annotated[int | None, Query(ge=1, le=INT_MAX, description="roster version id")] = None,
    officer: Annotated[
        str | None, Query(description="events naming the officer, and their changes' steps")
    ] = None,
    post: Annotated[str | None, Query()] = None,
    shift: Annotated[str | None, Query()] = None,
    date: Annotated[date | None, Query()] = None,
    change: Annotated[int | None, Query(ge=1, le=INT_MAX, description="change request id")] = None,
    action: Annotated[
        str | None, Query(description="e.g. roster.published, change.applied, duty.added")
    ] = None,
) -> AuditPage:
    f = service.AuditFilter(
        roster=roster, officer=officer, post=post, shift=shift, day=date, change=change, action=action
    )
    items, total = service.list_events(session, f, paging)
    return AuditPage.of([AuditEventRead.of(e) for e in items], total, paging)


@router.get(
    "/rosters/{roster_id}/diff/{other_id}", summary="Duties added and removed from one version to another"
)
def roster_diff(roster_id: RowId, other_id: RowId, _: StaffUser, session: SessionDep) -> RosterDiffRead:
    get_roster(session, roster_id)
    get_roster(session, other_id)
    delta = diff(roster_duties(session, roster_id), roster_duties(session, other_id))
    return RosterDiffRead(before=roster_id, after=other_id, **diff_fields(delta.added, delta.removed))
