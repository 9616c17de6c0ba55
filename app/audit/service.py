"""The audit trail: one event per change to a roster, written in the transaction of that change.

Actions: `roster.generated`, `roster.created` (by an applied change), `roster.published`,
`roster.superseded`, `roster.deleted`; `change.submitted`, `change.accepted`, `change.proposed`,
`change.approved`, `change.rejected`, `change.withdrawn`, `change.applied`, `change.failed`;
`duty.added` and `duty.removed` for each duty an applied change moves; `group.created`,
`group.renamed`, `group.pattern_set`, `group.pattern_removed`, `group.member_added`,
`group.member_removed`, `group.deleted` for the duty groups (`details.group` names the group).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.changes.models import RosterChange, change_officers, change_units
from app.core.clock import utcnow
from app.core.paging import PageParams, fetch_page
from app.reference.models import Officer, Post
from app.rosters.models import roster_units
from solver import domain as d

SYSTEM = "system"


def record(
    session: Session,
    action: str,
    actor: User | None = None,
    *,
    actor_id: int | None = None,
    roster_id: int | None = None,
    change_id: int | None = None,
    officer: str | None = None,
    post: str | None = None,
    shift: str | None = None,
    day: date | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event; `actor` (or `actor_id` when only the id is known) None means the system."""
    if actor is None and actor_id is not None:
        actor = session.get(User, actor_id)
    event = AuditEvent(
        at=utcnow(),
        actor_id=None if actor is None else actor.id,
        actor=SYSTEM if actor is None else actor.username,
        action=action,
        roster_id=roster_id,
        change_id=change_id,
        officer_id=officer,
        post_id=post,
        shift_id=shift,
        date=day,
        reason=reason,
        details=details or {},
    )
    session.add(event)
    return event


def record_duty(
    session: Session,
    action: str,
    duty: d.Assignment,
    actor: User | None,
    *,
    roster_id: int | None,
    change_id: int | None,
    reason: str = "",
) -> None:
    record(
        session,
        action,
        actor,
        roster_id=roster_id,
        change_id=change_id,
        officer=duty.officer,
        post=duty.post,
        shift=duty.shift,
        day=duty.date,
        reason=reason,
    )


@dataclass(frozen=True)
class AuditFilter:
    roster: int | None = None
    officer: str | None = None
    """Events naming the officer, and every step of the changes that name them."""
    post: str | None = None
    shift: str | None = None
    day: date | None = None
    change: int | None = None
    action: str | None = None
    """Exact, or every action of a family when it ends with a dot (`change.`, `duty.`, `roster.`)."""
    actor: str | None = None
    """The username who did it (`system` for the service itself)."""
    kind: str | None = None
    """Events of change requests of this kind (swap, cover, leave, …)."""
    unit: str | None = None
    """Events of the unit: its changes', its posts' and officers' duties, its rosters'."""
    since: datetime | None = None
    """Events at or after this instant (UTC, naive)."""
    until: datetime | None = None
    """Events before this instant (UTC, naive)."""


def _of_unit(unit: str) -> ColumnElement[bool]:
    """An event is its change's units' (when it has one), else its post's, its officer's, its roster's."""
    rosters = select(roster_units.c.roster_id).where(roster_units.c.unit_id == unit)
    changes = select(change_units.c.change_id).where(change_units.c.unit_id == unit)
    posts = select(Post.id).where(Post.unit_id == unit)
    officers = select(Officer.id).where(Officer.unit_id == unit)
    no_change = AuditEvent.change_id.is_(None)
    return or_(
        AuditEvent.change_id.in_(changes),
        and_(no_change, AuditEvent.post_id.in_(posts)),
        and_(no_change, AuditEvent.post_id.is_(None), AuditEvent.officer_id.in_(officers)),
        and_(
            no_change,
            AuditEvent.post_id.is_(None),
            AuditEvent.officer_id.is_(None),
            AuditEvent.roster_id.in_(rosters),
        ),
    )


def _select(f: AuditFilter) -> Select[AuditEvent]:
    stmt = select(AuditEvent)
    if f.roster is not None:
        stmt = stmt.where(AuditEvent.roster_id == f.roster)
    if f.change is not None:
        stmt = stmt.where(AuditEvent.change_id == f.change)
    if f.officer is not None:
        naming = select(change_officers.c.change_id).where(change_officers.c.officer_id == f.officer)
        stmt = stmt.where(or_(AuditEvent.officer_id == f.officer, AuditEvent.change_id.in_(naming)))
    if f.post is not None:
        stmt = stmt.where(AuditEvent.post_id == f.post)
    if f.shift is not None:
        stmt = stmt.where(AuditEvent.shift_id == f.shift)
    if f.day is not None:
        stmt = stmt.where(AuditEvent.date == f.day)
    if f.action is not None and f.action.endswith("."):
        stmt = stmt.where(AuditEvent.action.startswith(f.action, autoescape=True))
    elif f.action is not None:
        stmt = stmt.where(AuditEvent.action == f.action)
    if f.actor is not None:
        stmt = stmt.where(AuditEvent.actor == f.actor)
    if f.kind is not None:
        stmt = stmt.where(
            AuditEvent.change_id.in_(select(RosterChange.id).where(RosterChange.kind == f.kind))
        )
    if f.unit is not None:
        stmt = stmt.where(_of_unit(f.unit))
    if f.since is not None:
        stmt = stmt.where(AuditEvent.at >= f.since)
    if f.until is not None:
        stmt = stmt.where(AuditEvent.at < f.until)
    return stmt


def list_events(session: Session, f: AuditFilter, page: PageParams) -> tuple[list[AuditEvent], int]:
    """Newest first."""
    return fetch_page(session, _select(f).order_by(AuditEvent.id.desc()), page)


def change_kinds(session: Session, events: list[AuditEvent]) -> dict[int, str]:
    """The kind of each change the events name (changes deleted since are left out)."""
    ids = {e.change_id for e in events if e.change_id is not None}
    if not ids:
        return {}
    rows = session.execute(select(RosterChange.id, RosterChange.kind).where(RosterChange.id.in_(ids)))
    return {change_id: kind for change_id, kind in rows}


def change_steps(session: Session, change_id: int) -> list[AuditEvent]:
    """The `change.*` events of one change, oldest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.change_id == change_id, AuditEvent.action.like("change.%"))
            .order_by(AuditEvent.id)
        )
    )
