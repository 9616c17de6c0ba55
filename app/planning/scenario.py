"""The scenario of a horizon, built from the stored data: what a roster job solves, an export
writes, and a change is judged in.

`scenario_from_db` reads the reference data and the published roster; `scenario_for` adds the
coverage changes in force from a date (`app.planning.coverage_steps`). Roster jobs, exports and
changes all build their scenario with `scenario_for`, so they see the same coverage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import wall_clock_of_utc
from app.core.errors import ErrorDetail, InvalidInput
from app.groups.records import scenario_groups
from app.levels.models import OwedRestEntry
from app.levels.owed import balance as owed_balance
from app.planning.coverage_steps import stored_steps, with_coverage_steps
from app.planning.levels import stored_periods, with_levels
from app.planning.records import OFFICER_RECORDS, officer_to_domain, post_to_domain, shift_type_to_domain
from app.reference import models as m
from app.reference.settings import settings_row
from app.rosters.queries import published_assignments
from solver import domain as d
from solver.domain import WEIGHT_FIELDS
from solver.io.errors import InvalidDocument
from solver.io.load import scenario_from_dict
from solver.io.v2 import rules_from_json
from solver.io.write import scenario_to_dict


@dataclass(frozen=True)
class ScenarioScope:
    """What a scenario built from the database covers."""

    start: date
    days: int
    unit_ids: Sequence[str] | None = None
    """None: every unit."""
    history_days: int = 28
    full: bool = False
    """Export every request and span as stored (not only those that matter to the horizon)."""

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days)


def scenario_from_db(session: Session, scope: ScenarioScope) -> d.Scenario:
    """The scenario of `scope`, validated by the scenario loader (raises `InvalidDocument`).

    Posts of the chosen units; officers at home in them or serving them; the published roster of
    the horizon as baseline; earlier published duties as history; published duties elsewhere
    (other units' posts, or just outside the horizon) as unavailability, so no officer is booked twice.
    """
    settings = settings_row(session)
    all_units = {u.id: u for u in session.scalars(select(m.Unit))}
    chosen = set(all_units) if scope.unit_ids is None else set(scope.unit_ids)
    posts = list(session.scalars(select(m.Post).where(m.Post.unit_id.in_(chosen)).order_by(m.Post.id)))
    officers = [
        o
        for o in session.scalars(select(m.Officer).options(*OFFICER_RECORDS).order_by(m.Officer.id))
        if o.unit_id in chosen or any(u.id in chosen for u in o.serves)
    ]
    officer_ids = {o.id for o in officers}
    unit_ids = chosen | {o.unit_id for o in officers}
    shift_types = list(session.scalars(select(m.ShiftType).order_by(m.ShiftType.position, m.ShiftType.id)))
    zone = ZoneInfo(settings.timezone)

    published = published_assignments(
        session, scope.start - timedelta(days=scope.history_days), scope.end + timedelta(days=1)
    )
    history: dict[str, dict[tuple[str, date], d.HistoryDuty]] = defaultdict(dict)
    busy: dict[str, list[d.Span]] = defaultdict(list)
    baseline: list[d.Assignment] = []
    for a in published:
        if a.officer_id not in officer_ids and a.unit_id not in chosen:
            continue
        if a.date < scope.start:
            history[a.officer_id][(a.shift_id, a.date)] = d.HistoryDuty(a.shift_id, a.date)
        elif a.date < scope.end and a.unit_id in chosen:
            baseline.append(d.Assignment(a.date, a.shift_id, a.post_id, a.officer_id))
        elif a.officer_id in officer_ids:
            start = wall_clock_of_utc(a.start_at, zone)
            end = wall_clock_of_utc(a.end_at, zone)
            busy[a.officer_id].append(
                d.Span(start, end, f"on duty at {a.post_id} (published roster {a.roster_id})")
            )

    horizon_start = datetime.combine(scope.start - timedelta(days=1), time())
    horizon_end = datetime.combine(scope.end + timedelta(days=2), time())
    domain_officers = []
    owing = set(session.scalars(select(OwedRestEntry.officer_id).distinct()))
    for o in officers:
        for h in o.history:
            if h.date < scope.start:
                history[o.id].setdefault((h.shift_id, h.date), d.HistoryDuty(h.shift_id, h.date))
        requests = [r for r in o.requests if scope.full or scope.start <= r.date < scope.end]
        officer = officer_to_domain(
            o,
            serves=[u.id for u in o.serves if u.id in unit_ids],
            requests=requests,
            busy=busy.get(o.id, ()),
            history=sorted(history[o.id].values(), key=lambda h: (h.date, h.shift)),
        )
        if not scope.full:
            officer = _trim_spans(officer, horizon_start, horizon_end)
        if officer.id in owing:
            officer = _with_owed_rest(session, officer, scope)
        domain_officers.append(officer)

    pinned = [
        d.Assignment(p.date, p.shift_id, p.post_id, p.officer_id)
        for p in session.scalars(
            select(m.PinnedDuty).where(m.PinnedDuty.date >= scope.start, m.PinnedDuty.date < scope.end)
        )
        if p.post_id in {post.id for post in posts}
    ]
    skills = list(session.scalars(select(m.Skill).order_by(m.Skill.id)))
    scenario = d.Scenario(
        name=settings.name,
        timezone=settings.timezone,
        start=scope.start,
        days=scope.days,
        shift_types=tuple(shift_type_to_domain(s) for s in shift_types),
        units=tuple(d.Unit(u, all_units[u].name) for u in sorted(unit_ids)),
        skills=tuple(d.Skill(s.id, s.name) for s in skills),
        posts=tuple(post_to_domain(p) for p in posts),
        officers=tuple(domain_officers),
        rules=d.WorkRules(**rules_from_json(settings.rules)),
        weights=d.Weights(**{k: v for k, v in settings.weights.items() if k in WEIGHT_FIELDS}),
        pinned=tuple(sorted(pinned)),
        baseline=tuple(sorted(baseline)),
        groups=scenario_groups(session, officer_ids),
    )
    # The loader is the one judge of validity: a scenario the service builds must pass it too.
    return scenario_from_dict(scenario_to_dict(scenario))


def _with_owed_rest(session: Session, o: d.Officer, scope: ScenarioScope) -> d.Officer:
    """The officer with the owed rest (补休) of their balance (app.levels.owed) as the engine's hard
    `owed_rest` rule: the days still owed, due by the balance's deadline; when the deadline lies
    beyond the horizon, the horizon's share of them (pro rata of the dates from its start to the
    deadline, rounded up), due by its last date, so the rest spreads over the weeks up to the
    deadline; at most the horizon dates up to then. A deadline before the horizon asks nothing of
    it, nor does a horizon that starts before the accruing period ends (its days off would fall in
    the surge). What rosters published in this horizon granted is owed again: a re-plan gives it
    anew."""
    owed = owed_balance(session, o.id, replanning=(scope.start, scope.end))
    if owed.days <= 0 or owed.deadline is None or owed.deadline < scope.start:
        return o
    if owed.since is not None and scope.start < owed.since:
        return o
    by = min(owed.deadline, scope.end - timedelta(days=1))
    here, window = (by - scope.start).days + 1, (owed.deadline - scope.start).days + 1
    days = min(-(-owed.days * here // window), here)
    return replace(o, owed_rest=(*o.owed_rest, d.OwedRest(days, by)))


def _trim_spans(o: d.Officer, start: datetime, end: datetime) -> d.Officer:
    def near(spans: tuple[d.Span, ...]) -> tuple[d.Span, ...]:
        return tuple(s for s in spans if s.start < end and s.end > start)

    return replace(o, unavailable=near(o.unavailable), busy=near(o.busy))


def loader_errors(exc: InvalidDocument) -> list[ErrorDetail]:
    """The scenario loader's errors as error details (field path, message, id)."""
    return [ErrorDetail(e.path, e.message, e.id) for e in exc.errors]


def validated(s: d.Scenario) -> d.Scenario:
    """The loader is the one judge of validity (pinned duties on closed slots, skills above max)."""
    try:
        return scenario_from_dict(scenario_to_dict(s))
    except InvalidDocument as exc:
        raise InvalidInput("the change would make the scenario invalid", loader_errors(exc)) from None


def scenario_for(session: Session, scope: ScenarioScope) -> d.Scenario:
    """The scenario of `scope` from the stored data, with the coverage changes dated in it and the
    duty levels declared in it (app.planning.levels)."""
    try:
        scenario = scenario_from_db(session, scope)
    except InvalidDocument as exc:
        raise InvalidInput(
            "the stored data do not make a valid scenario for this request", loader_errors(exc)
        ) from None
    stepped = with_coverage_steps(scenario, stored_steps(session, (p.id for p in scenario.posts)))
    leveled = with_levels(stepped, stored_periods(session, stepped))
    return scenario if leveled is scenario else validated(leveled)
