"""Duty level: a level (三级, 二级, 一级) declared for units and a period. The units' posts are
staffed by the level's coverage profile on those dates, the leave and requests the level cancels
(a setting: never sick leave or an injury) are cancelled, and the published roster is re-planned
around it like a coverage change. The impact (slots added and removed, the leave and requests
cancelled, the re-planned roster as a diff) is the change's context and proposal; approval
publishes the re-planned version, records the declaration, accrues the owed rest (补休) of the
period and cancels the leave and requests, telling each officer concerned. After the period the
coverage before it holds again."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages, is_staff
from app.accounts.models import User
from app.audit import service as audit
from app.changes.judging import ChangeOptions, Situation
from app.changes.kinds.base import Approving, Planned, Where
from app.changes.kinds.replanned import ReplanBasis, Replanned
from app.changes.models import ChangeKind
from app.changes.schemas import DutyLevelCreate
from app.changes.stored import StoredModel
from app.core.clock import utcnow
from app.core.errors import ErrorDetail, Forbidden, RuleViolation
from app.levels.models import LevelDeclaration
from app.levels.owed import accrue
from app.levels.service import cancelled_by
from app.notifications.channels import Message, NotificationKind, notify
from app.planning.levels import LevelPeriod, level_profile, with_levels
from app.planning.records import CoverageEntry
from app.planning.scenario import validated
from app.planning.scope import Scope, published_roster
from app.reference.models import Officer, OfficerRequest, Post, RequestStatus, Unavailability, Unit
from solver import domain as d


class CancelledLeave(StoredModel):
    officer: str
    start: datetime
    end: datetime
    reason: str


class CancelledRequest(StoredModel):
    officer: str
    kind: str
    date: date
    shift: str | None = None


class SlotChange(StoredModel):
    """A slot whose minimum the level changes: `before` and `after` officers needed."""

    post: str
    shift: str
    date: date
    before: int
    after: int


class LevelDeclared(StoredModel):
    units: list[str]
    profile: dict[str, list[CoverageEntry]]
    cancelled_leave: list[CancelledLeave]
    cancelled_requests: list[CancelledRequest]
    slots: list[SlotChange] | None = None


class LevelContext(ReplanBasis, LevelDeclared):
    pass


def slot_changes(before: d.Scenario, after: d.Scenario) -> list[SlotChange]:
    """The slots the level adds (before 0), removes (after 0) or resizes, by their minimum."""
    old = Counter({(x.post, x.shift, x.date): x.min for x in before.slots()})
    new = Counter({(x.post, x.shift, x.date): x.min for x in after.slots()})
    keys = sorted(set(old) | set(new), key=lambda k: (k[2], k[0], k[1]))
    return [
        SlotChange(post=p, shift=s, date=day, before=old.get((p, s, day), 0), after=new.get((p, s, day), 0))
        for p, s, day in keys
        if old.get((p, s, day), 0) != new.get((p, s, day), 0) or ((p, s, day) in old) != ((p, s, day) in new)
    ]


class DutyLevelRequest(Replanned[DutyLevelCreate, LevelContext]):
    kind = ChangeKind.DUTY_LEVEL
    context_type = LevelContext
    always_replanned = True

    def where(self) -> Where:
        return Where(day=self.body.start)

    def _units(self, session: Session, user: User) -> list[str]:
        if self.body.units is None:
            if user.role != "admin":
                raise Forbidden(
                    "only an admin declares a duty level for the whole detachment; name your units"
                )
            return sorted(session.scalars(select(Unit.id)))
        if not self.body.units:
            raise RuleViolation(
                "name at least one unit, or leave units out for the whole detachment",
                [ErrorDetail("body.units", "empty: name a unit, or omit the field for every unit")],
            )
        unknown = [
            ErrorDetail(f"body.units[{i}]", "unknown unit", unit)
            for i, unit in enumerate(self.body.units)
            if session.get(Unit, unit) is None
        ]
        if unknown:
            raise RuleViolation("unknown unit(s): " + ", ".join(str(e.id) for e in unknown), unknown)
        units = sorted(set(self.body.units))
        ensure_manages(user, units, "declare a duty level")
        return units

    def _scope(self, session: Session, units: list[str]) -> tuple[Scope, tuple[str, date]] | None:
        """The one published version holding every unit on the period's first day, when the period
        lies inside it; None when nothing is published then (a record only)."""
        body = self.body
        roster = published_roster(session, units[0], body.start)
        if roster is None:
            return None
        scope = Scope.of(roster)
        missing = [u for u in units if u not in scope.unit_ids]
        if missing or body.end > scope.end:
            raise RuleViolation(
                f"the period {body.start} to {body.end} and units {', '.join(units)} must lie in one "
                f"published roster ({scope.start} + {scope.days} days, {', '.join(scope.unit_ids)}); "
                "declare once per published roster",
                [ErrorDetail("body.end" if not missing else "body.units", "outside the published roster")],
            )
        return scope, (units[0], body.start)

    def plan(self, session: Session, user: User, options: ChangeOptions) -> Planned:
        if not is_staff(user):
            raise Forbidden("only the duty office declares a duty level")
        body = self.body
        units = self._units(session, user)
        posts = list(session.scalars(select(Post.id).where(Post.unit_id.in_(units))))
        profile = level_profile(session, body.level, posts)
        officers = self._officers(session, units)
        cancelled = cancelled_by(session, body.level, officers, body.start, body.end)
        self._context = LevelContext(
            units=units,
            profile={p: [CoverageEntry.of(c) for c in entries] for p, entries in sorted(profile.items())},
            cancelled_leave=[
                CancelledLeave(officer=u.officer_id, start=u.start, end=u.end, reason=u.reason)
                for u in cancelled.leave
            ],
            cancelled_requests=[
                CancelledRequest(officer=r.officer_id, kind=r.kind, date=r.date, shift=r.shift_id)
                for r in cancelled.requests
            ],
        )
        told = sorted(
            {x.officer for x in self._context.cancelled_leave}
            | {x.officer for x in self._context.cancelled_requests}
        )
        found = self._scope(session, units)
        if found is None:
            return Planned(told, set(units), self.context, empty_proposal=True)
        scope, anchor = found
        at = Situation.of(session, scope, options)
        slots = slot_changes(at.scenario, self.scenario_after(at.scenario))
        self._context = self.context.model_copy(update={"slots": slots})
        return self.replanned_plan(at, anchor, told, set(units), self.context)

    @staticmethod
    def _officers(session: Session, units: list[str]) -> list[str]:
        return sorted(o.id for o in session.scalars(select(Officer).where(Officer.unit_id.in_(units))))

    def period(self) -> LevelPeriod:
        ctx = self.context
        return LevelPeriod(
            self.body.level,
            self.body.start,
            self.body.end,
            frozenset(ctx.units),
            {p: tuple(c.coverage() for c in entries) for p, entries in ctx.profile.items()},
        )

    def scenario_after(self, s: d.Scenario) -> d.Scenario:
        ctx = self.context
        leave = {(x.officer, x.start, x.end) for x in ctx.cancelled_leave}
        requests = {(x.officer, x.kind, x.date, x.shift) for x in ctx.cancelled_requests}
        changed = with_levels(s, [self.period()])
        if leave or requests:
            changed = replace(
                changed,
                officers=tuple(
                    replace(
                        o,
                        unavailable=tuple(u for u in o.unavailable if (o.id, u.start, u.end) not in leave),
                        requests=tuple(
                            r for r in o.requests if (o.id, r.kind.value, r.date, r.shift) not in requests
                        ),
                    )
                    for o in changed.officers
                ),
            )
        return changed if changed is s else validated(changed)

    def published_since(self, session: Session) -> bool:
        return published_roster(session, self.context.units[0], self.body.start) is not None

    def apply_lasting(self, approving: Approving) -> None:
        session, change, ctx = approving.session, approving.change, self.context
        declaration = LevelDeclaration(
            level=self.body.level,
            start=self.body.start,
            end=self.body.end,
            unit_ids=list(ctx.units),
            change_id=change.id,
            declared_by=approving.user.id,
            created_at=utcnow(),
        )
        session.add(declaration)
        session.flush()
        accrue(session, declaration, approving.user)  # on the roster just published
        messages = []
        for x in ctx.cancelled_leave:
            row = session.scalar(
                select(Unavailability).where(
                    Unavailability.officer_id == x.officer,
                    Unavailability.start == x.start,
                    Unavailability.end == x.end,
                )
            )
            if row is not None:
                session.delete(row)
            details = {
                "what": "leave",
                "start": x.start.isoformat(),
                "end": x.end.isoformat(),
                "reason": x.reason,
            }
            messages.append(
                Message(
                    x.officer,
                    NotificationKind.REQUEST_CANCELLED,
                    {**details, "level": self.body.level},
                    change.id,
                )
            )
        for r in ctx.cancelled_requests:
            request = session.scalar(
                select(OfficerRequest).where(
                    OfficerRequest.officer_id == r.officer,
                    OfficerRequest.kind == r.kind,
                    OfficerRequest.date == r.date,
                    OfficerRequest.status == RequestStatus.APPROVED,
                )
            )
            if request is not None:
                request.status = RequestStatus.REJECTED
                request.note = (
                    request.note + f" [cancelled: duty level {self.body.level}, change {change.id}]"
                ).strip()
            details = {"what": r.kind, "start": r.date.isoformat(), "end": r.date.isoformat()}
            messages.append(
                Message(
                    r.officer,
                    NotificationKind.REQUEST_CANCELLED,
                    {**details, "level": self.body.level},
                    change.id,
                )
            )
        notify(session, messages)
        audit.record(
            session,
            "level.declared",
            approving.user,
            change_id=change.id,
            reason=change.reason,
            details={
                "level": self.body.level,
                "start": self.body.start.isoformat(),
                "end": self.body.end.isoformat(),
                "units": list(ctx.units),
                "cancelled_leave": len(ctx.cancelled_leave),
                "cancelled_requests": len(ctx.cancelled_requests),
            },
        )
        session.flush()
