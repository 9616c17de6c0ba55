"""Coverage change: from a date on, a post's shift needs other numbers or skills (a new shift, a
closure). The roster is re-planned with the new coverage; on approval the post's coverage changes,
and the rosters published after the re-planned one change with it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages, is_staff
from app.accounts.models import User
from app.changes.judging import ChangeOptions, Situation
from app.changes.kinds.base import Approving, Planned, Where
from app.changes.kinds.replanned import ReplanBasis, Replanned
from app.changes.models import ChangeKind, CoverageChange, RosterChange
from app.changes.publishing import lock_published, publish_for_change, store_scored
from app.changes.schemas import CarryOut, CoverageChangeCreate
from app.changes.stored import StoredModel
from app.core.clock import local_now, utcnow
from app.core.errors import Conflict, ErrorDetail, Forbidden, RuleViolation
from app.planning.coverage_steps import with_coverage_from
from app.planning.records import CoverageEntry
from app.planning.scenario import validated
from app.planning.schemas import DutyOut
from app.planning.scope import Scope, later_scopes
from app.reference.lookups import known
from app.reference.models import Post, ShiftType, Skill
from app.reference.settings import settings_row
from solver import domain as d
from solver.check import check_assignments


class CoverageEntries(StoredModel):
    coverage: list[CoverageEntry]


class Carries(StoredModel):
    carries: list[CarryOut] | None = None


# Bases in this order so that the JSON keys come as they always have: coverage, the re-plan's, carries.
class CoverageContext(Carries, ReplanBasis, CoverageEntries):
    pass


def not_allowed(s: d.Scenario, duties: Sequence[d.Assignment]) -> set[d.Assignment]:
    """Of the duties, those in no slot, and in a slot over its maximum the ones past it (officers
    holding a skill the slot needs are kept first, then by officer id)."""
    slots = {(x.post, x.shift, x.date): x for x in s.slots()}
    by_slot: dict[tuple[str, str, date], list[d.Assignment]] = {}
    for a in duties:
        by_slot.setdefault((a.post, a.shift, a.date), []).append(a)
    out: set[d.Assignment] = set()
    for key, held in by_slot.items():
        slot = slots.get(key)
        if slot is None:
            out.update(held)
            continue
        needed = set(slot.skills)
        ranked = sorted(held, key=lambda a: (not needed & s.officer(a.officer).skills, a.officer))
        out.update(ranked[slot.max :])
    return out


def coverage_scope(session: Session, unit: str, from_date: date) -> tuple[Scope, tuple[str, date]] | None:
    """The published version of the unit on `from_date`, else the first one after it."""
    found = next(later_scopes(session, unit, from_date), None)
    if found is None:
        return None
    scope, first = found
    return scope, (unit, first)


class CoverageChangeRequest(Replanned[CoverageChangeCreate, CoverageContext]):
    kind = ChangeKind.COVERAGE_CHANGE
    context_type = CoverageContext
    always_replanned = True

    def where(self) -> Where:
        return Where(post=self.body.post, shift=self.body.shift, day=self.body.from_date)

    def carries(self) -> list[CarryOut]:
        return list(self.context.carries or [])

    def _new_coverage(self, session: Session, post: Post) -> list[d.Coverage]:
        """The post's entries for the shift from `from_date` on: none when closed (min = max = 0)."""
        body = self.body
        top = body.min if body.max is None else body.max
        if top == 0:
            return []
        current = [c for c in post.coverage if c.shift_id == body.shift]
        only = current[0] if len(current) == 1 else None
        skills = body.skills if body.skills is not None else (dict(only.skills) if only else {})
        unknown = sorted(k for k in skills if session.get(Skill, k) is None)
        if unknown:
            raise RuleViolation(
                "unknown skill(s): " + ", ".join(unknown),
                [ErrorDetail("body.skills", "unknown skill", k) for k in unknown],
            )
        too_many = {k: n for k, n in skills.items() if n > top}
        if too_many:
            raise RuleViolation(
                f"the post's current skills {too_many} need more officers than max ({top}); give skills",
                [
                    ErrorDetail("body.skills", f"skill {k} needs {n} > max {top}", k)
                    for k, n in too_many.items()
                ],
            )
        days = body.days if body.days is not None else (only.days if only else None)
        return [
            d.Coverage(body.shift, body.min, top, d.frozen_map(skills), None if days is None else tuple(days))
        ]

    def plan(self, session: Session, user: User, options: ChangeOptions) -> Planned:
        if not is_staff(user):
            raise Forbidden("only the duty office changes coverage")
        post = known(session, Post, self.body.post, "body.post")
        known(session, ShiftType, self.body.shift, "body.shift")
        ensure_manages(user, [post.unit_id], "change coverage")
        new = self._new_coverage(session, post)
        today = local_now(options.now, settings_row(session).timezone).date()
        if self.body.from_date < today:
            raise RuleViolation(
                f"from_date {self.body.from_date} is in the past (today is {today})",
                [ErrorDetail("body.from_date", f"must be {today} or later")],
            )
        self._context = CoverageContext(coverage=[CoverageEntry.of(c) for c in new])
        found = coverage_scope(session, post.unit_id, self.body.from_date)
        if found is None:
            return Planned([], {post.unit_id}, self.context, empty_proposal=True)
        scope, anchor = found
        at = Situation.of(session, scope, options)
        planned = self.replanned_plan(at, anchor, [], {post.unit_id}, self.context)
        carries = self._carried(session, post.unit_id, scope.end, options)
        planned.context = planned.context.model_copy(update={"carries": carries})
        return planned

    def scenario_after(self, s: d.Scenario) -> d.Scenario:
        new = [c.coverage() for c in self.context.coverage]
        changed = with_coverage_from(s, self.body.post, self.body.shift, self.body.from_date, new)
        return changed if changed is s else validated(changed)

    def _carried(self, session: Session, unit: str, begin: date, options: ChangeOptions) -> list[CarryOut]:
        """What the change will do to the rosters published after the one it is re-planned in
        (from `begin`): per version, the duties the new coverage no longer allows."""
        out = []
        for scope, _ in later_scopes(session, unit, begin):
            at = Situation.of(session, scope, options)
            held = [a for a in at.scenario.baseline if (a.post, a.shift) == (self.body.post, self.body.shift)]
            removed = sorted(not_allowed(self.scenario_after(at.scenario), held))
            out.append(
                CarryOut(
                    roster_id=scope.roster_id,
                    start=scope.start,
                    days=scope.days,
                    removed=DutyOut.all_of(removed),
                )
            )
        return out

    def published_since(self, session: Session) -> bool:
        return coverage_scope(session, self._post(session).unit_id, self.body.from_date) is not None

    def _post(self, session: Session) -> Post:
        post = session.get(Post, self.body.post)
        if post is None:
            raise Conflict(f"post {self.body.post!r} no longer exists")
        return post

    def apply_lasting(self, approving: Approving) -> None:
        self._store_coverage(approving.session, approving.change)
        scope, begin = approving.scope, self.body.from_date
        self._carry(approving, begin if scope is None else max(begin, scope.scope().end))

    def _store_coverage(self, session: Session, change: RosterChange) -> None:
        post, shift = self._post(session), self.body.shift
        previous = [c for c in post.coverage if c.shift_id == shift]
        kept = [c for c in post.coverage if c.shift_id != shift]
        position = max((c.position for c in kept), default=-1) + 1
        session.add(
            CoverageChange(
                post_id=post.id,
                shift_id=shift,
                from_date=self.body.from_date,
                previous=[CoverageEntry.of_row(c).model_dump(mode="json") for c in previous],
                coverage=[c.model_dump(mode="json") for c in self.context.coverage],
                change_id=change.id,
                created_at=utcnow(),
            )
        )
        post.coverage = kept + [c.row(position + i) for i, c in enumerate(self.context.coverage)]
        session.flush()

    def _carry(self, approving: Approving, begin: date) -> None:
        """A coverage change holds from its date on, so also in the rosters published after the one
        it was re-planned in (from `begin`). Each of them becomes a new published version: its duties
        stay where the post's new coverage still has room for them; those it no longer allows (a
        closed shift, a lower maximum) go; new or larger slots show as short, with the solver's
        reasons, until a roster job or another change staffs them."""
        session, change, user = approving.session, approving.change, approving.user
        post, shift = self._post(session), self.body.shift
        for scope, _ in later_scopes(session, post.unit_id, begin):
            lock_published(session, scope.start, scope.end)
            at = Situation.of(session, scope, approving.options)
            scenario = at.frozen  # holds the change: its coverage is stored now
            published = at.published
            removed = not_allowed(scenario, [a for a in published if (a.post, a.shift) == (post.id, shift)])
            after = [a for a in published if a not in removed]
            report = check_assignments(scenario, after)
            target = store_scored(
                session, scenario, after, report.score, report.shortfalls, scope, user, change
            )
            publish_for_change(session, target, user, change, sorted(removed))
