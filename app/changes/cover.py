"""Who can cover a duty of the published roster: `solver.cover.who_can_cover` on the scenario of
the published version holding it, within the duty's part of the units, with the past before
"now" frozen (no one covers a duty that has started). Officers on standby (备勤) at the duty's time
are judged as called out (their standby duty gives way) and, when they can, come first."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.accounts.access import ensure_reads_unit, sees_reasons
from app.accounts.models import User
from app.changes import schemas as cs
from app.changes.judging import ChangeOptions, Situation
from app.core.clock import local_now
from app.core.errors import ErrorDetail, RuleViolation
from app.core.generation import stamp
from app.planning.parts import units_in_part_of
from app.planning.schemas import CoverDuty
from app.planning.scope import Scope, published_roster
from app.planning.standby import on_standby_during, standby_posts
from app.reference.lookups import known
from app.reference.models import Officer, Post, ShiftType
from solver import domain as d
from solver.cover import Boundary, who_can_cover
from solver.scorer import Scorer


def rank(c: cs.CandidateOut) -> tuple[object, ...]:
    """Who can first: officers on standby (called out first), then the holder's duty group, then by
    score change; ties (and those who cannot) by what a dispatcher would ask next: the same unit
    as the duty's holder, already on this post this week, fewest hours."""
    return (
        not c.can,
        not c.standby,
        not c.same_group,
        c.total or 0,
        not c.same_unit,
        not c.same_post,
        c.minutes,
        c.officer.id,
    )


IGNORED_TABLES = frozenset({"api_tokens", "solve_jobs", "notifications", "audit_events", "tour_jobs"})
"""Tables no answer of who-can-cover reads: writes to them keep the prepared versions."""

CACHE_SIZE = 4


@dataclass(frozen=True)
class Prepared:
    """A published version's situation, frozen at one "now", with what who-can-cover keeps
    between questions on it: the scorer (its ledgers built per officer on first use), the
    boundary ledgers over the week after, the slots, each officer's minutes of duty."""

    at: Situation
    scenario: d.Scenario
    scorer: Scorer
    boundary: Boundary | None
    slots: frozenset[d.SlotKey]
    minutes: dict[str, int]

    @classmethod
    def of(cls, at: Situation) -> Prepared:
        scenario = at.frozen
        scorer = Scorer(scenario, scenario.baseline)
        boundary = Boundary(scenario, scorer.roster, at.following) if at.following else None
        minutes: dict[str, int] = {}
        for a in scenario.baseline:
            if scenario.in_horizon(a.date) and scenario.has_shift(a.shift):
                minutes[a.officer] = minutes.get(a.officer, 0) + scenario.shift(a.shift).minutes
        return cls(at, scenario, scorer, boundary, frozenset(scorer.slots), minutes)


_cache: OrderedDict[tuple[object, ...], Prepared] = OrderedDict()
_cache_lock = threading.Lock()


def prepared(session: Session, scope: Scope, options: ChangeOptions) -> Prepared:
    """The scope's situation now, prepared for who-can-cover: kept (a few versions, most recent
    use last) while the stored data stay the same (`app.core.generation.stamp`) and "now" (a
    minute) too, so the questions of a dispatcher looking for cover are answered from memory."""
    key: tuple[object, ...] = (
        stamp(session, IGNORED_TABLES),
        scope,
        options.history_days,
        options.now,
        local_now(None, "UTC") if options.now is None else None,
    )
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    made = Prepared.of(Situation.of(session, scope, options))
    with _cache_lock:
        _cache[key] = made
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return made


def cover(
    session: Session,
    user: User,
    *,
    post_id: str,
    shift: str,
    day: date,
    officer: str | None,
    options: ChangeOptions,
) -> cs.CoverRead:
    post = known(session, Post, post_id, "query.post")
    known(session, ShiftType, shift, "query.shift")
    if officer is not None:
        known(session, Officer, officer, "query.officer")
    refusal = f"officers may look for cover in their own unit only, not {post.unit_id!r}"
    ensure_reads_unit(session, user, post.unit_id, refusal)
    roster = published_roster(session, post.unit_id, day)
    if roster is None:
        raise RuleViolation(
            f"no roster is published for unit {post.unit_id!r} on {day}",
            [ErrorDetail("query.date", f"no published roster for {post.unit_id} on {day}")],
        )
    whole = Scope.of(roster)
    part = units_in_part_of(session, post.unit_id)
    units = tuple(u for u in whole.unit_ids if u in part)
    scope = Scope(whole.start, whole.days, units, whole.roster_id)  # the rest cannot take it
    ready = prepared(session, scope, options)
    at, scenario = ready.at, ready.scenario
    if d.SlotKey(post_id, shift, day) not in ready.slots:
        raise RuleViolation(
            f"post {post_id!r} has no {shift} slot on {day}",
            [ErrorDetail("query.shift", f"no {shift} slot at {post_id} on {day}")],
        )
    duty = d.Assignment(day, shift, post_id, officer or "")
    if officer is not None and duty not in ready.scorer.present:
        raise RuleViolation(
            f"{officer} holds no {shift} duty at {post_id} on {day} in the published roster",
            [ErrorDetail("query.officer", "does not hold this duty", officer)],
        )
    found = list(
        who_can_cover(
            scenario, scenario.baseline, duty, ready.scorer, following=at.following, boundary=ready.boundary
        )
    )
    standby = standby_posts(session)
    reserves = {} if post_id in standby else on_standby_during(scenario, scenario.baseline, standby, duty)
    if reserves:  # judged as called out: their standby duty gives way to this one
        freed = [a for a in scenario.baseline if a not in set(reserves.values())]
        called = {
            c.officer.id: c
            for c in who_can_cover(scenario, freed, duty, following=at.following, only=set(reserves))
        }
        found = [called.get(c.officer.id, c) for c in found]
        found.sort(key=lambda c: not (c.can and c.officer.id in reserves))  # stable: reserves first
    holder_unit = scenario.officer(officer).unit if officer is not None else post.unit_id
    holder_group = scenario.group_of(officer) if officer is not None else None
    minutes = ready.minutes
    at_post = {oid for oid in ready.scorer.duties if any(a.post == post_id for a in ready.scorer.duties[oid])}
    candidates = [
        cs.CandidateOut(
            officer=cs.OfficerRef(id=c.officer.id, name=c.officer.name, unit=c.officer.unit),
            can=c.can,
            total=c.total if c.can else None,
            delta=dict(c.delta) if c.can else None,
            blocks=[cs.BlockOut.of(b, sees_reasons(user, c.officer.id, c.officer.unit)) for b in c.blocks],
            standby=c.officer.id in reserves,
            same_group=holder_group is not None and c.officer.id in holder_group.members,
            same_unit=c.officer.unit == holder_unit,
            same_post=c.officer.id in at_post,
            minutes=minutes.get(c.officer.id, 0),
        )
        for c in found
    ]
    candidates.sort(key=rank)
    return cs.CoverRead(
        duty=CoverDuty(officer=officer, post=post_id, shift=shift, date=day),
        roster_id=roster.id,
        candidates=candidates,
    )
