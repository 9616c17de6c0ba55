"""Changes to the published roster: swap, cover, leave and coverage change, from submission to the
new published version.

Every request is judged by the referee (`solver.check`) on the roster as it would be after it,
against the scenario of the published version it lives in (`app.changes.judging.Situation`), with
the duties worked before "now" pinned. Only the hard rules it would newly break count against it.

Approval re-judges the change on the roster published *then* and applies it as a new published
version in the same transaction. Approvals are serialized: the change row and the published days
of the horizon are locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite writers take the database
lock with `BEGIN IMMEDIATE`), so the second of two racing approvals sees the first one's roster,
and is refused with 409 when its duty moved or a rule would now break; nothing is lost. An
approval that names the version it was judged on (`expected_roster_id`) is refused with 409 as
soon as another version has been published for the change's duties.

This module is the lifecycle (submit, accept, reject, withdraw, approve, re-plan) and reading;
each kind plans, judges and applies itself (`app.changes.kinds`), `app.changes.apply` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from app.accounts.access import UNAVAILABLE, change_reach, ensure_manages, home_unit, is_staff, sees_reasons
from app.accounts.models import User
from app.audit import service as audit
from app.changes import schemas as cs
from app.changes.apply import apply_change
from app.changes.judging import ChangeOptions
from app.changes.kinds import AnyRequest, Planned, request_for, request_of
from app.changes.links import officers_of, set_officers, set_units, units_of
from app.changes.models import (
    OPEN_CHANGE_STATUSES,
    ChangeKind,
    ChangeStatus,
    RosterChange,
    change_officers,
    change_units,
)
from app.changes.replan import proposal_status, queue_replan, stop_replan
from app.changes.stored import StoredProposal
from app.core.clock import utcnow
from app.core.errors import Conflict, ErrorDetail, Forbidden, NotFound
from app.core.paging import PageParams, fetch_page
from app.planning.schemas import diff_fields


def submit(session: Session, user: User, body: cs.ChangeCreate, options: ChangeOptions) -> RosterChange:
    """Store a request with the referee's verdict; leave and coverage changes also get a re-plan
    job (queued: the caller hands `change.job_id` to the runner after the commit)."""
    request = request_for(body)
    planned = request.plan(session, user, options)
    now = utcnow()
    accepted = request.partner_accepts and is_staff(user)  # the duty office asks for both
    change = RosterChange(
        kind=request.kind.value,
        status=ChangeStatus.ACCEPTED if accepted else ChangeStatus.SUBMITTED,
        requested_by=user.id,
        requester_name=user.username,
        payload=body.model_dump(mode="json"),
        reason=body.reason,
        decision_reason="",
        created_at=now,
        updated_at=now,
    )
    _write_plan(change, planned)
    session.add(change)
    session.flush()
    set_units(session, change.id, planned.units)
    set_officers(session, change.id, planned.officers)
    where = request.where()
    audit.record(
        session,
        "change.submitted",
        user,
        change_id=change.id,
        roster_id=change.base_roster_id,
        officer=where.officer,
        post=where.post,
        shift=where.shift,
        day=where.day,
        reason=body.reason,
        details={"kind": request.kind.value, "payload": change.payload},
    )
    if accepted:
        audit.record(
            session, "change.accepted", user, change_id=change.id, reason="submitted by the duty office"
        )
    _plan_next(session, change, planned, user, options)
    session.flush()
    return change


def _write_plan(change: RosterChange, planned: Planned) -> None:
    """The row's scope, verdict, context and (empty) proposal, as the plan worked them out."""
    change.base_roster_id = None if planned.scope is None else planned.scope.roster_id
    change.scope = None if planned.scope is None else planned.scope.dump()
    change.validation = None if planned.verdict is None else planned.verdict.stored().dump()
    change.context = planned.context.dump()
    if planned.proposal is not None:
        change.proposal = planned.proposal.dump()
    else:
        change.proposal = StoredProposal.empty().dump() if planned.empty_proposal else None
    change.proposal_roster_id = None
    change.job_id = None


def _plan_next(
    session: Session, change: RosterChange, planned: Planned, user: User, options: ChangeOptions
) -> None:
    """Leave and coverage: queue the re-plan, or record that nothing needs re-staffing."""
    if planned.snapshot_scenario is not None and planned.scope is not None:
        queue_replan(session, change, planned.scope.scope(), planned.snapshot_scenario, user, options)
    elif planned.proposal is not None:
        audit.record(
            session,
            "change.proposed",
            None,
            change_id=change.id,
            roster_id=change.base_roster_id,
            reason="not re-staffed: the slots are left short, to be filled by hand",
            details={
                "job_id": None,
                "changed": len(planned.proposal.removed),
                "ok": planned.verdict is None or planned.verdict.ok,
            },
        )
    elif planned.empty_proposal:
        audit.record(
            session,
            "change.proposed",
            None,
            change_id=change.id,
            roster_id=change.base_roster_id,
            reason="no published duty needs re-staffing",
            details={"job_id": None, "changed": 0, "ok": planned.verdict is None or planned.verdict.ok},
        )


def replan(session: Session, change: RosterChange, user: User, options: ChangeOptions) -> RosterChange:
    """Re-plan a leave or coverage change again, on the roster published now."""
    change = lock_change(session, change.id)
    ensure_manages(user, units_of(session, change.id), "re-plan changes")
    request = request_of(change)
    if not request.replanned:
        raise Conflict(
            f"change {change.id} is a {change.kind}: only leave and coverage changes are re-planned"
        )
    if change.status not in (ChangeStatus.SUBMITTED, ChangeStatus.FAILED):
        raise Conflict(f"change {change.id} is {change.status}")
    if proposal_status(session, change)[0] in ("pending", "running"):
        raise Conflict(f"change {change.id} is being re-planned already (job {change.job_id})")
    requester = session.get(User, change.requested_by) if change.requested_by else None
    planned = request_for(request.body).plan(session, request.planner(requester, user), options)
    change.status = ChangeStatus.SUBMITTED
    change.updated_at = utcnow()
    _write_plan(change, planned)
    set_units(session, change.id, planned.units)
    audit.record(session, "change.replanned", user, change_id=change.id, roster_id=change.base_roster_id)
    _plan_next(session, change, planned, user, options)
    session.flush()
    return change


def lock_change(session: Session, change_id: int) -> RosterChange:
    """The change row, locked until the transaction ends (PostgreSQL; SQLite serializes writers)."""
    change = session.scalar(
        select(RosterChange)
        .where(RosterChange.id == change_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if change is None:
        raise NotFound(f"no change {change_id}")
    return change


def _ensure_open(change: RosterChange, *allowed: ChangeStatus) -> None:
    if change.status not in allowed:
        raise Conflict(f"change {change.id} is {change.status}")


def _is_partner(user: User, request: AnyRequest) -> bool:
    partner = request.partner()
    return not is_staff(user) and user.officer_id is not None and user.officer_id == partner


def accept(session: Session, change_id: int, user: User) -> RosterChange:
    change = lock_change(session, change_id)
    request = request_of(change)
    if not request.partner_accepts:
        raise Conflict(f"change {change.id} is a {change.kind}: only swaps are accepted by a partner")
    partner = request.partner()
    if is_staff(user):
        ensure_manages(user, units_of(session, change.id), "accept swaps")
    elif not _is_partner(user, request):
        raise Forbidden(f"only {partner}, the officer asked to swap, may accept")
    _ensure_open(change, ChangeStatus.SUBMITTED)
    change.status = ChangeStatus.ACCEPTED
    change.updated_at = utcnow()
    audit.record(session, "change.accepted", user, change_id=change.id, officer=partner)
    session.flush()
    return change


def reject(session: Session, change_id: int, user: User, reason: str) -> RosterChange:
    """A dispatcher of the unit rejects; the partner of a swap may decline it before accepting."""
    change = lock_change(session, change_id)
    declining = _is_partner(user, request_of(change))
    if declining:
        _ensure_open(change, ChangeStatus.SUBMITTED)
    else:
        if not is_staff(user):
            raise Forbidden("only the duty office rejects changes (the partner of a swap may decline it)")
        ensure_manages(user, units_of(session, change.id), "reject changes")
        _ensure_open(change, *OPEN_CHANGE_STATUSES, ChangeStatus.FAILED)
    change.status = ChangeStatus.REJECTED
    change.decision_reason = reason
    change.updated_at = utcnow()
    audit.record(
        session,
        "change.rejected",
        user,
        change_id=change.id,
        reason=reason,
        details={"declined_by_partner": declining},
    )
    stop_replan(session, change)
    session.flush()
    return change


def withdraw(session: Session, change_id: int, user: User, reason: str = "") -> RosterChange:
    change = lock_change(session, change_id)
    if change.requested_by != user.id:
        if not is_staff(user):
            raise Forbidden("only the officer who asked may withdraw a change")
        ensure_manages(user, units_of(session, change.id), "withdraw changes")
    _ensure_open(change, *OPEN_CHANGE_STATUSES, ChangeStatus.FAILED)
    change.status = ChangeStatus.WITHDRAWN
    change.updated_at = utcnow()
    audit.record(session, "change.withdrawn", user, change_id=change.id, reason=reason)
    stop_replan(session, change)
    session.flush()
    return change


def approve(
    session: Session,
    change_id: int,
    user: User,
    reason: str,
    options: ChangeOptions,
    expected_roster_id: int | None = None,
) -> RosterChange:
    """Re-judge the change on the roster published now and apply it as a new published version."""
    change = lock_change(session, change_id)
    ensure_manages(user, units_of(session, change.id), "approve changes")
    request = request_of(change)
    if request.partner_accepts and change.status == ChangeStatus.SUBMITTED:
        raise Conflict(
            f"change {change.id} waits for {request.partner()} to accept the swap",
            [ErrorDetail("status", "submitted: not accepted yet")],
        )
    _ensure_open(change, request.ready_status)
    if request.replanned:
        status, message = proposal_status(session, change)
        if status != "ready":
            raise Conflict(
                f"the re-plan of change {change.id} is {status}"
                + (f": {message}" if status == "failed" and message else "")
                + ("; re-plan it again (POST /changes/{id}/replan)" if status == "failed" else ""),
                [ErrorDetail("proposal.status", status)],
            )
    audit.record(session, "change.approved", user, change_id=change.id, reason=reason)
    apply_change(session, change, request, user, reason, options, expected_roster_id)
    session.flush()
    return change


def get_change(session: Session, change_id: int, user: User) -> RosterChange:
    change = session.get(RosterChange, change_id)
    if change is None or not _visible(session, change, user):
        raise NotFound(f"no change {change_id}")
    return change


def _visible(session: Session, change: RosterChange, user: User) -> bool:
    if change.requested_by == user.id:
        return True
    reach = change_reach(user)
    return reach.everything or reach.sees(units_of(session, change.id), officers_of(session, change.id))


@dataclass(frozen=True)
class ChangeFilter:
    status: str | None = None
    kind: str | None = None
    unit: str | None = None
    officer: str | None = None


def list_changes(
    session: Session, user: User, f: ChangeFilter, page: PageParams
) -> tuple[list[RosterChange], int]:
    """Newest first. Officers see their own and those naming them; dispatchers their units'."""
    stmt = select(RosterChange)
    reach = change_reach(user)
    if not reach.everything:
        if reach.units:
            seen = select(change_units.c.change_id).where(change_units.c.unit_id.in_(sorted(reach.units)))
        else:
            seen = select(change_officers.c.change_id).where(
                change_officers.c.officer_id == (reach.officer or "")
            )
        stmt = stmt.where(or_(RosterChange.id.in_(seen), RosterChange.requested_by == user.id))
    if f.status:
        stmt = stmt.where(RosterChange.status == f.status)
    if f.kind:
        stmt = stmt.where(RosterChange.kind == f.kind)
    if f.unit:
        stmt = stmt.where(
            exists().where(change_units.c.change_id == RosterChange.id, change_units.c.unit_id == f.unit)
        )
    if f.officer:
        stmt = stmt.where(
            exists().where(
                change_officers.c.change_id == RosterChange.id, change_officers.c.officer_id == f.officer
            )
        )
    return fetch_page(session, stmt.order_by(RosterChange.id.desc()), page)


def _need_to_know(session: Session, check: cs.CheckOut, viewer: User) -> cs.CheckOut:
    """The check with each unavailability the viewer may not know the reason of said as "unavailable"."""
    violations = []
    for v in check.violations:
        if (
            v.rule == "unavailable"
            and v.officer is not None
            and not sees_reasons(viewer, v.officer, home_unit(session, v.officer))
        ):
            v = v.model_copy(update={"message": f"{v.shift or 'a'} duty overlaps: {UNAVAILABLE}"})
        violations.append(v)
    return check.model_copy(update={"violations": violations})


def hides_reason(session: Session, change: RosterChange, viewer: User | None) -> bool:
    """Whether a leave change's reason (why the officer is away) is kept from `viewer`: it is
    need-to-know like the unavailability it becomes (`access.sees_reasons`)."""
    if viewer is None or change.kind != ChangeKind.LEAVE or not change.reason:
        return False
    officer = str((change.payload or {}).get("officer", ""))
    return not sees_reasons(viewer, officer, home_unit(session, officer))


def unsaid(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "reason": UNAVAILABLE} if payload.get("reason") else payload


def read(session: Session, change: RosterChange, viewer: User | None = None) -> cs.ChangeRead:
    """The change as `viewer` may see it: why a colleague is unavailable only if they may know
    (`access.sees_reasons`); None: everything."""
    request = request_of(change)
    proposal = None
    if request.replanned:
        status, message = proposal_status(session, change)
        stored = StoredProposal.empty() if change.proposal is None else StoredProposal.load(change.proposal)
        proposal = cs.ProposalOut(
            status=status,
            job_id=change.job_id,
            roster_id=change.proposal_roster_id,
            message=message,
            carries=request.carries(),
            **diff_fields([x.assignment() for x in stored.added], [x.assignment() for x in stored.removed]),
        )
    check = None if change.validation is None else cs.CheckOut.model_validate(change.validation)
    if check is not None and viewer is not None:
        check = _need_to_know(session, check, viewer)
    hidden = hides_reason(session, change, viewer)
    return cs.ChangeRead(
        id=change.id,
        kind=change.kind,
        status=change.status,
        unit_ids=units_of(session, change.id),
        requested_by=cs.UserRef(id=change.requested_by, username=change.requester_name),
        officers=officers_of(session, change.id),
        payload=unsaid(change.payload) if hidden else change.payload,
        reason=UNAVAILABLE if hidden else change.reason,
        decision_reason=change.decision_reason,
        created_at=change.created_at,
        updated_at=change.updated_at,
        base_roster_id=change.base_roster_id,
        applied_roster_id=change.applied_roster_id,
        check=check,
        proposal=proposal,
        steps=[
            cs.StepOut(
                at=e.at,
                actor=e.actor,
                action=e.action.removeprefix("change."),
                reason=UNAVAILABLE if hidden and e.reason == change.reason else e.reason,
            )
            for e in audit.change_steps(session, change.id)
        ],
    )
