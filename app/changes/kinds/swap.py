"""Swap: officers A and B exchange two duties of one published roster version. B accepts first
(unless the duty office asks), then a dispatcher of the units approves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages, is_staff, own_officer
from app.accounts.models import User
from app.changes.judging import ChangeOptions, Situation, published_scope
from app.changes.kinds.base import ChangeRequest, Planned, Where, duty_post, duty_where
from app.changes.models import ChangeKind, RosterChange
from app.changes.schemas import SwapCreate
from app.changes.stored import StoredModel, StoredScope
from app.changes.verdict import describe, ensure_held, ensure_still_held
from app.core.errors import ErrorDetail, Forbidden, RuleViolation
from app.planning.schemas import DutyOut
from solver import domain as d


class SwapContext(StoredModel):
    duty: DutyOut
    with_duty: DutyOut
    partner: str


def swapped(published: Sequence[d.Assignment], a: d.Assignment, b: d.Assignment) -> list[d.Assignment]:
    to_b, to_a = replace(a, officer=b.officer), replace(b, officer=a.officer)
    present = set(published)
    for moved in (to_b, to_a):
        if moved in present:
            raise RuleViolation(f"{describe(moved)} is already in the published roster: nothing to swap")
    return sorted([x for x in published if x not in (a, b)] + [to_b, to_a])


class Swap(ChangeRequest[SwapCreate, SwapContext]):
    kind = ChangeKind.SWAP
    context_type = SwapContext
    partner_accepts = True

    def where(self) -> Where:
        return duty_where(self.body.duty)

    def partner(self) -> str | None:
        return self.context.partner

    def plan(self, session: Session, user: User, options: ChangeOptions) -> Planned:
        post_a = duty_post(session, self.body.duty, "body.duty")
        post_b = duty_post(session, self.body.with_duty, "body.with_duty")
        a, b = self.body.duty.assignment(), self.body.with_duty.assignment()
        if is_staff(user):
            ensure_manages(user, [post_a.unit_id, post_b.unit_id], "swap duties")
            officers = [a.officer, b.officer]
        else:
            me = own_officer(user)
            if me not in (a.officer, b.officer):
                raise Forbidden("officers may only ask to swap their own duties")
            officers = [a.officer, b.officer] if me == a.officer else [b.officer, a.officer]
        scope = published_scope(session, post_a.unit_id, a.date)
        if not scope.holds(post_b.unit_id, b.date):
            raise RuleViolation(
                f"{describe(b)} is not in the published roster version of {describe(a)} "
                f"({scope.start}, {scope.days} days, units {', '.join(scope.unit_ids)}); "
                "swap within one roster",
                [ErrorDetail("body.with_duty", "outside the roster version of body.duty")],
            )
        at = Situation.of(session, scope, options)
        ensure_held(at.published, [(a, "body.duty"), (b, "body.with_duty")])
        verdict = at.judge(at.scenario, swapped(at.published, a, b), "request")
        return Planned(
            officers,
            {post_a.unit_id, post_b.unit_id},
            SwapContext(duty=DutyOut.of(a), with_duty=DutyOut.of(b), partner=officers[1]),
            StoredScope.of(scope, (post_a.unit_id, a.date)),
            verdict,
        )

    def duties_after(self, at: Situation, change: RosterChange) -> list[d.Assignment]:
        a, b = self.context.duty.assignment(), self.context.with_duty.assignment()
        ensure_still_held(at.published, [a, b])
        return swapped(at.published, a, b)
