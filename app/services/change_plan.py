"""What a change request means for the published roster, worked out on submission: who may ask,
which published version it lives in (its scope), the scenario it is judged on and the verdict;
for leave and coverage changes, what the re-plan needs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from app import mappers
from app.config import Settings
from app.errors import ErrorDetail, Forbidden, RuleViolation
from app.models import (
    ChangeKind,
    Officer,
    Post,
    PublishedDay,
    Role,
    Roster,
    RosterAssignment,
    RosterChange,
    ShiftType,
    Skill,
    User,
    change_officers,
    change_units,
)
from app.schemas import changes as cs
from app.services.access import ensure_manages
from app.services.change_scenario import (
    Scope,
    coverage_to_dict,
    following_duties,
    local_now,
    published_roster,
    scope_scenario,
    service_now,
    with_frozen_past,
)
from app.services.change_verdict import (
    Verdict,
    covered,
    describe,
    duty_dict,
    duty_of,
    ensure_held,
    evaluate,
    swapped,
    violation_dict,
    with_coverage_from,
    with_leave,
)
from solver import domain as d
from solver.repair import still_valid
from solver.timeline import to_instant

STAFF = (Role.ADMIN, Role.DISPATCHER)


@dataclass(frozen=True)
class ChangeOptions:
    """What the service settings say about changes."""

    now: datetime | None
    history_days: int
    replan_time_limit: float

    @classmethod
    def of(cls, settings: Settings) -> ChangeOptions:
        return cls(settings.now, settings.jobs.history_days, settings.solver.replan_time_limit)


Known = TypeVar("Known", Officer, Post, ShiftType)
_NAMES: dict[type[Any], str] = {Officer: "officer", Post: "post", ShiftType: "shift type"}


def known(session: Session, model: type[Known], key: str, path: str) -> Known:
    """The row named in a request, or 422 naming the field and the id."""
    row = session.get(model, key)
    if row is None:
        what = _NAMES[model]
        raise RuleViolation(f"unknown {what} {key!r}", [ErrorDetail(path, f"unknown {what}", key)])
    return row


def _duty_refs(session: Session, ref: cs.DutyRef, path: str) -> Post:
    known(session, Officer, ref.officer, f"{path}.officer")
    known(session, ShiftType, ref.shift, f"{path}.shift")
    return known(session, Post, ref.post, f"{path}.post")


def units_of(session: Session, change_id: int) -> list[str]:
    return list(
        session.scalars(
            select(change_units.c.unit_id)
            .where(change_units.c.change_id == change_id)
            .order_by(change_units.c.unit_id)
        )
    )


def officers_of(session: Session, change_id: int) -> list[str]:
    return list(
        session.scalars(
            select(change_officers.c.officer_id)
            .where(change_officers.c.change_id == change_id)
            .order_by(change_officers.c.position)
        )
    )


def set_units(session: Session, change_id: int, units: Iterable[str]) -> None:
    session.execute(delete(change_units).where(change_units.c.change_id == change_id))
    rows = [{"change_id": change_id, "unit_id": u} for u in sorted(set(units))]
    if rows:
        session.execute(insert(change_units), rows)


def set_officers(session: Session, change_id: int, officers: Sequence[str]) -> None:
    rows = [
        {"change_id": change_id, "officer_id": o, "position": i}
        for i, o in enumerate(dict.fromkeys(officers))
    ]
    if rows:
        session.execute(insert(change_officers), rows)


def context_of(change: RosterChange) -> dict[str, Any]:
    return dict(change.context or {})


def scope_of(change: RosterChange) -> Scope | None:
    if change.scope is None:
        return None
    s = change.scope
    return Scope(date.fromisoformat(s["start"]), int(s["days"]), tuple(s["units"]), int(s["roster_id"]))


def anchor_of(change: RosterChange) -> tuple[str, date] | None:
    if change.scope is None:
        return None
    return str(change.scope["anchor_unit"]), date.fromisoformat(change.scope["anchor_date"])


def scope_dict(scope: Scope, anchor_unit: str, anchor_date: date) -> dict[str, Any]:
    return {**scope.as_dict(), "anchor_unit": anchor_unit, "anchor_date": anchor_date.isoformat()}


def _published_scope(session: Session, unit: str, day: date) -> Scope:
    roster = published_roster(session, unit, day)
    if roster is None:
        raise RuleViolation(
            f"no roster is published for unit {unit!r} on {day}",
            [ErrorDetail("body", f"no published roster for {unit} on {day}", unit)],
        )
    return Scope.of(roster)


def is_staff(user: User) -> bool:
    return user.role in STAFF


def _own_officer(user: User) -> str:
    if user.officer_id is None:
        raise Forbidden("this account is not linked to an officer")
    return user.officer_id


@dataclass
class Planned:
    """What a submission works out before the row is written."""

    kind: ChangeKind
    officers: list[str]
    units: set[str]
    scope: Scope | None
    anchor: tuple[str, date] | None
    verdict: Verdict | None
    context: dict[str, Any]
    snapshot_scenario: d.Scenario | None = None
    """Leave and coverage: the scenario the re-plan job solves (holding the change)."""
    empty_proposal: bool = False


def plan_swap(session: Session, user: User, body: cs.SwapCreate, options: ChangeOptions) -> Planned:
    post_a = _duty_refs(session, body.duty, "body.duty")
    post_b = _duty_refs(session, body.with_duty, "body.with_duty")
    a, b = duty_of(body.duty), duty_of(body.with_duty)
    if is_staff(user):
        ensure_manages(user, [post_a.unit_id, post_b.unit_id], "swap duties")
        officers = [a.officer, b.officer]
    else:
        me = _own_officer(user)
        if me not in (a.officer, b.officer):
            raise Forbidden("officers may only ask to swap their own duties")
        officers = [a.officer, b.officer] if me == a.officer else [b.officer, a.officer]
    scope = _published_scope(session, post_a.unit_id, a.date)
    if not scope.holds(post_b.unit_id, b.date):
        raise RuleViolation(
            f"{describe(b)} is not in the published roster version of {describe(a)} "
            f"({scope.start}, {scope.days} days, units {', '.join(scope.unit_ids)}); swap within one roster",
            [ErrorDetail("body.with_duty", "outside the roster version of body.duty")],
        )
    scenario, now = scenario_now(session, scope, options)
    published = list(scenario.baseline)
    ensure_held(published, [(a, "body.duty"), (b, "body.with_duty")])
    after = swapped(published, a, b)
    frozen = with_frozen_past(scenario, now)
    following = following_duties(session, scope, scenario)
    verdict = evaluate(frozen, frozen, published, after, "request", now, following)
    return Planned(
        ChangeKind.SWAP,
        officers,
        {post_a.unit_id, post_b.unit_id},
        scope,
        (post_a.unit_id, a.date),
        verdict,
        {"duty": duty_dict(a), "with_duty": duty_dict(b), "partner": officers[1]},
    )


def plan_cover(session: Session, user: User, body: cs.CoverCreate, options: ChangeOptions) -> Planned:
    post = _duty_refs(session, body.duty, "body.duty")
    known(session, Officer, body.to_officer, "body.to_officer")
    a = duty_of(body.duty)
    if is_staff(user):
        ensure_manages(user, [post.unit_id], "reassign duties")
    elif _own_officer(user) not in (a.officer, body.to_officer):
        raise Forbidden("officers may only ask for cover of their own duties, or offer to take one")
    scope = _published_scope(session, post.unit_id, a.date)
    scenario, now = scenario_now(session, scope, options)
    published = list(scenario.baseline)
    ensure_held(published, [(a, "body.duty")])
    after = covered(published, a, body.to_officer)
    frozen = with_frozen_past(scenario, now)
    following = following_duties(session, scope, scenario)
    verdict = evaluate(frozen, frozen, published, after, "request", now, following)
    return Planned(
        ChangeKind.COVER,
        [a.officer, body.to_officer],
        {post.unit_id},
        scope,
        (post.unit_id, a.date),
        verdict,
        {"duty": duty_dict(a), "to_officer": body.to_officer},
    )


def plan_leave(session: Session, user: User, body: cs.LeaveCreate, options: ChangeOptions) -> Planned:
    officer = known(session, Officer, body.officer, "body.officer")
    if is_staff(user):
        ensure_manages(user, [officer.unit_id], "record leave")
    elif _own_officer(user) != officer.id:
        raise Forbidden("officers may only ask for their own leave")
    span = d.Span(body.start, body.end, body.reason or "leave")
    scope, anchor = leave_scope(session, officer, span)
    context: dict[str, Any] = {"span": [body.start.isoformat(), body.end.isoformat()]}
    if scope is None or anchor is None:  # nothing published in or around the span: a record only
        return Planned(
            ChangeKind.LEAVE, [officer.id], {officer.unit_id}, None, None, None, context, None, True
        )
    scenario, now = scenario_now(session, scope, options)
    changed = with_leave(scenario, officer.id, span)
    published = list(scenario.baseline)
    after_frozen = with_frozen_past(changed, now)
    held = still_valid(after_frozen, published)
    following = following_duties(session, scope, scenario)
    verdict = evaluate(
        with_frozen_past(scenario, now), after_frozen, published, held, "request", now, following
    )
    lost = sorted(set(published) - set(held))
    units = {officer.unit_id} | {scenario.post(a.post).unit for a in lost}
    context |= _replan_context(verdict, now, units, following)
    return Planned(
        ChangeKind.LEAVE,
        [officer.id],
        units,
        scope,
        anchor,
        verdict,
        context,
        snapshot_scenario=changed if lost else None,
        empty_proposal=not lost,
    )


def plan_coverage(
    session: Session, user: User, body: cs.CoverageChangeCreate, options: ChangeOptions
) -> Planned:
    if not is_staff(user):
        raise Forbidden("only the duty office changes coverage")
    post = known(session, Post, body.post, "body.post")
    known(session, ShiftType, body.shift, "body.shift")
    ensure_manages(user, [post.unit_id], "change coverage")
    new = _new_coverage(session, post, body)
    today = local_now(options.now, mappers.settings_row(session).timezone).date()
    if body.from_date < today:
        raise RuleViolation(
            f"from_date {body.from_date} is in the past (today is {today})",
            [ErrorDetail("body.from_date", f"must be {today} or later")],
        )
    context: dict[str, Any] = {"coverage": [coverage_to_dict(c) for c in new]}
    scope, anchor = coverage_scope(session, post.unit_id, body.from_date)
    if scope is None or anchor is None:
        return Planned(ChangeKind.COVERAGE_CHANGE, [], {post.unit_id}, None, None, None, context, None, True)
    scenario, now = scenario_now(session, scope, options)
    changed = with_coverage_from(scenario, post.id, body.shift, body.from_date, new)
    published = list(scenario.baseline)
    after_frozen = with_frozen_past(changed, now)
    held = still_valid(after_frozen, published)
    following = following_duties(session, scope, scenario)
    verdict = evaluate(
        with_frozen_past(scenario, now), after_frozen, published, held, "request", now, following
    )
    lost = set(published) - set(held)
    units = {post.unit_id} | {scenario.post(a.post).unit for a in lost}
    context |= _replan_context(verdict, now, units, following)
    context["carries"] = carried(session, post, body.shift, body.from_date, new, scope.end, options)
    return Planned(
        ChangeKind.COVERAGE_CHANGE, [], units, scope, anchor, verdict, context, snapshot_scenario=changed
    )


def _replan_context(
    verdict: Verdict, now: datetime, units: Iterable[str], following: Sequence[d.Assignment]
) -> dict[str, Any]:
    return {
        "now": now.isoformat(timespec="minutes"),
        "affected_units": sorted(set(units)),
        "before_violations": [violation_dict(v) for v in verdict.before_violations],
        "following": [duty_dict(a) for a in following],
    }


def scenario_now(session: Session, scope: Scope, options: ChangeOptions) -> tuple[d.Scenario, datetime]:
    scenario = scope_scenario(session, scope, options.history_days)
    return scenario, service_now(options.now, scenario.timezone, scope)


def leave_scope(
    session: Session, officer: Officer, span: d.Span
) -> tuple[Scope | None, tuple[str, date] | None]:
    """The published version holding the officer's duties in the span (one version only), or the
    one published for their unit on the span's first day."""
    zone = ZoneInfo(mappers.settings_row(session).timezone)
    start_utc = _utc(span.start, zone)
    end_utc = _utc(span.end, zone)
    rows = session.execute(
        select(RosterAssignment, PublishedDay.roster_id)
        .join(
            PublishedDay,
            (PublishedDay.roster_id == RosterAssignment.roster_id)
            & (PublishedDay.unit_id == RosterAssignment.unit_id)
            & (PublishedDay.date == RosterAssignment.date),
        )
        .where(
            RosterAssignment.officer_id == officer.id,
            RosterAssignment.start_at < end_utc,
            RosterAssignment.end_at > start_utc,
        )
        .order_by(RosterAssignment.start_at)
    ).all()
    scopes: dict[tuple[Any, ...], tuple[Scope, tuple[str, date]]] = {}
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
        return None, None
    return Scope.of(roster), (officer.unit_id, span.start.date())


def _utc(local: datetime, zone: ZoneInfo) -> datetime:
    return to_instant(local, zone).replace(tzinfo=None)


def coverage_scope(
    session: Session, unit: str, from_date: date
) -> tuple[Scope | None, tuple[str, date] | None]:
    """The published version of the unit on `from_date`, else the first one after it."""
    found = next(later_scopes(session, unit, from_date), None)
    if found is None:
        return None, None
    scope, first = found
    return scope, (unit, first)


def later_scopes(session: Session, unit: str, begin: date) -> Iterator[tuple[Scope, date]]:
    """The published roster versions of the unit, one after another from `begin` on, each with
    its first published day of the unit (each read when the one before it is done with, so a
    caller may publish new versions as it goes)."""
    while True:
        first = session.scalar(
            select(func.min(PublishedDay.date)).where(
                PublishedDay.unit_id == unit, PublishedDay.date >= begin
            )
        )
        if first is None:
            return
        roster = published_roster(session, unit, first)
        assert roster is not None
        scope = Scope.of(roster)
        yield scope, first
        begin = scope.end


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


def carried(
    session: Session,
    post: Post,
    shift: str,
    from_date: date,
    new: Sequence[d.Coverage],
    begin: date,
    options: ChangeOptions,
) -> list[dict[str, Any]]:
    """What a coverage change will do to the rosters published after the one it is re-planned in
    (from `begin`): per version, the duties the new coverage no longer allows."""
    out = []
    for scope, _ in later_scopes(session, post.unit_id, begin):
        scenario, _ = scenario_now(session, scope, options)
        changed = with_coverage_from(scenario, post.id, shift, from_date, new)
        held = [a for a in scenario.baseline if (a.post, a.shift) == (post.id, shift)]
        removed = sorted(not_allowed(changed, held))
        out.append(
            {
                "roster_id": scope.roster_id,
                "start": scope.start.isoformat(),
                "days": scope.days,
                "removed": [duty_dict(a) for a in removed],
            }
        )
    return out


def _entries(post: Post, shift: str) -> list[int]:
    return [i for i, c in enumerate(post.coverage) if c.shift_id == shift]


def _new_coverage(session: Session, post: Post, body: cs.CoverageChangeCreate) -> list[d.Coverage]:
    """The post's entries for the shift from `from_date` on: none when closed (min = max = 0)."""
    top = body.min if body.max is None else body.max
    if top == 0:
        return []
    current = [post.coverage[i] for i in _entries(post, body.shift)]
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
            [ErrorDetail("body.skills", f"skill {k} needs {n} > max {top}", k) for k, n in too_many.items()],
        )
    days = body.days if body.days is not None else (only.days if only else None)
    return [
        d.Coverage(body.shift, body.min, top, d.frozen_map(skills), None if days is None else tuple(days))
    ]
