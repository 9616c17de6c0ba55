"""Reference-data rows → the solver's domain: shift types, posts with their coverage, officers with
their records; and coverage entries between rows, domain and the JSON they are stored as."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import selectinload

from app.reference import models as m
from solver import domain as d
from solver.io.v2 import rules_from_json

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
        coverage=tuple(coverage_to_domain(c) for c in p.coverage),
        location=None if p.lat is None or p.lon is None else d.Location(p.lat, p.lon),
        positions=positions_to_domain(p.positions),
        leader_skill=p.leader_skill,
    )


def positions_to_domain(stored: list[dict[str, Any]] | None) -> tuple[d.Position, ...]:
    """A post's positions as stored (JSON `[{id, name, heads?}]`)."""
    return tuple(d.Position(str(q["id"]), str(q["name"]), q.get("heads")) for q in stored or [])


def positions_to_json(positions: Iterable[d.Position]) -> list[dict[str, Any]] | None:
    out = [
        {"id": q.id, "name": q.name, **({"heads": q.heads} if q.heads is not None else {})} for q in positions
    ]
    return out or None


def officer_to_domain(
    o: m.Officer,
    *,
    serves: Iterable[str] | None = None,
    requests: Iterable[m.OfficerRequest] | None = None,
    busy: Iterable[d.Span] = (),
    history: Iterable[d.HistoryDuty] = (),
) -> d.Officer:
    chosen = o.requests if requests is None else requests
    return d.Officer(
        id=o.id,
        name=o.name,
        unit=o.unit_id,
        serves=tuple(u.id for u in o.serves) if serves is None else tuple(serves),
        skills=frozenset(s.id for s in o.skills),
        unavailable=tuple(d.Span(u.start, u.end, u.reason) for u in o.unavailable),
        busy=tuple(busy),
        requests=tuple(
            d.Request(d.RequestKind(r.kind), r.date, r.weight, r.shift_id)
            for r in chosen
            if r.status == m.RequestStatus.APPROVED
        ),
        history=tuple(history),
        rule_overrides=d.frozen_map(rules_from_json(o.rule_overrides)),
        phone=o.phone or "",
    )


def coverage_to_domain(c: m.Coverage) -> d.Coverage:
    return d.Coverage(
        shift=c.shift_id,
        min=c.min,
        max=c.max,
        skills=d.frozen_map(c.skills),
        days=None if c.days is None else tuple(c.days),
        over_weight=c.over_weight or 0,
    )


def coverage_selects(c: m.Coverage, day: date) -> bool:
    return coverage_to_domain(c).selects(day)


def coverage_row(c: d.Coverage, position: int) -> m.Coverage:
    """The row of a domain coverage entry, `position`-th of its post."""
    return m.Coverage(
        shift_id=c.shift,
        min=c.min,
        max=c.max,
        skills=dict(c.skills),
        days=None if c.days is None else list(c.days),
        over_weight=c.over_weight,
        position=position,
    )


class CoverageEntry(BaseModel):
    """A coverage entry as stored in JSON: a coverage change's entries (before and after it), and
    the new entries a coverage-change request carries until it is applied."""

    shift: str
    min: int
    max: int
    skills: dict[str, int] = Field(default_factory=dict)
    days: list[str] | None = None
    over_weight: int = Field(default=0, exclude_if=lambda v: v == 0)
    """Scenario format 2; written only when set, so entries stored before it read back the same."""

    @classmethod
    def of(cls, c: d.Coverage) -> CoverageEntry:
        return cls(
            shift=c.shift,
            min=c.min,
            max=c.max,
            skills=dict(c.skills),
            days=None if c.days is None else list(c.days),
            over_weight=c.over_weight,
        )

    @classmethod
    def of_row(cls, c: m.Coverage) -> CoverageEntry:
        return cls.of(coverage_to_domain(c))

    def coverage(self) -> d.Coverage:
        days = None if self.days is None else tuple(self.days)
        return d.Coverage(self.shift, self.min, self.max, d.frozen_map(self.skills), days, self.over_weight)

    def row(self, position: int) -> m.Coverage:
        return coverage_row(self.coverage(), position)
