"""Applying an approved change: re-judged on the roster published now, written as a new published
version with its audit trail, in the caller's transaction; leave and coverage are recorded too.

Approvals are serialized by locks: the caller holds the change row; here the published days of
the horizon are locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's writers already hold the
database lock, `BEGIN IMMEDIATE`), then everything is read again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, ErrorDetail
from app.models import (
    REPLANNED_KINDS,
    ChangeKind,
    ChangeStatus,
    Coverage,
    CoverageChange,
    Officer,
    Post,
    PublishedDay,
    Roster,
    RosterAssignment,
    RosterChange,
    Unavailability,
    User,
)
from app.services import change_audit as audit
from app.services.auth import utcnow
from app.services.change_plan import (
    ChangeOptions,
    anchor_of,
    context_of,
    coverage_scope,
    later_scopes,
    leave_scope,
    not_allowed,
    scenario_now,
    scope_of,
    set_units,
    units_of,
)
from app.services.change_scenario import (
    Scope,
    coverage_from_dict,
    following_duties,
    published_roster,
    with_frozen_past,
)
from app.services.change_verdict import (
    covered,
    describe,
    duty_from_dict,
    ensure_still_held,
    evaluate,
    swapped,
    with_coverage_from,
    with_leave,
)
from app.services.rosters import new_snapshot, publish, store_roster
from solver import domain as d
from solver.check import check_assignments
from solver.explain import shortfall_reasons
from solver.repair import diff


def lock_published(session: Session, start: date, end: date) -> None:
    """Lock the published days of [start, end), every unit (PostgreSQL; a no-op on SQLite)."""
    session.execute(
        select(PublishedDay.unit_id, PublishedDay.date)
        .where(PublishedDay.date >= start, PublishedDay.date < end)
        .order_by(PublishedDay.date, PublishedDay.unit_id)
        .with_for_update()
    ).all()


def apply_change(
    session: Session,
    change: RosterChange,
    user: User,
    reason: str,
    options: ChangeOptions,
    expected_roster_id: int | None = None,
) -> None:
    kind = ChangeKind(change.kind)
    stored = scope_of(change)
    anchor = anchor_of(change)
    roster_id: int | None = None
    if stored is not None and anchor is not None:
        lock_published(session, stored.start, stored.end)
        session.expire_all()
        current = published_roster(session, *anchor)
        if current is None:
            raise Conflict(f"no roster is published for unit {anchor[0]} on {anchor[1]} any more")
        if expected_roster_id is not None and current.id != expected_roster_id:
            raise Conflict(
                f"the published roster moved: version {current.id} is published for {anchor[0]} on "
                f"{anchor[1]}, not {expected_roster_id}; look again",
                [ErrorDetail("body.expected_roster_id", f"now {current.id}")],
            )
        scope = Scope.of(current)
        if (scope.start, scope.end) != (stored.start, stored.end):
            lock_published(session, scope.start, scope.end)
        roster_id = _apply_on_roster(session, change, kind, scope, user, options)
    elif _published_since(session, change):
        raise Conflict(
            f"a roster has been published for change {change.id} since it was asked; "
            f"re-plan it first (POST /changes/{change.id}/replan)",
            [ErrorDetail("proposal", "made when nothing was published")],
        )
    if kind is ChangeKind.LEAVE:
        payload = change.payload
        session.add(
            Unavailability(
                officer_id=payload["officer"],
                start=datetime.fromisoformat(payload["start"]),
                end=datetime.fromisoformat(payload["end"]),
                reason=(change.reason or "leave")[:200],
            )
        )
    elif kind is ChangeKind.COVERAGE_CHANGE:
        _store_coverage(session, change)
        begin = date.fromisoformat(change.payload["from_date"])
        _carry_coverage(session, change, user, options, begin if stored is None else max(begin, stored.end))
    change.status = ChangeStatus.APPLIED
    change.applied_roster_id = roster_id
    change.decision_reason = reason
    change.updated_at = utcnow()
    audit.record(session, "change.applied", user, change_id=change.id, roster_id=roster_id, reason=reason)
    session.flush()


def _published_since(session: Session, change: RosterChange) -> bool:
    """Whether a leave or coverage change asked when nothing was published now meets a roster."""
    payload = change.payload
    if change.kind == ChangeKind.LEAVE:
        officer = session.get(Officer, payload["officer"])
        if officer is None:
            raise Conflict(f"officer {payload['officer']!r} no longer exists")
        span = d.Span(datetime.fromisoformat(payload["start"]), datetime.fromisoformat(payload["end"]))
        return leave_scope(session, officer, span)[0] is not None
    if change.kind == ChangeKind.COVERAGE_CHANGE:
        post = session.get(Post, payload["post"])
        if post is None:
            raise Conflict(f"post {payload['post']!r} no longer exists")
        return coverage_scope(session, post.unit_id, date.fromisoformat(payload["from_date"]))[0] is not None
    return False


def _apply_on_roster(
    session: Session,
    change: RosterChange,
    kind: ChangeKind,
    scope: Scope,
    user: User,
    options: ChangeOptions,
) -> int | None:
    """The new published version holding the change (None: no duty changes, no new version)."""
    scenario, now = scenario_now(session, scope, options)
    published = list(scenario.baseline)
    context = context_of(change)
    what = f"change {change.id}"
    changed = scenario
    if kind is ChangeKind.SWAP:
        a, b = duty_from_dict(context["duty"]), duty_from_dict(context["with_duty"])
        ensure_still_held(published, [a, b])
        after = swapped(published, a, b)
    elif kind is ChangeKind.COVER:
        a = duty_from_dict(context["duty"])
        ensure_still_held(published, [a])
        after = covered(published, a, context["to_officer"])
    else:
        changed = _changed_scenario(change, scenario)
        proposal = change.proposal or {"added": [], "removed": []}
        removed = [duty_from_dict(x) for x in proposal["removed"]]
        added = [duty_from_dict(x) for x in proposal["added"]]
        present = set(published)
        gone = [a for a in removed if a not in present]
        if gone:
            raise Conflict(
                f"the published roster changed since the re-plan ({describe(gone[0])} is no longer in it); "
                f"re-plan change {change.id} again (POST /changes/{change.id}/replan)",
                [ErrorDetail("proposal.removed", describe(a), a.officer) for a in gone],
            )
        after = sorted((present - set(removed)) | set(added))
    before_frozen = with_frozen_past(scenario, now)
    after_frozen = with_frozen_past(changed, now)
    stage = "proposal" if kind in REPLANNED_KINDS else "request"
    following = following_duties(session, scope, scenario)
    verdict = evaluate(before_frozen, after_frozen, published, after, stage, now, following)
    if not verdict.ok:
        raise verdict.refusal(what)
    change.validation = verdict.as_dict()
    delta = diff(published, after)
    if not delta.changed:
        return None
    target = _reuse_proposal(session, change, scope, after)
    if target is None:
        target = _store_scored(
            session, after_frozen, after, verdict.after, verdict.shortfalls, scope, user, change
        )
    publish(session, target, user, check_access=False, change_id=change.id)
    for a in delta.removed:
        audit.record_duty(session, "duty.removed", a, user, roster_id=target.id, change_id=change.id)
    for a in delta.added:
        audit.record_duty(session, "duty.added", a, user, roster_id=target.id, change_id=change.id)
    set_units(
        session,
        change.id,
        set(units_of(session, change.id))
        | {scenario.post(a.post).unit for a in (*delta.added, *delta.removed)},
    )
    return target.id


def _changed_scenario(change: RosterChange, s: d.Scenario) -> d.Scenario:
    payload = change.payload
    if change.kind == ChangeKind.LEAVE:
        span = d.Span(
            datetime.fromisoformat(payload["start"]),
            datetime.fromisoformat(payload["end"]),
            change.reason or "leave",
        )
        return with_leave(s, payload["officer"], span)
    new = [coverage_from_dict(c) for c in context_of(change)["coverage"]]
    return with_coverage_from(
        s, payload["post"], payload["shift"], date.fromisoformat(payload["from_date"]), new
    )


def _reuse_proposal(
    session: Session, change: RosterChange, scope: Scope, after: Sequence[d.Assignment]
) -> Roster | None:
    """The re-planned draft itself when it is exactly the roster to publish."""
    if change.proposal_roster_id is None:
        return None
    draft = session.get(Roster, change.proposal_roster_id)
    if draft is None or draft.status != "draft":
        return None
    if (draft.start, draft.days, tuple(draft.unit_ids)) != (scope.start, scope.days, scope.unit_ids):
        return None
    duties = session.execute(
        select(
            RosterAssignment.date,
            RosterAssignment.shift_id,
            RosterAssignment.post_id,
            RosterAssignment.officer_id,
        ).where(RosterAssignment.roster_id == draft.id)
    ).all()
    if {d.Assignment(*row) for row in duties} != set(after):
        return None
    return draft


def _store_scored(
    session: Session,
    scenario: d.Scenario,
    after: Sequence[d.Assignment],
    score: d.Score,
    shortfalls: Sequence[d.Shortfall],
    scope: Scope,
    user: User,
    change: RosterChange,
) -> Roster:
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


def _carry_coverage(
    session: Session, change: RosterChange, user: User, options: ChangeOptions, begin: date
) -> None:
    """A coverage change holds from its date on, so also in the rosters published after the one
    it was re-planned in (from `begin`). Each of them becomes a new published version: its duties
    stay where the post's new coverage still has room for them; those it no longer allows (a
    closed shift, a lower maximum) go; new or larger slots show as short, with the solver's
    reasons, until a roster job or another change staffs them."""
    post = session.get(Post, change.payload["post"])
    if post is None:
        raise Conflict(f"post {change.payload['post']!r} no longer exists")
    shift = change.payload["shift"]
    for scope, _ in later_scopes(session, post.unit_id, begin):
        lock_published(session, scope.start, scope.end)
        scenario, now = scenario_now(session, scope, options)
        scenario = with_frozen_past(scenario, now)  # holds the change: its coverage is stored now
        published = list(scenario.baseline)
        removed = not_allowed(scenario, [a for a in published if (a.post, a.shift) == (post.id, shift)])
        after = [a for a in published if a not in removed]
        report = check_assignments(scenario, after)
        target = _store_scored(session, scenario, after, report.score, report.shortfalls, scope, user, change)
        publish(session, target, user, check_access=False, change_id=change.id)
        for a in removed:
            audit.record_duty(session, "duty.removed", a, user, roster_id=target.id, change_id=change.id)


def _store_coverage(session: Session, change: RosterChange) -> None:
    payload, context = change.payload, context_of(change)
    post = session.get(Post, payload["post"])
    if post is None:
        raise Conflict(f"post {payload['post']!r} no longer exists")
    shift = payload["shift"]
    previous = [c for c in post.coverage if c.shift_id == shift]
    kept = [c for c in post.coverage if c.shift_id != shift]
    position = max((c.position for c in kept), default=-1) + 1
    added = [
        Coverage(
            shift_id=shift,
            min=c["min"],
            max=c["max"],
            skills=dict(c["skills"]),
            days=c["days"],
            position=position + i,
        )
        for i, c in enumerate(context["coverage"])
    ]
    session.add(
        CoverageChange(
            post_id=post.id,
            shift_id=shift,
            from_date=date.fromisoformat(payload["from_date"]),
            previous=[
                {"shift": c.shift_id, "min": c.min, "max": c.max, "skills": dict(c.skills), "days": c.days}
                for c in previous
            ],
            coverage=list(context["coverage"]),
            change_id=change.id,
            created_at=utcnow(),
        )
    )
    post.coverage = kept + added
    session.flush()
