"""Leave: an officer is away for a span of local time. Their published duties in it go and the
roster is re-planned around the hole; on approval the span is recorded as unavailability."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages, is_staff, own_officer
from app.accounts.models import User
from app.changes.judging import ChangeOptions, Situation
from app.changes.kinds.base import Approving, Planned, Where
from app.changes.kinds.replanned import ReplanBasis, Replanned
from app.changes.models import ChangeKind
from app.changes.schemas import LeaveCreate
from app.changes.stored import StoredModel
from app.core.errors import Conflict, ErrorDetail, Forbidden, RuleViolation
from app.notifications.channels import NotificationKind
from app.notifications.service import notify_one
from app.planning.scope import Scope, published_roster
from app.reference.lookups import known
from app.reference.models import Officer, Unavailability
from app.reference.settings import zone_of
from app.rosters.models import Roster
from app.rosters.queries import published_duties_overlapping
from solver import domain as d


class LeaveSpan(StoredModel):
    span: tuple[datetime, datetime]


# Bases in this order so that the JSON keys come as they always have: span, then the re-plan's.
class LeaveContext(ReplanBasis, LeaveSpan):
    pass


def with_leave(s: d.Scenario, officer_id: str, span: d.Span) -> d.Scenario:
    return replace(
        s,
        officers=tuple(
            replace(o, unavailable=(*o.unavailable, span)) if o.id == officer_id else o for o in s.officers
        ),
    )


def leave_scope(session: Session, officer: Officer, span: d.Span) -> tuple[Scope, tuple[str, date]] | None:
    """The published version holding the officer's duties in the span (one version only), or the
    one published for their unit on the span's first day; None when there is neither."""
    rows = published_duties_overlapping(session, officer.id, span.start, span.end, zone_of(session))
    scopes: dict[tuple[object, ...], tuple[Scope, tuple[str, date]]] = {}
    for a, roster_id in rows:
        roster = session.get(Roster, roster_id)
        assert roster is not None
        scope = Scope.of(roster)
        scopes.setdefault((scope.start, scope.days, scope.unit_ids), (scope, (a.unit_id, a.date)))
    if len(scopes) > 1:
        spans = ", ".join(f"{s.start} + {s.days} days ({', '.join(s.unit_ids)})" for s, _ in scopes.values())
        raise RuleViolation(
            f"the leave reaches into more than one published roster ({spans}); ask once per roster",
            [ErrorDetail("body.end", "spans more than one published roster")],
        )
    if scopes:
        return next(iter(scopes.values()))
    roster = published_roster(session, officer.unit_id, span.start.date())
    if roster is None:
        return None
    return Scope.of(roster), (officer.unit_id, span.start.date())


class Leave(Replanned[LeaveCreate, LeaveContext]):
    kind = ChangeKind.LEAVE
    context_type = LeaveContext

    @property
    def span(self) -> d.Span:
        return d.Span(self.body.start, self.body.end, self.body.reason or "leave")

    def where(self) -> Where:
        return Where(officer=self.body.officer, day=self.body.start.date())

    def planner(self, requester: User | None, user: User) -> User:
        return requester or user  # an officer's own leave stays theirs, whoever re-plans it

    def plan(self, session: Session, user: User, options: ChangeOptions) -> Planned:
        officer = known(session, Officer, self.body.officer, "body.officer")
        if is_staff(user):
            ensure_manages(user, [officer.unit_id], "record leave")
        elif own_officer(user) != officer.id:
            raise Forbidden("officers may only ask for their own leave")
        elif not self.body.restaff:
            raise Forbidden("only the duty office records leave without re-staffing (restaff: false)")
        context = LeaveContext(span=(self.body.start, self.body.end))
        found = leave_scope(session, officer, self.span)
        if found is None:  # nothing published in or around the span: a record only
            return Planned([officer.id], {officer.unit_id}, context, empty_proposal=True)
        scope, anchor = found
        at = Situation.of(session, scope, options)
        return self.replanned_plan(
            at, anchor, [officer.id], {officer.unit_id}, context, restaff=self.body.restaff
        )

    def scenario_after(self, s: d.Scenario) -> d.Scenario:
        return with_leave(s, self.body.officer, self.span)

    def published_since(self, session: Session) -> bool:
        officer = session.get(Officer, self.body.officer)
        if officer is None:
            raise Conflict(f"officer {self.body.officer!r} no longer exists")
        return leave_scope(session, officer, self.span) is not None

    def apply_lasting(self, approving: Approving) -> None:
        approving.session.add(
            Unavailability(
                officer_id=self.body.officer,
                start=self.body.start,
                end=self.body.end,
                reason=(approving.change.reason or "leave")[:200],
            )
        )
        notify_one(
            approving.session,
            self.body.officer,
            NotificationKind.LEAVE_APPROVED,
            {"start": self.body.start.isoformat(), "end": self.body.end.isoformat()},
            change_id=approving.change.id,
        )
