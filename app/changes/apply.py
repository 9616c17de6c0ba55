"""Applying an approved change: re-judged on the roster published now, written as a new published
version with its audit trail, in the caller's transaction; then what the change leaves besides
(`apply_lasting`: leave, coverage).

Approvals are serialized by locks: the caller holds the change row; here the published days of
the horizon are locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's writers already hold the
database lock, `BEGIN IMMEDIATE`), then everything is read again."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.audit import service as audit
from app.changes.judging import ChangeOptions, Situation
from app.changes.kinds import AnyRequest, Approving
from app.changes.links import add_units
from app.changes.models import ChangeStatus, RosterChange
from app.changes.publishing import lock_published, publish_for_change, store_scored
from app.changes.stored import StoredScope
from app.core.clock import utcnow
from app.core.errors import Conflict, ErrorDetail
from app.planning.scope import Scope, published_roster
from app.rosters.models import Roster, RosterStatus
from app.rosters.service import roster_duties
from solver import domain as d
from solver.diff import diff


def apply_change(
    session: Session,
    change: RosterChange,
    request: AnyRequest,
    user: User,
    reason: str,
    options: ChangeOptions,
    expected_roster_id: int | None = None,
) -> None:
    stored = None if change.scope is None else StoredScope.load(change.scope)
    roster_id: int | None = None
    if stored is not None:
        scope = _current_scope(session, stored, expected_roster_id)
        roster_id = _apply_on_roster(session, change, request, scope, user, options)
    elif request.published_since(session):
        raise Conflict(
            f"a roster has been published for change {change.id} since it was asked; "
            f"re-plan it first (POST /changes/{change.id}/replan)",
            [ErrorDetail("proposal", "made when nothing was published")],
        )
    request.apply_lasting(Approving(session, change, user, options, stored))
    change.status = ChangeStatus.APPLIED
    change.applied_roster_id = roster_id
    change.decision_reason = reason
    change.updated_at = utcnow()
    audit.record(session, "change.applied", user, change_id=change.id, roster_id=roster_id, reason=reason)
    session.flush()


def _current_scope(session: Session, stored: StoredScope, expected_roster_id: int | None) -> Scope:
    """The version published now on the change's anchor day, its days locked."""
    lock_published(session, stored.start, stored.scope().end)
    session.expire_all()
    unit, day = stored.anchor
    current = published_roster(session, unit, day)
    if current is None:
        raise Conflict(f"no roster is published for unit {unit} on {day} any more")
    if expected_roster_id is not None and current.id != expected_roster_id:
        raise Conflict(
            f"the published roster moved: version {current.id} is published for {unit} on "
            f"{day}, not {expected_roster_id}; look again",
            [ErrorDetail("body.expected_roster_id", f"now {current.id}")],
        )
    scope = Scope.of(current)
    if (scope.start, scope.end) != (stored.start, stored.scope().end):
        lock_published(session, scope.start, scope.end)
    return scope


def _apply_on_roster(
    session: Session,
    change: RosterChange,
    request: AnyRequest,
    scope: Scope,
    user: User,
    options: ChangeOptions,
) -> int | None:
    """The new published version holding the change (None: no duty changes, no new version)."""
    at = Situation.of(session, scope, options)
    changed = request.scenario_after(at.scenario)
    after = request.duties_after(at, change)
    verdict = at.judge(changed, after, "proposal" if request.replanned else "request")
    if not verdict.ok:
        raise verdict.refusal(f"change {change.id}")
    change.validation = verdict.stored().dump()
    delta = diff(at.published, after)
    if not delta.changed:
        return None
    target = _reuse_proposal(session, change, scope, after)
    if target is None:
        target = store_scored(
            session, at.frozen_of(changed), after, verdict.after, verdict.shortfalls, scope, user, change
        )
    publish_for_change(session, target, user, change, delta.removed, delta.added)
    add_units(session, change.id, {at.scenario.post(a.post).unit for a in (*delta.added, *delta.removed)})
    return target.id


def _reuse_proposal(
    session: Session, change: RosterChange, scope: Scope, after: Sequence[d.Assignment]
) -> Roster | None:
    """The re-planned draft itself when it is exactly the roster to publish."""
    if change.proposal_roster_id is None:
        return None
    draft = session.get(Roster, change.proposal_roster_id)
    if draft is None or draft.status != RosterStatus.DRAFT:
        return None
    if (draft.start, draft.days, tuple(draft.unit_ids)) != (scope.start, scope.days, scope.unit_ids):
        return None
    if set(roster_duties(session, draft.id)) != set(after):
        return None
    return draft
