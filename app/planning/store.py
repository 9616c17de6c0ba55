"""A loaded scenario's reference data written into the database: what an import adds, overwrites
and reports (the domain → rows direction of `app.planning.records`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.groups.models import DutyGroup
from app.groups.records import stored_domain_groups, write_group
from app.planning.records import (
    OFFICER_RECORDS,
    coverage_row,
    officer_to_domain,
    positions_to_json,
    post_to_domain,
    shift_type_to_domain,
)
from app.reference import models as m
from app.reference.settings import settings_row
from solver import domain as d
from solver.domain import WEIGHT_FIELDS
from solver.io.v2 import RULE_FIELDS, rule_value_to_json, rules_to_json


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
        "group": set(session.scalars(select(DutyGroup.id))),
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
        "group": [g.id for g in s.groups],
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
        settings.rules = rules_to_json({k: getattr(s.rules, k) for k in RULE_FIELDS})
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
        if p.location is not None:
            row.lat, row.lon = p.location.lat, p.location.lon
        row.positions = positions_to_json(p.positions)
        row.leader_skill = p.leader_skill
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
    officer_units = {o.id: o.unit for o in s.officers}
    for g in s.groups:
        if ("group", g.id) in write:
            write_group(session, g, officer_units, s.units[0].id)
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
        (
            f"rules.{k}",
            row.rules.get(k, rule_value_to_json(getattr(defaults_rules, k))),
            rule_value_to_json(getattr(s.rules, k)),
        )
        for k in RULE_FIELDS
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
            stored = post_to_domain(posts[p.id])
            if p.location is None:  # a document without a location keeps the stored one
                stored = replace(stored, location=None)
            compare("post", p.id, stored, p)
    officers = {
        o.id: o
        for o in session.scalars(
            select(m.Officer).options(*OFFICER_RECORDS).where(m.Officer.id.in_(ids["officer"]))
        )
    }
    for o in s.officers:
        row = officers.get(o.id)
        if row is not None:
            history = [d.HistoryDuty(h.shift_id, h.date) for h in row.history]
            compare("officer", o.id, officer_to_domain(row, history=history), o)
    groups = stored_domain_groups(session, ids["group"])
    for g in s.groups:
        if g.id in groups:
            compare("group", g.id, groups[g.id], g)
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


def fill_officer(row: m.Officer, o: d.Officer, units: dict[str, m.Unit], skills: dict[str, m.Skill]) -> None:
    row.name, row.unit_id = o.name, o.unit
    row.phone = o.phone
    row.rule_overrides = rules_to_json(o.rule_overrides)
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
