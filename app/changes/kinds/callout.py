"""Call-out: an officer on standby (备勤) is called out to a post. Their standby duty becomes a duty
on the post (same date and shift unless given), optionally taking over another officer's duty
there; the duty office asks, the referee judges it, approval publishes it (audited like any
change: the duties removed and added)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages, is_staff
from app.accounts.models import User
from app.changes.judging import ChangeOptions, Situation, published_scope
from app.changes.kinds.base import ChangeRequest, Planned, Where, duty_post
from app.changes.models import ChangeKind, RosterChange
from app.changes.schemas import CallOutCreate
from app.changes.stored import StoredModel, StoredScope
from app.changes.verdict import describe, ensure_held, ensure_still_held
from app.core.errors import ErrorDetail, Forbidden, RuleViolation
from app.planning.schemas import DutyOut
from app.reference.lookups import known
from app.reference.models import Officer, Post, ShiftType
from solver import domain as d


class CallOutContext(StoredModel):
    standby_duty: DutyOut
    duty: DutyOut
    replaced: DutyOut | None = None


def called_out(
    published: list[d.Assignment], standby: d.Assignment, duty: d.Assignment, replaced: d.Assignment | None
) -> list[d.Assignment]:
    if duty in set(published):
        raise RuleViolation(f"{duty.officer} already holds that duty ({describe(duty)})")
    gone = {standby} | ({replaced} if replaced is not None else set())
    return sorted([a for a in published if a not in gone] + [duty])


class CallOut(ChangeRequest[CallOutCreate, CallOutContext]):
    kind = ChangeKind.CALL_OUT
    context_type = CallOutContext

    def where(self) -> Where:
        ctx = self._context
        target = ctx.duty if ctx is not None else self.body.standby_duty
        return Where(
            officer=self.body.standby_duty.officer, post=target.post, shift=target.shift, day=target.date
        )

    def plan(self, session: Session, user: User, options: ChangeOptions) -> Planned:
        if not is_staff(user):
            raise Forbidden("only the duty office calls out officers on standby")
        body = self.body
        standby_post = duty_post(session, body.standby_duty, "body.standby_duty")
        if not standby_post.standby:
            raise RuleViolation(
                f"post {standby_post.id!r} is not a standby post",
                [ErrorDetail("body.standby_duty.post", "not a standby post", standby_post.id)],
            )
        post = known(session, Post, body.post, "body.post")
        if post.standby:
            raise RuleViolation(
                f"post {post.id!r} is a standby post; call out to a post on duty",
                [ErrorDetail("body.post", "a standby post", post.id)],
            )
        shift = body.shift or body.standby_duty.shift
        known(session, ShiftType, shift, "body.shift")
        if body.replaces is not None:
            known(session, Officer, body.replaces, "body.replaces")
        ensure_manages(user, sorted({standby_post.unit_id, post.unit_id}), "call out officers")
        standby = body.standby_duty.assignment()
        duty = d.Assignment(body.date or standby.date, shift, post.id, standby.officer)
        replaced = None if body.replaces is None else replace(duty, officer=body.replaces)
        scope = published_scope(session, standby_post.unit_id, standby.date)
        at = Situation.of(session, scope, options)
        held = [(standby, "body.standby_duty")] + ([(replaced, "body.replaces")] if replaced else [])
        ensure_held(at.published, held)
        if not at.scenario.has_post(post.id):
            raise RuleViolation(
                f"post {post.id!r} is not in the published roster of {standby_post.unit_id}",
                [ErrorDetail("body.post", "outside the standby duty's roster", post.id)],
            )
        verdict = at.judge(at.scenario, called_out(at.published, standby, duty, replaced), "request")
        context = CallOutContext(
            standby_duty=DutyOut.of(standby),
            duty=DutyOut.of(duty),
            replaced=None if replaced is None else DutyOut.of(replaced),
        )
        officers = [standby.officer] + ([replaced.officer] if replaced else [])
        return Planned(
            officers,
            {standby_post.unit_id, post.unit_id},
            context,
            StoredScope.of(scope, (standby_post.unit_id, standby.date)),
            verdict,
        )

    def duties_after(self, at: Situation, change: RosterChange) -> list[d.Assignment]:
        ctx = self.context
        standby = ctx.standby_duty.assignment()
        replaced = None if ctx.replaced is None else ctx.replaced.assignment()
        ensure_still_held(at.published, [standby] + ([replaced] if replaced else []))
        return called_out(at.published, standby, ctx.duty.assignment(), replaced)
