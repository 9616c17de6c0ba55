"""Duty levels in a scenario: on the dates a level is declared for a unit, the unit's posts that
have entries in that level's profile are staffed by them instead of their normal coverage.

A post with no entry in a level's profile keeps its normal coverage at that level; an entry with
max 0 closes its shift. Outside every declared period (and so once one ends) the coverage it had
before holds again. Declarations are taken in the order made: the newest covering a date holds.
Rewritten posts carry their entries on explicit dates (scenario format v1 `days`), as coverage
changes do (app.planning.coverage_steps)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.levels.models import LevelDeclaration
from app.reference.models import Coverage
from solver import domain as d


@dataclass(frozen=True)
class LevelPeriod:
    """`level` in force for `units` on [start, end), with its profile: post → entries."""

    level: str
    start: date
    end: date
    units: frozenset[str]
    profile: Mapping[str, tuple[d.Coverage, ...]]


def level_profile(session: Session, level: str, posts: Iterable[str]) -> dict[str, tuple[d.Coverage, ...]]:
    """The level's entries of each of the posts that has any (max 0 included: a closed shift)."""
    rows = session.scalars(
        select(Coverage)
        .where(Coverage.level == level, Coverage.post_id.in_(sorted(set(posts))))
        .order_by(Coverage.post_id, Coverage.position, Coverage.id)
    )
    out: dict[str, list[d.Coverage]] = defaultdict(list)
    for c in rows:
        days = None if c.days is None else tuple(c.days)
        out[c.post_id].append(d.Coverage(c.shift_id, c.min, c.max, d.frozen_map(c.skills), days))
    return {k: tuple(v) for k, v in out.items()}


def stored_periods(session: Session, s: d.Scenario) -> list[LevelPeriod]:
    """The declared levels meeting the scenario's horizon, oldest first, with their profiles."""
    rows = session.scalars(
        select(LevelDeclaration)
        .where(LevelDeclaration.start < s.end, LevelDeclaration.end > s.start)
        .order_by(LevelDeclaration.id)
    )
    posts = [p.id for p in s.posts]
    profiles: dict[str, dict[str, tuple[d.Coverage, ...]]] = {}
    out = []
    for r in rows:
        if r.level not in profiles:
            profiles[r.level] = level_profile(session, r.level, posts)
        out.append(LevelPeriod(r.level, r.start, r.end, frozenset(r.unit_ids), profiles[r.level]))
    return out


def _rewritten(s: d.Scenario, post: d.Post, periods: Sequence[LevelPeriod]) -> tuple[d.Coverage, ...]:
    per_days: dict[tuple[str, int, int, tuple[tuple[str, int], ...]], list[str]] = defaultdict(list)
    for day in s.dates:
        entries: Sequence[d.Coverage] = post.coverage
        for period in reversed(periods):
            if period.start <= day < period.end:
                entries = period.profile[post.id]
                break
        for c in entries:
            if c.max > 0 and c.selects(day):
                per_days[(c.shift, c.min, c.max, tuple(sorted(c.skills.items())))].append(day.isoformat())
    return tuple(
        d.Coverage(shift, lo, hi, d.frozen_map(dict(skills)), tuple(days))
        for (shift, lo, hi, skills), days in per_days.items()
    )


def with_levels(s: d.Scenario, periods: Sequence[LevelPeriod]) -> d.Scenario:
    """`s` with the declared levels' profiles on their dates (`s` itself when none applies)."""
    changed: dict[str, d.Post] = {}
    for post in s.posts:
        mine = [
            p
            for p in periods
            if post.unit in p.units and post.id in p.profile and p.start < s.end and p.end > s.start
        ]
        if mine:
            changed[post.id] = replace(post, coverage=_rewritten(s, post, mine))
    if not changed:
        return s
    return replace(s, posts=tuple(changed.get(p.id, p) for p in s.posts))
