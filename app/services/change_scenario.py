"""The scenario a change to the published roster is judged on, built in one place.

- `scenario_for` is `mappers.scenario_from_db` plus the coverage changes in force from a date
  (`coverage_changes`): a horizon that starts before such a date sees the post's old entries on
  the dates before it and the new ones from it, as explicit dates (scenario format v1 `days`).
  Roster jobs build their scenario here too, so a re-solve of the week sees the same coverage.
- `Scope`: the horizon and units of the published roster version a change lives in.
- `service_now` and `with_frozen_past`: duties that started before "now" are facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import mappers
from app.errors import ErrorDetail, InvalidInput
from app.models import CoverageChange, Officer, PublishedDay, Roster, officer_serves
from solver import domain as d
from solver.scenario import InvalidDocument, scenario_from_dict, scenario_to_dict
from solver.timeline import Timeline, overlaps


@dataclass(frozen=True)
class Scope:
    """Where a change is checked and applied: a published version's horizon and units."""

    start: date
    days: int
    unit_ids: tuple[str, ...]
    roster_id: int
    """The version published for the change's first unit-day when the scope was taken."""

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days)

    def holds(self, unit: str, day: date) -> bool:
        return unit in self.unit_ids and self.start <= day < self.end

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "days": self.days,
            "units": list(self.unit_ids),
            "roster_id": self.roster_id,
        }

    @classmethod
    def of(cls, roster: Roster) -> Scope:
        return cls(roster.start, roster.days, tuple(roster.unit_ids), roster.id)


def component_units(session: Session, unit: str) -> set[str]:
    """The units joined to `unit` by officers who serve them (as `solver.solve.components` joins
    them): a duty there can only be taken, and scored, within them."""
    parent: dict[str, str] = {}

    def root(u: str) -> str:
        parent.setdefault(u, u)
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for officer_unit, served in session.execute(
        select(Officer.unit_id, officer_serves.c.unit_id).join(
            officer_serves, officer_serves.c.officer_id == Officer.id
        )
    ):
        parent[root(served)] = root(officer_unit)
    return {u for u in parent if root(u) == root(unit)} | {unit}


def published_roster(session: Session, unit: str, day: date) -> Roster | None:
    """The version published for `unit` on `day`."""
    cell = session.get(PublishedDay, (unit, day))
    return None if cell is None else session.get(Roster, cell.roster_id)


# --------------------------------------------------------------------------- coverage from a date


@dataclass(frozen=True)
class CoverageStep:
    """From `from_date` on, the entries of (post, shift) are `coverage` instead of `previous`."""

    post: str
    shift: str
    from_date: date
    previous: tuple[d.Coverage, ...]
    coverage: tuple[d.Coverage, ...]


def coverage_to_dict(c: d.Coverage) -> dict[str, Any]:
    return {
        "shift": c.shift,
        "min": c.min,
        "max": c.max,
        "skills": dict(c.skills),
        "days": None if c.days is None else list(c.days),
    }


def coverage_from_dict(data: dict[str, Any]) -> d.Coverage:
    days = data.get("days")
    return d.Coverage(
        shift=str(data["shift"]),
        min=int(data["min"]),
        max=int(data["max"]),
        skills=d.frozen_map(data.get("skills") or {}),
        days=None if days is None else tuple(days),
    )


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
            tuple(coverage_from_dict(c) for c in r.previous),
            tuple(coverage_from_dict(c) for c in r.coverage),
        )
        for r in rows
    ]


def with_coverage_steps(s: d.Scenario, steps: Sequence[CoverageStep], validate: bool = True) -> d.Scenario:
    """`s` with each (post, shift) that has a step dated inside the horizon rewritten date by date:
    on each date, the entries of the last step in force then (the steps' `previous` before the
    first of them), as coverage entries on explicit dates. Steps are in the order they were made."""
    by_key: dict[tuple[str, str], list[CoverageStep]] = defaultdict(list)
    for step in steps:
        by_key[(step.post, step.shift)].append(step)
    posts = {p.id: p for p in s.posts}
    rewritten: dict[str, list[d.Coverage]] = {}
    for (post_id, shift), chain in by_key.items():
        post = posts.get(post_id)
        if post is None or all(step.from_date <= s.start for step in chain):
            continue  # the stored entries (the newest) hold on every date of the horizon
        per_date: dict[tuple[int, int, tuple[tuple[str, int], ...]], list[str]] = defaultdict(list)
        current = [c for c in post.coverage if c.shift == shift]
        for day in s.dates:
            if all(day >= step.from_date for step in chain):
                entries: Sequence[d.Coverage] = current
            else:
                entries = chain[0].previous
                for step in chain:
                    if day >= step.from_date:
                        entries = step.coverage
            for c in entries:
                if c.selects(day):
                    per_date[(c.min, c.max, tuple(sorted(c.skills.items())))].append(day.isoformat())
                    break
        others = rewritten.get(post_id, [c for c in post.coverage if c.shift != shift])
        rewritten[post_id] = others + [
            d.Coverage(shift, lo, hi, d.frozen_map(dict(skills)), tuple(days))
            for (lo, hi, skills), days in per_date.items()
        ]
    if not rewritten:
        return s
    changed = replace(
        s,
        posts=tuple(replace(p, coverage=tuple(rewritten[p.id])) if p.id in rewritten else p for p in s.posts),
    )
    return validated(changed) if validate else changed


def validated(s: d.Scenario) -> d.Scenario:
    """The loader is the one judge of validity (pinned duties on closed slots, skills above max)."""
    try:
        return scenario_from_dict(scenario_to_dict(s))
    except InvalidDocument as exc:
        raise InvalidInput(
            "the change would make the scenario invalid",
            [ErrorDetail(e.path, e.message, e.id) for e in exc.errors],
        ) from None


def scenario_for(session: Session, scope: mappers.ScenarioScope) -> d.Scenario:
    """The scenario of `scope` from the stored data, with the coverage changes dated in it."""
    try:
        scenario = mappers.scenario_from_db(session, scope)
    except InvalidDocument as exc:
        raise InvalidInput(
            "the stored data do not make a valid scenario for this request",
            [ErrorDetail(e.path, e.message, e.id) for e in exc.errors],
        ) from None
    return with_coverage_steps(scenario, stored_steps(session, (p.id for p in scenario.posts)))


def scope_scenario(session: Session, scope: Scope, history_days: int) -> d.Scenario:
    return scenario_for(
        session,
        mappers.ScenarioScope(
            start=scope.start, days=scope.days, unit_ids=list(scope.unit_ids), history_days=history_days
        ),
    )


def following_duties(session: Session, scope: Scope, s: d.Scenario) -> list[d.Assignment]:
    """The duties published for the week after the scope, of the scenario's officers: the
    rosters published after this one were planned with it as history (see `BOUNDARY_RULES`)."""
    rows = mappers.published_assignments(session, scope.end, scope.end + timedelta(days=7))
    return [
        d.Assignment(a.date, a.shift_id, a.post_id, a.officer_id)
        for a in rows
        if s.has_officer(a.officer_id) and s.has_post(a.post_id)
    ]


# --------------------------------------------------------------------------- now and the worked past


def local_now(configured: datetime | None, timezone: str) -> datetime:
    """Now as local wall-clock time: the configured value (`ROSTER_NOW`), else the clock."""
    return configured or datetime.now(ZoneInfo(timezone)).replace(tzinfo=None, second=0, microsecond=0)


def service_now(configured: datetime | None, timezone: str, scope: Scope) -> datetime:
    """`local_now`, clamped into the scope's horizon."""
    now = local_now(configured, timezone)
    first = datetime.combine(scope.start, time())
    last = datetime.combine(scope.end, time())
    return min(max(now, first), last)


def worked(s: d.Scenario, duties: Iterable[d.Assignment], now: datetime) -> list[d.Assignment]:
    """The duties that started before `now` and overlap none of their officer's unavailability:
    facts, whatever the change (as `solver.repair.replan` counts them)."""
    timeline = Timeline(s)
    cutoff = timeline.instant(now)
    out = []
    for a in duties:
        if not (s.has_officer(a.officer) and s.has_post(a.post) and s.has_shift(a.shift)):
            continue
        start, end = timeline.duty(a.shift, a.date)
        if start >= cutoff or not s.in_horizon(a.date):
            continue
        spans = [timeline.span(span) for span in s.officer(a.officer).unavailable]
        if not any(overlaps((start, end), x) for x in spans):
            out.append(a)
    return out


def with_frozen_past(s: d.Scenario, now: datetime) -> d.Scenario:
    """`s` with `frozen_until` = now and the published duties worked by then pinned."""
    pins = tuple(dict.fromkeys((*s.pinned, *worked(s, s.baseline, now))))
    return replace(s, pinned=pins, frozen_until=now)
