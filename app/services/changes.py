"""Changes to the published roster: swap, cover, leave and coverage change, from submission to the
new published version.

Every request is judged by the referee (`solver.check`) on the roster as it would be after it,
against the scenario of the published version it lives in (`change_scenario.Scope`), with the
duties worked before "now" pinned. Only the hard rules it would newly break count against it.

Approval re-judges the change on the roster published *then* and applies it as a new published
version in the same transaction. Approvals are serialized: the change row and the published days
of the horizon are locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite writers take the database
lock with `BEGIN IMMEDIATE`), so the second of two racing approvals sees the first one's roster,
and is refused with 409 when its duty moved or a rule would now break; nothing is lost. An
approval that names the version it was judged on (`expected_roster_id`) is refused with 409 as
soon as another version has been published for the change's duties.

This module is the lifecycle (submit, accept, reject, withdraw, approve, re-plan) and reading;
`change_plan` works a request out, `change_verdict` judges it, `change_apply` applies it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from app.errors import Conflict, ErrorDetail, Forbidden, NotFound
from app.models import (
    OPEN_CHANGE_STATUSES,
    REPLANNED_KINDS,
    ChangeKind,
    ChangeStatus,
    Role,
    RosterChange,
    SolveJob,
    User,
    change_officers,
    change_units,
)
from app.schemas import changes as cs
from app.services import change_audit as audit
from app.services.access import ensure_manages
from app.services.auth import utcnow
from app.services.change_apply import apply_change
from app.services.change_plan import (
    ChangeOptions,
    Planned,
    context_of,
    is_staff,
    officers_of,
    plan_cover,
    plan_coverage,
    plan_leave,
    plan_swap,
    scope_dict,
    set_officers,
    set_units,
    units_of,
)
from app.services.change_scenario import (
    Scope,
)
from app.services.change_verdict import duty_from_dict
from app.services.rosters import new_snapshot
from solver import domain as d
from solver.repair import RosterDiff


def submit(session: Session, user: User, body: cs.ChangeCreate, options: ChangeOptions) -> RosterChange:
    """Store a request with the referee's verdict; leave and coverage changes also get a re-plan
    job (queued: the caller hands `change.job_id` to the runner after the commit)."""
    if isinstance(body, cs.SwapCreate):
        planned = plan_swap(session, user, body, options)
    elif isinstance(body, cs.CoverCreate):
        planned = plan_cover(session, user, body, options)
    elif isinstance(body, cs.LeaveCreate):
        planned = plan_leave(session, user, body, options)
    else:
        planned = plan_coverage(session, user, body, options)
    now = utcnow()
    staff_swap = planned.kind is ChangeKind.SWAP and is_staff(user)
    change = RosterChange(
        kind=planned.kind.value,
        status=ChangeStatus.ACCEPTED if staff_swap else ChangeStatus.SUBMITTED,
        requested_by=user.id,
        requester_name=user.username,
        payload=body.model_dump(mode="json"),
        reason=body.reason,
        decision_reason="",
        created_at=now,
        updated_at=now,
        base_roster_id=None if planned.scope is None else planned.scope.roster_id,
        scope=None
        if planned.scope is None or planned.anchor is None
        else scope_dict(planned.scope, *planned.anchor),
        validation=None if planned.verdict is None else planned.verdict.as_dict(),
        context=planned.context,
    )
    if planned.empty_proposal:
        change.proposal = {"added": [], "removed": []}
    session.add(change)
    session.flush()
    set_units(session, change.id, planned.units)
    set_officers(session, change.id, planned.officers)
    where = _where(body)
    audit.record(
        session,
        "change.submitted",
        user,
        change_id=change.id,
        roster_id=change.base_roster_id,
        officer=where.get("officer"),
        post=where.get("post"),
        shift=where.get("shift"),
        day=where.get("date"),
        reason=body.reason,
        details={"kind": planned.kind.value, "payload": change.payload},
    )
    if staff_swap:
        audit.record(
            session, "change.accepted", user, change_id=change.id, reason="submitted by the duty office"
        )
    _plan_next(session, change, planned, user, options)
    session.flush()
    return change


def _plan_next(
    session: Session, change: RosterChange, planned: Planned, user: User, options: ChangeOptions
) -> None:
    """Leave and coverage: queue the re-plan, or record that nothing needs re-staffing."""
    if planned.snapshot_scenario is not None and planned.scope is not None:
        _queue_replan(session, change, planned.scope, planned.snapshot_scenario, user, options)
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


def _where(body: cs.SwapCreate | cs.CoverCreate | cs.LeaveCreate | cs.CoverageChangeCreate) -> dict[str, Any]:
    """The officer, post, shift and date an audit event of the request is filed under."""
    if isinstance(body, cs.SwapCreate | cs.CoverCreate):
        ref = body.duty
        return {"officer": ref.officer, "post": ref.post, "shift": ref.shift, "date": ref.date}
    if isinstance(body, cs.LeaveCreate):
        return {"officer": body.officer, "date": body.start.date()}
    return {"post": body.post, "shift": body.shift, "date": body.from_date}


def _queue_replan(
    session: Session,
    change: RosterChange,
    scope: Scope,
    scenario: d.Scenario,
    user: User,
    options: ChangeOptions,
) -> SolveJob:
    snapshot = new_snapshot(session, scenario)
    job = SolveJob(
        start=scope.start,
        days=scope.days,
        unit_ids=list(scope.unit_ids),
        time_limit=options.replan_time_limit,
        snapshot_id=snapshot.id,
        created_by=user.id,
        created_at=utcnow(),
        phase="re-plan",
        message=f"re-plan for change {change.id}",
    )
    session.add(job)
    session.flush()
    change.job_id = job.id
    change.proposal = None
    change.proposal_roster_id = None
    return job


def replan(session: Session, change: RosterChange, user: User, options: ChangeOptions) -> RosterChange:
    """Re-plan a leave or coverage change again, on the roster published now."""
    change = lock_change(session, change.id)
    ensure_manages(user, units_of(session, change.id), "re-plan changes")
    if change.kind not in REPLANNED_KINDS:
        raise Conflict(
            f"change {change.id} is a {change.kind}: only leave and coverage changes are re-planned"
        )
    if change.status not in (ChangeStatus.SUBMITTED, ChangeStatus.FAILED):
        raise Conflict(f"change {change.id} is {change.status}")
    if proposal_status(session, change)[0] in ("pending", "running"):
        raise Conflict(f"change {change.id} is being re-planned already (job {change.job_id})")
    requester = session.get(User, change.requested_by) if change.requested_by else None
    body = _replanned_request(change.payload)
    planned = (
        plan_leave(session, requester or user, body, options)
        if isinstance(body, cs.LeaveCreate)
        else plan_coverage(session, user, body, options)
    )
    change.status = ChangeStatus.SUBMITTED
    change.updated_at = utcnow()
    change.base_roster_id = None if planned.scope is None else planned.scope.roster_id
    change.scope = (
        None
        if planned.scope is None or planned.anchor is None
        else scope_dict(planned.scope, *planned.anchor)
    )
    change.validation = None if planned.verdict is None else planned.verdict.as_dict()
    change.context = planned.context
    change.proposal = {"added": [], "removed": []} if planned.empty_proposal else None
    change.proposal_roster_id = None
    change.job_id = None
    set_units(session, change.id, planned.units)
    audit.record(session, "change.replanned", user, change_id=change.id, roster_id=change.base_roster_id)
    _plan_next(session, change, planned, user, options)
    session.flush()
    return change


def _replanned_request(payload: dict[str, Any]) -> cs.LeaveCreate | cs.CoverageChangeCreate:
    if payload.get("kind") == ChangeKind.LEAVE:
        return cs.LeaveCreate.model_validate(payload)
    return cs.CoverageChangeCreate.model_validate(payload)


def proposal_status(session: Session, change: RosterChange) -> tuple[str, str]:
    """pending, running, ready or failed, with the job's message."""
    if change.proposal is not None:
        return "ready", ""
    job = None if change.job_id is None else session.get(SolveJob, change.job_id)
    if job is None:
        return "failed", "no re-plan job: re-plan again"
    if job.status == "queued":
        return "pending", job.message
    if job.status in ("running", "succeeded"):
        return "running", job.message
    return "failed", job.message


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


def accept(session: Session, change_id: int, user: User) -> RosterChange:
    change = lock_change(session, change_id)
    if change.kind != ChangeKind.SWAP:
        raise Conflict(f"change {change.id} is a {change.kind}: only swaps are accepted by a partner")
    partner = context_of(change).get("partner")
    if is_staff(user):
        ensure_manages(user, units_of(session, change.id), "accept swaps")
    elif user.officer_id is None or user.officer_id != partner:
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
    partner = context_of(change).get("partner")
    declining = (
        not is_staff(user)
        and change.kind == ChangeKind.SWAP
        and user.officer_id is not None
        and user.officer_id == partner
    )
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
    kind = ChangeKind(change.kind)
    if kind is ChangeKind.SWAP and change.status == ChangeStatus.SUBMITTED:
        raise Conflict(
            f"change {change.id} waits for {context_of(change).get('partner')} to accept the swap",
            [ErrorDetail("status", "submitted: not accepted yet")],
        )
    _ensure_open(change, ChangeStatus.ACCEPTED if kind is ChangeKind.SWAP else ChangeStatus.SUBMITTED)
    if kind in REPLANNED_KINDS:
        status, message = proposal_status(session, change)
        if status != "ready":
            raise Conflict(
                f"the re-plan of change {change.id} is {status}"
                + (f": {message}" if status == "failed" and message else "")
                + ("; re-plan it again (POST /changes/{id}/replan)" if status == "failed" else ""),
                [ErrorDetail("proposal.status", status)],
            )
    audit.record(session, "change.approved", user, change_id=change.id, reason=reason)
    apply_change(session, change, user, reason, options, expected_roster_id)
    session.flush()
    return change


def get_change(session: Session, change_id: int, user: User) -> RosterChange:
    change = session.get(RosterChange, change_id)
    if change is None or not _visible(session, change, user):
        raise NotFound(f"no change {change_id}")
    return change


def _visible(session: Session, change: RosterChange, user: User) -> bool:
    if user.role == Role.ADMIN or change.requested_by == user.id:
        return True
    if user.role == Role.DISPATCHER:
        return bool(set(units_of(session, change.id)) & set(user.unit_ids))
    return user.officer_id is not None and user.officer_id in officers_of(session, change.id)


@dataclass(frozen=True)
class ChangeFilter:
    status: str | None = None
    kind: str | None = None
    unit: str | None = None
    officer: str | None = None


def list_changes(
    session: Session, user: User, f: ChangeFilter, limit: int, offset: int
) -> tuple[list[RosterChange], int]:
    """Newest first. Officers see their own and those naming them; dispatchers their units'."""
    stmt = select(RosterChange)
    if user.role == Role.DISPATCHER:
        mine = select(change_units.c.change_id).where(change_units.c.unit_id.in_(user.unit_ids))
        stmt = stmt.where(or_(RosterChange.id.in_(mine), RosterChange.requested_by == user.id))
    elif user.role == Role.OFFICER:
        naming = select(change_officers.c.change_id).where(
            change_officers.c.officer_id == (user.officer_id or "")
        )
        stmt = stmt.where(or_(RosterChange.id.in_(naming), RosterChange.requested_by == user.id))
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
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(RosterChange.id.desc()).limit(limit).offset(offset))
    return list(rows), total


def _duties_out(items: Iterable[d.Assignment]) -> list[cs.DutyOut]:
    return [cs.DutyOut(officer=a.officer, post=a.post, shift=a.shift, date=a.date) for a in items]


def diff_out(added: Sequence[d.Assignment], removed: Sequence[d.Assignment]) -> dict[str, Any]:
    delta = RosterDiff(tuple(sorted(added)), tuple(sorted(removed)))
    return {
        "added": _duties_out(delta.added),
        "removed": _duties_out(delta.removed),
        "by_officer": {
            officer: cs.OfficerDiff(added=_duties_out(v["added"]), removed=_duties_out(v["removed"]))
            for officer, v in sorted(delta.by_officer().items())
        },
        "changed": delta.changed,
    }


def read(session: Session, change: RosterChange) -> cs.ChangeRead:
    proposal = None
    if change.kind in REPLANNED_KINDS:
        status, message = proposal_status(session, change)
        stored = change.proposal or {"added": [], "removed": []}
        proposal = cs.ProposalOut(
            status=status,  # type: ignore[arg-type]
            job_id=change.job_id,
            roster_id=change.proposal_roster_id,
            message=message,
            carries=(change.context or {}).get("carries", []),
            **diff_out(
                [duty_from_dict(x) for x in stored["added"]], [duty_from_dict(x) for x in stored["removed"]]
            ),
        )
    return cs.ChangeRead(
        id=change.id,
        kind=change.kind,
        status=change.status,
        unit_ids=units_of(session, change.id),
        requested_by=cs.UserRef(id=change.requested_by, username=change.requester_name),
        officers=officers_of(session, change.id),
        payload=change.payload,
        reason=change.reason,
        decision_reason=change.decision_reason,
        created_at=change.created_at,
        updated_at=change.updated_at,
        base_roster_id=change.base_roster_id,
        applied_roster_id=change.applied_roster_id,
        check=None if change.validation is None else cs.CheckOut.model_validate(change.validation),
        proposal=proposal,
        steps=[
            cs.StepOut(at=e.at, actor=e.actor, action=e.action.removeprefix("change."), reason=e.reason)
            for e in audit.change_steps(session, change.id)
        ],
    )
