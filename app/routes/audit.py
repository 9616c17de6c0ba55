"""The audit trail of the rosters, and the difference between two roster versions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.deps import SessionDep, StaffUser
from app.models import RosterAssignment
from app.routes.changes import PagingDep
from app.schemas import changes as cs
from app.services import change_audit as audit
from app.services.changes import diff_out
from app.services.rosters import get_roster
from solver import domain as d
from solver.repair import diff

router = APIRouter(tags=["audit"])


@router.get("/audit", summary="Every change to a roster, newest first: per roster, officer, duty or change")
def list_audit(
    _: StaffUser,
    session: SessionDep,
    paging: PagingDep,
    roster: Annotated[int | None, Query(description="roster version id")] = None,
    officer: Annotated[
        str | None, Query(description="events naming the officer, and their changes' steps")
    ] = None,
    post: Annotated[str | None, Query()] = None,
    shift: Annotated[str | None, Query()] = None,
    date: Annotated[date | None, Query()] = None,
    change: Annotated[int | None, Query(description="change request id")] = None,
    action: Annotated[
        str | None, Query(description="e.g. roster.published, change.applied, duty.added")
    ] = None,
) -> cs.AuditPage:
    f = audit.AuditFilter(
        roster=roster, officer=officer, post=post, shift=shift, day=date, change=change, action=action
    )
    items, total = audit.list_events(session, f, paging.limit, paging.offset)
    return cs.AuditPage(
        items=[
            cs.AuditEventRead(
                id=e.id,
                at=e.at,
                actor=e.actor,
                action=e.action,
                roster_id=e.roster_id,
                change_id=e.change_id,
                officer=e.officer_id,
                post=e.post_id,
                shift=e.shift_id,
                date=e.date,
                reason=e.reason,
                details=e.details,
            )
            for e in items
        ],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
        page=paging.page,
        size=paging.limit,
    )


def _duties(session: SessionDep, roster_id: int) -> list[d.Assignment]:
    rows = session.execute(
        select(
            RosterAssignment.date,
            RosterAssignment.shift_id,
            RosterAssignment.post_id,
            RosterAssignment.officer_id,
        ).where(RosterAssignment.roster_id == roster_id)
    )
    return [d.Assignment(*row) for row in rows]


@router.get(
    "/rosters/{roster_id}/diff/{other_id}", summary="Duties added and removed from one version to another"
)
def roster_diff(roster_id: int, other_id: int, _: StaffUser, session: SessionDep) -> cs.RosterDiffRead:
    get_roster(session, roster_id)
    get_roster(session, other_id)
    delta = diff(_duties(session, roster_id), _duties(session, other_id))
    return cs.RosterDiffRead(before=roster_id, after=other_id, **diff_out(delta.added, delta.removed))
