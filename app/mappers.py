"""ORM rows ⇄ the solver's domain: the one place where the two vocabularies meet.

`scenario_from_db` builds the scenario a roster job solves (or an export writes) from the stored
data; `store_scenario` writes a loaded scenario into the database; the roster functions convert
roster versions both ways.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import models as m
from solver import domain as d
from solver.domain import WEIGHT_FIELDS, WORK_RULE_FIELDS
from solver.scenario import scenario_from_dict, scenario_to_dict
from solver.timeline import Timeline

# --------------------------------------------------------------------------- ORM → domain

OFFICER_RECORDS = (
    selectinload(m.Officer.serves),
    selectinload(m.Officer.skills),
    selectinload(m.Officer.unavailable),
    selectinload(m.Officer.requests),
    selectinload(m.Officer.history),
)
"""Loader options for reading many officers with everything a scenario needs, in six queries."""


def shift_type_to_domain(s: m.ShiftType) -> d.ShiftType:
    return d.ShiftType(s.id, s.name, s.start, s.minutes, s.night)


def post_to_domain(p: m.Post) -> d.Post:
    return d.Post(
        id=p.id,
        name=p.name,
        kind=d.PostKind(p.kind),
        unit=p.unit_id,
        priority=p.priority,
        coverage=tuple(
            d.Coverage(
                shift=c.shift_id,
                min=c.min,
                max=c.max,
                skills=d.frozen_map(c.skills),
                days=None if c.days is None else tuple(c.days),
            )
            for c in p.coverage
        ),
    )


def officer_to_domain(
    o: m.Officer,
    *,
    serves: Iterable[str] | None = None,
    requests: Iterable[m.OfficerRequest] | None = None,
    unavailable: Iterable[d.Span] = (),
    history: Iterable[d.Duty] = (),
) -> d.Officer:
    chosen = o.requests if requests is None else requests
    return d.Officer(
        id=o.id,
        name=o.name,
        unit=o.unit_id,
        serves=tuple(u.id for u in o.serves) if serves is None else tuple(serves),
        skills=frozenset(s.id for s in o.skills),
        unavailable=tuple(d.Span(u.start, u.end, u.reason) for u in o.unavailable) + tuple(unavailable),
        requests=tuple(
            d.Request(d.RequestKind(r.kind), r.date, r.weight, r.shift_id)
            for r in chosen
            if r.status == m.RequestStatus.APPROVED
        ),
        history=tuple(history),
        rule_overrides=d.frozen_map(o.rule_overrides),
    )


def settings_row(session: Session) -> m.DetachmentSettings:
    row = session.get(m.DetachmentSettings, 1)
    if row is None:
        row = m.DetachmentSettings(id=1, name="detachment", timezone="Asia/Shanghai", rules={}, weights={})
        session.add(row)
        session.flush()
    return row


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
    history: dict[str, dict[tuple[str, date], d.Duty]] = defaultdict(dict)
    busy: dict[str, list[d.Span]] = defaultdict(list)
    baseline: list[d.Assignment] = []
    for a in published:
        if a.officer_id not in officer_ids and a.unit_id not in chosen:
            continue
        if a.date < scope.start:
            history[a.officer_id][(a.shift_id, a.date)] = d.Duty(a.shift_id, a.date)
        elif a.date < scope.end and a.unit_id in chosen:
            baseline.append(d.Assignment(a.date, a.shift_id, a.post_id, a.officer_id))
        elif a.officer_id in officer_ids:
            start = local_wall_clock(a.start_at, zone)
            end = local_wall_clock(a.end_at, zone)
            busy[a.officer_id].append(
                d.Span(start, end, f"on duty at {a.post_id} (published roster {a.roster_id})")
            )

    horizon_start = datetime.combine(scope.start - timedelta(days=1), time())
    horizon_end = datetime.combine(scope.end + timedelta(days=2), time())
    domain_officers = []
    for o in officers:
        for h in o.history:
            if h.date < scope.start:
                history[o.id].setdefault((h.shift_id, h.date), d.Duty(h.shift_id, h.date))
        requests = [r for r in o.requests if scope.full or scope.start <= r.date < scope.end]
        officer = officer_to_domain(
            o,
            serves=[u.id for u in o.serves if u.id in unit_ids],
            requests=requests,
            unavailable=busy.get(o.id, ()),
            history=sorted(history[o.id].values(), key=lambda h: (h.date, h.shift)),
        )
        if not scope.full:
            officer = _trim_spans(officer, horizon_start, horizon_end)
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
        rules=d.WorkRules(**{k: v for k, v in settings.rules.items() if k in WORK_RULE_FIELDS}),
        weights=d.Weights(**{k: v for k, v in settings.weights.items() if k in WEIGHT_FIELDS}),
        pinned=tuple(sorted(pinned)),
        baseline=tuple(sorted(baseline)),
    )
    # The loader is the one judge of validity: a scenario the service builds must pass it too.
    return scenario_from_dict(scenario_to_dict(scenario))


def _trim_spans(o: d.Officer, start: datetime, end: datetime) -> d.Officer:
    return replace(o, unavailable=tuple(s for s in o.unavailable if s.start < end and s.end > start))


def local_wall_clock(utc_naive: datetime, zone: ZoneInfo) -> datetime:
    return utc_naive.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def published_assignments(session: Session, start: date, end: date) -> list[m.RosterAssignment]:
    """Published duties dated in [start, end)."""
    stmt = (
        select(m.RosterAssignment)
        .join(
            m.PublishedDay,
            (m.PublishedDay.roster_id == m.RosterAssignment.roster_id)
            & (m.PublishedDay.unit_id == m.RosterAssignment.unit_id)
            & (m.PublishedDay.date == m.RosterAssignment.date),
        )
        .where(m.RosterAssignment.date >= start, m.RosterAssignment.date < end)
        .order_by(m.RosterAssignment.date, m.RosterAssignment.shift_id, m.RosterAssignment.post_id)
    )
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------- domain → ORM


@dataclass(frozen=True)
class SettingChange:
    """A detachment setting on which the document and the database differ."""

    field: str
    stored: Any
    document: Any
    applied: bool


@dataclass
class StoredData:
    """What `store_reference_data` found and did."""

    added: list[tuple[str, str]]
    """(kind, id) of new rows."""
    changed: list[tuple[str, str, list[str]]]
    """(kind, id, fields) of existing rows the document names whose stored content differs:
    the clashes, overwritten only with `replace_existing`."""
    settings: list[SettingChange]
    written: bool

    @property
    def clashes(self) -> list[tuple[str, str]]:
        return [(kind, i) for kind, i, _ in self.changed]


def store_reference_data(session: Session, s: d.Scenario, replace_existing: bool) -> StoredData:
    """Write the reference data the scenario names, and nothing else.

    New rows are added. An existing row the document names with the same content is left as it
    is; one whose content differs is a clash: with `replace_existing` false nothing is written
    (the caller reports the clashes), otherwise it is overwritten field by field and its
    children (unavailability, history, the requests the document lists) replaced; requests the
    document cannot express (pending or rejected ones) stay. Rows the document does not name are
    never touched. The detachment's settings (name, time zone, rules, weights, usual horizon) are
    taken from the document only into an empty database or with `replace_existing`; otherwise
    they are kept, and every difference is reported.
    """
    existing = {
        "unit": set(session.scalars(select(m.Unit.id))),
        "skill": set(session.scalars(select(m.Skill.id))),
        "shift type": set(session.scalars(select(m.ShiftType.id))),
        "post": set(session.scalars(select(m.Post.id))),
        "officer": set(session.scalars(select(m.Officer.id))),
    }
    skills = (
        list(s.skills)
        if s.skills is not None
        else [d.Skill(k, k) for k in sorted({k for o in s.officers for k in o.skills} | _coverage_skills(s))]
    )
    incoming = {
        "unit": [u.id for u in s.units],
        "skill": [k.id for k in skills],
        "shift type": [t.id for t in s.shift_types],
        "post": [p.id for p in s.posts],
        "officer": [o.id for o in s.officers],
    }
    added = [(kind, i) for kind, ids in incoming.items() for i in ids if i not in existing[kind]]
    known = {(kind, i) for kind, ids in incoming.items() for i in ids if i in existing[kind]}
    empty = not existing["unit"] and not existing["officer"] and not existing["post"]
    settings = settings_row(session)
    changed = _changed_rows(session, s, skills, known)
    result = StoredData(added, changed, _setting_changes(settings, s, empty or replace_existing), False)
    if changed and not replace_existing:
        return result
    write = {*added, *result.clashes}

    if empty or replace_existing:
        settings.name = s.name
        settings.timezone = s.timezone
        settings.rules = {k: getattr(s.rules, k) for k in WORK_RULE_FIELDS}
        settings.weights = {k: getattr(s.weights, k) for k in WEIGHT_FIELDS}
        settings.horizon_start = s.start
        settings.horizon_days = s.days

    for u in s.units:
        if ("unit", u.id) in write:
            session.merge(m.Unit(id=u.id, name=u.name))
    for k in skills:
        if ("skill", k.id) in write:
            session.merge(m.Skill(id=k.id, name=k.name))
    for i, t in enumerate(s.shift_types):
        if ("shift type", t.id) in write:
            session.merge(
                m.ShiftType(id=t.id, name=t.name, start=t.start, minutes=t.minutes, night=t.night, position=i)
            )
    session.flush()
    units = {u.id: u for u in session.scalars(select(m.Unit))}
    skill_rows = {k.id: k for k in session.scalars(select(m.Skill))}
    replaced_posts = [i for kind, i in result.clashes if kind == "post"]
    posts = {p.id: p for p in session.scalars(select(m.Post).where(m.Post.id.in_(replaced_posts)))}
    for p in s.posts:
        if ("post", p.id) not in write:
            continue
        row = posts.get(p.id) or m.Post(id=p.id)
        row.name, row.kind, row.unit_id, row.priority = p.name, p.kind.value, p.unit, p.priority
        row.coverage = [coverage_row(c, i) for i, c in enumerate(p.coverage)]
        session.add(row)
    replaced_officers = [i for kind, i in result.clashes if kind == "officer"]
    officers = {
        o.id: o for o in session.scalars(select(m.Officer).where(m.Officer.id.in_(replaced_officers)))
    }
    kept_requests: dict[str, list[m.OfficerRequest]] = {}
    for old in officers.values():  # old children go first, or unique keys clash with the new ones
        kept_requests[old.id] = [r for r in old.requests if r.status != m.RequestStatus.APPROVED]
        old.unavailable.clear()
        old.requests = list(kept_requests[old.id])
        old.history.clear()
    session.flush()
    for o in s.officers:
        if ("officer", o.id) not in write:
            continue
        officer_row = officers.get(o.id) or m.Officer(id=o.id)
        fill_officer(officer_row, o, units, skill_rows)
        officer_row.requests = kept_requests.get(o.id, []) + officer_row.requests
        session.add(officer_row)
    session.flush()
    for a in s.pinned:
        duplicate = session.scalar(
            select(m.PinnedDuty.id).where(
                m.PinnedDuty.officer_id == a.officer,
                m.PinnedDuty.post_id == a.post,
                m.PinnedDuty.shift_id == a.shift,
                m.PinnedDuty.date == a.date,
            )
        )
        if duplicate is None:
            session.add(m.PinnedDuty(officer_id=a.officer, post_id=a.post, shift_id=a.shift, date=a.date))
    session.flush()
    result.written = True
    return result


def _setting_changes(row: m.DetachmentSettings, s: d.Scenario, applied: bool) -> list[SettingChange]:
    pairs: list[tuple[str, Any, Any]] = [
        ("name", row.name, s.name),
        ("timezone", row.timezone, s.timezone),
        ("horizon.start", row.horizon_start, s.start),
        ("horizon.days", row.horizon_days, s.days),
    ]
    defaults_rules, defaults_weights = d.WorkRules(), d.Weights()
    pairs += [
        (f"rules.{k}", row.rules.get(k, getattr(defaults_rules, k)), getattr(s.rules, k))
        for k in WORK_RULE_FIELDS
    ]
    pairs += [
        (f"weights.{k}", row.weights.get(k, getattr(defaults_weights, k)), getattr(s.weights, k))
        for k in WEIGHT_FIELDS
    ]
    return [SettingChange(name, stored, given, applied) for name, stored, given in pairs if stored != given]


def _changed_rows(
    session: Session, s: d.Scenario, skills: Sequence[d.Skill], known: Iterable[tuple[str, str]]
) -> list[tuple[str, str, list[str]]]:
    """The existing rows the document names whose stored content differs, with the fields."""
    ids: dict[str, set[str]] = defaultdict(set)
    for kind, i in known:
        ids[kind].add(i)
    out: list[tuple[str, str, list[str]]] = []

    def compare(kind: str, ident: str, stored: Any, given: Any) -> None:
        fields = [
            f
            for f in given.__dataclass_fields__
            if _comparable(getattr(stored, f)) != _comparable(getattr(given, f))
        ]
        if fields:
            out.append((kind, ident, fields))

    units = {u.id: u for u in session.scalars(select(m.Unit).where(m.Unit.id.in_(ids["unit"])))}
    for u in s.units:
        if u.id in units:
            compare("unit", u.id, d.Unit(u.id, units[u.id].name), u)
    skill_rows = {k.id: k for k in session.scalars(select(m.Skill).where(m.Skill.id.in_(ids["skill"])))}
    for k in skills if s.skills is not None else ():
        if k.id in skill_rows:
            compare("skill", k.id, d.Skill(k.id, skill_rows[k.id].name), k)
    shifts = {
        t.id: t for t in session.scalars(select(m.ShiftType).where(m.ShiftType.id.in_(ids["shift type"])))
    }
    for t in s.shift_types:
        if t.id in shifts:
            compare("shift type", t.id, shift_type_to_domain(shifts[t.id]), t)
    posts = {p.id: p for p in session.scalars(select(m.Post).where(m.Post.id.in_(ids["post"])))}
    for p in s.posts:
        if p.id in posts:
            compare("post", p.id, post_to_domain(posts[p.id]), p)
    officers = {
        o.id: o
        for o in session.scalars(
            select(m.Officer).options(*OFFICER_RECORDS).where(m.Officer.id.in_(ids["officer"]))
        )
    }
    for o in s.officers:
        row = officers.get(o.id)
        if row is not None:
            history = [d.Duty(h.shift_id, h.date) for h in row.history]
            compare("officer", o.id, officer_to_domain(row, history=history), o)
    return out


def _comparable(value: Any) -> Any:
    """Order-insensitive form of a domain field, for telling what an import would change."""
    if isinstance(value, tuple | list | frozenset | set):
        return sorted(map(repr, value))
    if isinstance(value, Mapping):
        return sorted((str(k), repr(v)) for k, v in value.items())
    return value


def _coverage_skills(s: d.Scenario) -> set[str]:
    return {k for p in s.posts for c in p.coverage for k in c.skills}


def coverage_row(c: d.Coverage, position: int) -> m.Coverage:
    return m.Coverage(
        shift_id=c.shift,
        min=c.min,
        max=c.max,
        skills=dict(c.skills),
        days=None if c.days is None else list(c.days),
        position=position,
    )


def fill_officer(row: m.Officer, o: d.Officer, units: dict[str, m.Unit], skills: dict[str, m.Skill]) -> None:
    row.name, row.unit_id = o.name, o.unit
    row.rule_overrides = dict(o.rule_overrides)
    row.serves = [units[u] for u in o.serves]
    row.skills = [skills[k] for k in sorted(o.skills)]
    row.unavailable = [m.Unavailability(start=u.start, end=u.end, reason=u.reason) for u in o.unavailable]
    row.requests = [
        m.OfficerRequest(
            kind=r.kind.value, date=r.date, shift_id=r.shift, weight=r.weight, status=m.RequestStatus.APPROVED
        )
        for r in o.requests
    ]
    row.history = [m.HistoryDuty(shift_id=h.shift, date=h.date) for h in dict.fromkeys(o.history)]


# --------------------------------------------------------------------------- rosters


def assignment_rows(
    scenario: d.Scenario, assignments: Iterable[d.Assignment], roster_id: int | None = None
) -> list[dict[str, Any]]:
    """Rows for `roster_assignments` (as dicts for a bulk insert), with real UTC intervals."""
    timeline = Timeline(scenario)
    units = {p.id: p.unit for p in scenario.posts}
    rows = []
    for a in sorted(assignments):
        start, end = timeline.duty(a.shift, a.date)
        shift = scenario.shift(a.shift)
        rows.append(
            {
                "roster_id": roster_id,
                "officer_id": a.officer,
                "post_id": a.post,
                "shift_id": a.shift,
                "unit_id": units[a.post],
                "date": a.date,
                "start_at": start.replace(tzinfo=None),
                "end_at": end.replace(tzinfo=None),
                "minutes": shift.minutes,
                "night": shift.night,
            }
        )
    return rows


def shortfall_rows(
    scenario: d.Scenario, shortfalls: Iterable[d.Shortfall], roster_id: int
) -> list[dict[str, Any]]:
    units = {p.id: p.unit for p in scenario.posts}
    return [
        {
            "roster_id": roster_id,
            "post_id": s.post,
            "unit_id": units.get(s.post, ""),
            "shift_id": s.shift,
            "date": s.date,
            "missing": s.missing,
            "skill": s.skill,
            "reason": s.reason,
            "reason_zh": s.reason_zh,
            "causes": None if s.causes is None else dict(s.causes),
        }
        for s in shortfalls
    ]


def roster_to_domain(
    r: m.Roster, assignments: Iterable[m.RosterAssignment], shortfalls: Iterable[m.RosterShortfall]
) -> d.Roster:
    score = None if r.score is None else d.Score(**{k: r.score[k] for k in d.SCORE_TERMS})
    return d.Roster(
        scenario=str(r.snapshot.document.get("name", "")),
        status=r.solver_status,
        assignments=tuple(
            sorted(d.Assignment(a.date, a.shift_id, a.post_id, a.officer_id) for a in assignments)
        ),
        objective=r.objective,
        bound=r.bound,
        score=score,
        shortfalls=tuple(
            d.Shortfall(s.post_id, s.shift_id, s.date, s.missing, s.skill, s.reason, s.reason_zh, s.causes)
            for s in shortfalls
        ),
        solve_seconds=r.solve_seconds,
        extra=dict(r.extra),
    )


def coverage_selects(c: m.Coverage, day: date) -> bool:
    return d.Coverage(c.shift_id, c.min, c.max, days=None if c.days is None else tuple(c.days)).selects(day)
