"""Who can cover a duty of the published roster: `solver.cover.who_can_cover` on the scenario of
the published version holding it, within the duty's part of the units, with the past before
"now" frozen (no one covers a duty that has started). Officers on standby (备勤) at the duty's time
are judged as called out (their standby duty gives way) and, when they can, come first."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.accounts.access import UNAVAILABLE, ensure_reads_unit, sees_reasons
from app.accounts.models import User
from app.changes import schemas as cs
from app.changes.judging import ChangeOptions, Situation
from app.core.errors import ErrorDetail, RuleViolation
from app.planning.parts import units_in_part_of
from app.planning.schemas import CoverDuty
from app.planning.scope import Scope, published_roster
from app.planning.standby import on_standby_during, standby_posts
from app.reference.lookups import known
from app.reference.models import Officer, Post, ShiftType
from solver import domain as d
from solver.cover import who_can_cover


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
    at = Situation.of(session, scope, options)
    scenario = at.frozen
    if d.SlotKey(post_id, shift, day) not in {slot.key for slot in scenario.slots()}:
        raise RuleViolation(
            f"post {post_id!r} has no {shift} slot on {day}",
            [ErrorDetail("query.shift", f"no {shift} slot at {post_id} on {day}")],
        )
    duty = d.Assignment(day, shift, post_id, officer or "")
    if officer is not None and duty not in set(scenario.baseline):
        raise RuleViolation(
            f"{officer} holds no {shift} duty at {post_id} on {day} in the published roster",
            [ErrorDetail("query.officer", "does not hold this duty", officer)],
        )
    found = list(who_can_cover(scenario, scenario.baseline, duty, following=at.following))
    standby = standby_posts(session)
    reserves = {} if post_id in standby else on_standby_during(scenario, scenario.baseline, standby, duty)
    if reserves:  # judged as called out: their standby duty gives way to this one
        freed = [a for a in scenario.baseline if a not in set(reserves.values())]
        called = {
            c.officer.id: c
            for c in who_can_cover(scenario, freed, duty, following=at.following)
            if c.officer.id in reserves
        }
        found = [called.get(c.officer.id, c) for c in found]
        found.sort(key=lambda c: not (c.can and c.officer.id in reserves))  # stable: reserves first
    holder_unit = scenario.officer(officer).unit if officer is not None else post.unit_id
    holder_group = scenario.group_of(officer) if officer is not None else None
    minutes: dict[str, int] = {}
    at_post: set[str] = set()
    for a in scenario.baseline:
        if scenario.in_horizon(a.date) and scenario.has_shift(a.shift):
            minutes[a.officer] = minutes.get(a.officer, 0) + scenario.shift(a.shift).minutes
        if a.post == post_id:
            at_post.add(a.officer)
    candidates = [
        cs.CandidateOut(
            officer=cs.OfficerRef(id=c.officer.id, name=c.officer.name, unit=c.officer.unit),
            can=c.can,
            total=c.total if c.can else None,
            delta=dict(c.delta) if c.can else None,
            blocks=[
                cs.BlockOut(
                    rule=b.rule,
                    message=b.message
                    if b.rule != "unavailable" or sees_reasons(user, c.officer.id, c.officer.unit)
                    else UNAVAILABLE,
                    params=dict(b.params),
                )
                for b in c.blocks
            ],
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
