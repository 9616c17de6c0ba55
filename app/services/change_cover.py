"""Who can cover a duty of the published roster: `solver.repair.who_can_cover` on the scenario of
the published version holding it, with the past before "now" frozen (no one covers a duty that
has started)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.errors import ErrorDetail, Forbidden, RuleViolation
from app.models import Officer, Post, ShiftType, User
from app.schemas import changes as cs
from app.services.access import readable_units
from app.services.change_plan import ChangeOptions, known
from app.services.change_scenario import (
    Scope,
    component_units,
    following_duties,
    published_roster,
    scope_scenario,
    service_now,
    with_frozen_past,
)
from solver import domain as d
from solver.repair import who_can_cover


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
    known(session, Post, post_id, "query.post")
    known(session, ShiftType, shift, "query.shift")
    if officer is not None:
        known(session, Officer, officer, "query.officer")
    post = session.get(Post, post_id)
    assert post is not None
    readable = readable_units(session, user)
    if readable is not None and post.unit_id not in readable:
        raise Forbidden(f"officers may look for cover in their own unit only, not {post.unit_id!r}")
    roster = published_roster(session, post.unit_id, day)
    if roster is None:
        raise RuleViolation(
            f"no roster is published for unit {post.unit_id!r} on {day}",
            [ErrorDetail("query.date", f"no published roster for {post.unit_id} on {day}")],
        )
    whole = Scope.of(roster)
    units = tuple(u for u in whole.unit_ids if u in component_units(session, post.unit_id))
    scope = Scope(whole.start, whole.days, units, whole.roster_id)  # the rest cannot take it
    scenario = scope_scenario(session, scope, options.history_days)
    scenario = with_frozen_past(scenario, service_now(options.now, scenario.timezone, scope))
    key = d.SlotKey(post_id, shift, day)
    if key not in {slot.key for slot in scenario.slots()}:
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
    candidates = [
        cs.CandidateOut(
            officer=cs.OfficerRef(id=c.officer.id, name=c.officer.name, unit=c.officer.unit),
            can=c.can,
            total=c.total if c.can else None,
            delta=dict(c.delta) if c.can else None,
            blocks=[cs.BlockOut(rule=b.rule, message=b.message) for b in c.blocks],
        )
        for c in who_can_cover(
            scenario, scenario.baseline, duty, following=following_duties(session, scope, scenario)
        )
    ]
    return cs.CoverRead(
        duty=cs.CoverDuty(officer=officer, post=post_id, shift=shift, date=day),
        roster_id=roster.id,
        candidates=candidates,
    )
