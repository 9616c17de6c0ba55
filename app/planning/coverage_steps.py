"""Coverage changes in force from a date, in a scenario.

A post's stored coverage always holds its newest entries; each applied coverage change is a step:
from `from_date` on, the entries of (post, shift) are `coverage` instead of `previous`. A horizon
that starts before such a date sees the old entries on the dates before it and the new ones from
it, written as coverage entries on explicit dates (scenario format v1 `days`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes.models import CoverageChange
from app.planning.records import CoverageEntry
from solver import domain as d


@dataclass(frozen=True)
class CoverageStep:
    """From `from_date` on, the entries of (post, shift) are `coverage` instead of `previous`."""

    post: str
    shift: str
    from_date: date
    previous: tuple[d.Coverage, ...]
    coverage: tuple[d.Coverage, ...]


def stored_steps(session: Session, posts: Iterable[str]) -> list[CoverageStep]:
    rows = session.scalars(
        select(CoverageChange)
        .where(CoverageChange.post_id.in_(sorted(set(posts))))
        .order_by(CoverageChange.id)
    )
    return [
        CoverageStep(
            r.post_id,
            r.shift_id,
            r.from_date,
            tuple(CoverageEntry.model_validate(c).coverage() for c in r.previous),
            tuple(CoverageEntry.model_validate(c).coverage() for c in r.coverage),
        )
        for r in rows
    ]


def _on_dates(
    s: d.Scenario, post: d.Post, shift: str, entries_on: Callable[[date], Sequence[d.Coverage]]
) -> tuple[d.Coverage, ...]:
    """The post's coverage with its entries for `shift` rewritten date by date: on each date of the
    horizon, the first of `entries_on(date)` that selects it, as entries on explicit dates."""
    per_date: dict[tuple[int, int, tuple[tuple[str, int], ...]], list[str]] = defaultdict(list)
    for day in s.dates:
        for c in entries_on(day):
            if c.selects(day):
                per_date[(c.min, c.max, tuple(sorted(c.skills.items())))].append(day.isoformat())
                break
    return tuple(c for c in post.coverage if c.shift != shift) + tuple(
        d.Coverage(shift, lo, hi, d.frozen_map(dict(skills)), tuple(days))
        for (lo, hi, skills), days in per_date.items()
    )


def _with_posts(s: d.Scenario, coverage: dict[str, tuple[d.Coverage, ...]]) -> d.Scenario:
    if not coverage:
        return s
    return replace(
        s, posts=tuple(replace(p, coverage=coverage[p.id]) if p.id in coverage else p for p in s.posts)
    )


def _in_force(
    current: Sequence[d.Coverage], chain: Sequence[CoverageStep], day: date
) -> Sequence[d.Coverage]:
    """The entries in force on `day`: `current` (the stored, newest ones) once every step holds,
    else the last step begun by then (the first step's `previous` before any)."""
    if all(day >= step.from_date for step in chain):
        return current
    entries: Sequence[d.Coverage] = chain[0].previous
    for step in chain:
        if day >= step.from_date:
            entries = step.coverage
    return entries


def with_coverage_steps(s: d.Scenario, steps: Sequence[CoverageStep]) -> d.Scenario:
    """`s` with each (post, shift) that has a step dated inside the horizon rewritten date by date:
    on each date, the entries of the last step in force then (the steps' `previous` before the
    first of them). Steps are in the order they were made. `s` itself when no step is inside."""
    by_key: dict[tuple[str, str], list[CoverageStep]] = defaultdict(list)
    for step in steps:
        by_key[(step.post, step.shift)].append(step)
    posts = {p.id: p for p in s.posts}
    rewritten: dict[str, d.Post] = {}
    for (post_id, shift), chain in by_key.items():
        post = rewritten.get(post_id, posts.get(post_id))
        if post is None or all(step.from_date <= s.start for step in chain):
            continue  # the stored entries (the newest) hold on every date of the horizon
        current = [c for c in posts[post_id].coverage if c.shift == shift]
        entries_on = partial(_in_force, current, chain)
        rewritten[post_id] = replace(post, coverage=_on_dates(s, post, shift, entries_on))
    return _with_posts(s, {i: p.coverage for i, p in rewritten.items()})


def with_coverage_from(
    s: d.Scenario, post_id: str, shift: str, from_date: date, new: Sequence[d.Coverage]
) -> d.Scenario:
    """`s` with the post's entries for `shift` replaced by `new` from `from_date` on."""
    if not s.has_post(post_id):
        return s
    post = s.post(post_id)
    old = [c for c in post.coverage if c.shift == shift]
    coverage = _on_dates(s, post, shift, lambda day: old if day < from_date else new)
    return _with_posts(s, {post_id: coverage})
