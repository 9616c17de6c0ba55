"""The roster versions a change makes: the published days it locks, the new version it stores
(scored by the referee, short slots with the solver's reasons) and publishes, with the duties it
added and removed in the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.audit import service as audit
from app.changes.models import RosterChange
from app.planning.scope import Scope
from app.rosters.models import PublishedDay, Roster
from app.rosters.service import new_snapshot, publish, store_roster
from solver import domain as d
from solver.explain import shortfall_reasons


def lock_published(session: Session, start: date, end: date) -> None:
    """Lock the published days of [start, end), every unit (PostgreSQL; a no-op on SQLite)."""
    session.execute(
        select(PublishedDay.unit_id, PublishedDay.date)
        .where(PublishedDay.date >= start, PublishedDay.date < end)
        .order_by(PublishedDay.date, PublishedDay.unit_id)
        .with_for_update()
    ).all()


def store_scored(
    session: Session,
    scenario: d.Scenario,
    after: Sequence[d.Assignment],
    score: d.Score,
    shortfalls: Sequence[d.Shortfall],
    scope: Scope,
    user: User,
    change: RosterChange,
) -> Roster:
    """A new draft version of the scope holding `after`, as the referee scored it."""
    roster = d.Roster(
        scenario=scenario.name,
        status="FEASIBLE",
        assignments=tuple(sorted(after)),
        objective=score.total,
        bound=None,
        score=score,
        shortfalls=tuple(shortfall_reasons(scenario, list(after), shortfalls)),
        extra={"change_id": change.id, "based_on": scope.roster_id},
    )
    snapshot = new_snapshot(session, scenario)
    stored = store_roster(
        session, scenario, roster, snapshot_id=snapshot.id, unit_ids=list(scope.unit_ids), created_by=user.id
    )
    audit.record(
        session,
        "roster.created",
        user,
        roster_id=stored.id,
        change_id=change.id,
        reason=change.reason,
        details={"kind": change.kind, "based_on": scope.roster_id, "objective": roster.objective},
    )
    return stored


def publish_for_change(
    session: Session,
    target: Roster,
    user: User,
    change: RosterChange,
    removed: Sequence[d.Assignment],
    added: Sequence[d.Assignment] = (),
) -> None:
    """Publish the change's version (its rights were checked), and file the duties it moved."""
    publish(session, target, user, check_access=False, change_id=change.id, cause=change.kind)
    for action, duties in (("duty.removed", removed), ("duty.added", added)):
        for a in duties:
            audit.record_duty(session, action, a, user, roster_id=target.id, change_id=change.id)
