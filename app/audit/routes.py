"""The audit trail of the rosters, and the difference between two roster versions."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from app.accounts.access import UNAVAILABLE
from app.accounts.deps import StaffUser
from app.accounts.models import User
from app.audit import service
from app.audit.schemas import AuditEventRead, AuditPage, MovedDuty, RosterDiffRead
from app.changes import service as changes
from app.changes.models import ChangeKind, RosterChange
from app.core.clock import utc_of_midnight
from app.core.deps import NumberedPageDep, SessionDep
from app.core.errors import ErrorDetail, InvalidInput
from app.core.schemas import Id, RowId, literal_of
from app.planning.schemas import DutyOut, diff_fields
from app.reference.settings import zone_of
from app.rosters.service import get_roster, roster_duties
from solver.diff import diff
from solver.io.limits import INT_MAX

Day = date  # the `date` parameter shadows the type
if TYPE_CHECKING:
    ChangeKindName = str
else:
    ChangeKindName = literal_of(ChangeKind)

router = APIRouter(tags=["audit"])


@router.get(
    "/audit",
    summary="Every change to a roster, newest first, by roster, officer, duty, change, who, kind, unit, date",
)
def list_audit(
    user: StaffUser,
    session: SessionDep,
    paging: NumberedPageDep,
    roster: Annotated[int | None, Query(ge=1, le=INT_MAX, description="roster version id")] = None,
    officer: Annotated[
        Id | None, Query(description="events naming the officer, and their changes' steps")
    ] = None,
    post: Annotated[Id | None, Query(description="events naming the post (a duty there)")] = None,
    shift: Annotated[Id | None, Query(description="events naming the shift type (a duty in it)")] = None,
    date: Annotated[Day | None, Query(description="events naming a duty on this date")] = None,
    change: Annotated[int | None, Query(ge=1, le=INT_MAX, description="change request id")] = None,
    action: Annotated[
        str | None,
        Query(
            max_length=32,
            description="e.g. roster.published, change.applied, duty.added; ending with a dot, every "
            "action of that family (roster., change., duty.)",
        ),
    ] = None,
    actor: Annotated[
        str | None, Query(max_length=64, description="who did it: a username, or `system`")
    ] = None,
    kind: Annotated[
        ChangeKindName | None, Query(description="events of change requests of this kind")
    ] = None,
    unit: Annotated[
        Id | None,
        Query(description="events of the unit: its rosters, its changes, its posts' and officers' duties"),
    ] = None,
    start: Annotated[
        Day | None, Query(description="events on or after this day (the detachment's local date)")
    ] = None,
    end: Annotated[Day | None, Query(description="events before this day (local date, exclusive)")] = None,
) -> AuditPage:
    if start is not None and end is not None and end <= start:
        raise InvalidInput("end must be after start", [ErrorDetail("query.end", "not after start")])
    zone = zone_of(session)
    f = service.AuditFilter(
        roster=roster,
        officer=officer,
        post=post,
        shift=shift,
        day=date,
        change=change,
        action=action,
        actor=actor,
        kind=kind,
        unit=unit,
        since=None if start is None else utc_of_midnight(start, zone),
        until=None if end is None else utc_of_midnight(end, zone),
    )
    items, total = service.list_events(session, f, paging)
    kinds = service.change_kinds(session, items)
    events = [AuditEventRead.of(e, None if e.change_id is None else kinds.get(e.change_id)) for e in items]
    return AuditPage.of([_as_seen(session, e, user) for e in events], total, paging)


def _as_seen(session: Session, event: AuditEventRead, user: User) -> AuditEventRead:
    """A leave change's reason in its events (and the payload recorded with them) only for those
    who may know why the officer is away (`app.changes.service.hides_reason`)."""
    if event.change_kind != ChangeKind.LEAVE or event.change_id is None:
        return event
    change = session.get(RosterChange, event.change_id)
    if change is None or not changes.hides_reason(session, change, user):
        return event
    details = dict(event.details or {})
    if isinstance(details.get("payload"), dict):
        details["payload"] = changes.unsaid(details["payload"])
    if details.get("reason") == change.reason:
        details["reason"] = UNAVAILABLE
    reason = UNAVAILABLE if event.reason == change.reason else event.reason
    return event.model_copy(update={"reason": reason, "details": details})


@router.get(
    "/rosters/{roster_id}/diff/{other_id}", summary="Duties added and removed from one version to another"
)
def roster_diff(roster_id: RowId, other_id: RowId, _: StaffUser, session: SessionDep) -> RosterDiffRead:
    get_roster(session, roster_id)
    get_roster(session, other_id)
    delta = diff(roster_duties(session, roster_id), roster_duties(session, other_id))
    moved = [MovedDuty(before=DutyOut.of(a), after=DutyOut.of(b)) for a, b in delta.moved()]
    return RosterDiffRead(
        before=roster_id, after=other_id, moved=moved, **diff_fields(delta.added, delta.removed)
    )
