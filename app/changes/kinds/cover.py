"""Cover: officer B takes a duty of officer A (asked by either of them, or by the duty office), or
fills an empty seat of a short slot (the duty office, from the roster grid)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages, is_staff, own_officer
from app.accounts.models import User
from app.changes.judging import ChangeOptions, Situation, published_scope
from app.changes.kinds.base import ChangeRequest, Planned, Where, duty_post
from app.changes.models import ChangeKind, RosterChange
from app.changes.schemas import CoverCreate
from app.changes.stored import StoredModel, StoredScope
from app.changes.verdict import describe, ensure_held, ensure_still_held
from app.core.errors import ErrorDetail, Forbidden, RuleViolation
from app.planning.schemas import DutyOut, DutyRef
from app.reference.lookups import known
from app.reference.models import Officer, Post, ShiftType
from solver import domain as d


class CoverContext(StoredModel):
    duty: DutyOut
    to_officer: str


def covered(published: Sequence[d.Assignment], a: d.Assignment, officer: str) -> list[d.Assignment]:
    """The roster with `officer` in `a`'s place (`a` without an officer: on an empty seat)."""
    taken = replace(a, officer=officer)
    if taken in set(published):
        raise RuleViolation(f"{officer} already holds that duty ({describe(taken)})")
    return sorted([x for x in published if x != a] + [taken])


def ensure_slot(scenario: d.Scenario, a: d.Assignment, path: str) -> None:
    """422 when the post has no such slot (an empty seat is filled only where coverage asks)."""
    if d.SlotKey(a.post, a.shift, a.date) not in {slot.key for slot in scenario.slots()}:
        raise RuleViolation(
            f"post {a.post!r} has no {a.shift} slot on {a.date}",
            [ErrorDetail(f"{path}.shift", f"no {a.shift} slot at {a.post} on {a.date}")],
        )


class Cover(ChangeRequest[CoverCreate, CoverContext]):
    kind = ChangeKind.COVER
    context_type = CoverContext

    def where(self) -> Where:
        ref = self.body.duty
        return Where(
            officer=ref.officer or self.body.to_officer, post=ref.post, shift=ref.shift, day=ref.date
        )

    def plan(self, session: Session, user: User, options: ChangeOptions) -> Planned:
        ref = self.body.duty
        if ref.officer is None:
            known(session, ShiftType, ref.shift, "body.duty.shift")
            post = known(session, Post, ref.post, "body.duty.post")
        else:
            post = duty_post(
                session,
                DutyRef(officer=ref.officer, post=ref.post, shift=ref.shift, date=ref.date),
                "body.duty",
            )
        known(session, Officer, self.body.to_officer, "body.to_officer")
        a = ref.assignment()
        if is_staff(user):
            ensure_manages(user, [post.unit_id], "reassign duties")
        elif ref.officer is None:
            raise Forbidden("only the duty office fills an empty seat of a slot")
        elif own_officer(user) not in (a.officer, self.body.to_officer):
            raise Forbidden("officers may only ask for cover of their own duties, or offer to take one")
        scope = published_scope(session, post.unit_id, a.date)
        at = Situation.of(session, scope, options)
        if ref.officer is None:
            ensure_slot(at.scenario, a, "body.duty")
        else:
            ensure_held(at.published, [(a, "body.duty")])
        verdict = at.judge(at.scenario, covered(at.published, a, self.body.to_officer), "request")
        return Planned(
            [o for o in (a.officer, self.body.to_officer) if o],
            {post.unit_id},
            CoverContext(duty=DutyOut.of(a), to_officer=self.body.to_officer),
            StoredScope.of(scope, (post.unit_id, a.date)),
            verdict,
        )

    def duties_after(self, at: Situation, change: RosterChange) -> list[d.Assignment]:
        a = self.context.duty.assignment()
        if a.officer:
            ensure_still_held(at.published, [a])
        return covered(at.published, a, self.context.to_officer)
