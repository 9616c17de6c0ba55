"""Cover: officer B takes a duty of officer A (asked by either of them, or by the duty office)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages, is_staff, own_officer
from app.accounts.models import User
from app.changes.judging import ChangeOptions, Situation, published_scope
from app.changes.kinds.base import ChangeRequest, Planned, Where, duty_post, duty_where
from app.changes.models import ChangeKind, RosterChange
from app.changes.schemas import CoverCreate
from app.changes.stored import StoredModel, StoredScope
from app.changes.verdict import describe, ensure_held, ensure_still_held
from app.core.errors import Forbidden, RuleViolation
from app.planning.schemas import DutyOut
from app.reference.lookups import known
from app.reference.models import Officer
from solver import domain as d


class CoverContext(StoredModel):
    duty: DutyOut
    to_officer: str


def covered(published: Sequence[d.Assignment], a: d.Assignment, officer: str) -> list[d.Assignment]:
    taken = replace(a, officer=officer)
    if taken in set(published):
        raise RuleViolation(f"{officer} already holds that duty ({describe(taken)})")
    return sorted([x for x in published if x != a] + [taken])


class Cover(ChangeRequest[CoverCreate, CoverContext]):
    kind = ChangeKind.COVER
    context_type = CoverContext

    def where(self) -> Where:
        return duty_where(self.body.duty)

    def plan(self, session: Session, user: User, options: ChangeOptions) -> Planned:
        post = duty_post(session, self.body.duty, "body.duty")
        known(session, Officer, self.body.to_officer, "body.to_officer")
        a = self.body.duty.assignment()
        if is_staff(user):
            ensure_manages(user, [post.unit_id], "reassign duties")
        elif own_officer(user) not in (a.officer, self.body.to_officer):
            raise Forbidden("officers may only ask for cover of their own duties, or offer to take one")
        scope = published_scope(session, post.unit_id, a.date)
        at = Situation.of(session, scope, options)
        ensure_held(at.published, [(a, "body.duty")])
        verdict = at.judge(at.scenario, covered(at.published, a, self.body.to_officer), "request")
        return Planned(
            [a.officer, self.body.to_officer],
            {post.unit_id},
            CoverContext(duty=DutyOut.of(a), to_officer=self.body.to_officer),
            StoredScope.of(scope, (post.unit_id, a.date)),
            verdict,
        )

    def duties_after(self, at: Situation, change: RosterChange) -> list[d.Assignment]:
        a = self.context.duty.assignment()
        ensure_still_held(at.published, [a])
        return covered(at.published, a, self.context.to_officer)
