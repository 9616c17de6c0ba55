"""The domain back into documents: a scenario as a format-v1 document that stands alone."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from solver.domain import Assignment, Group, Officer, Scenario, Span, Weights, WorkRules
from solver.io.groups import V2_WEIGHTS


def _hhmm(t: time) -> str:
    return t.strftime("%H:%M")


def _local(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M")


def assignment_to_dict(a: Assignment) -> dict[str, str]:
    return {"officer": a.officer, "post": a.post, "shift": a.shift, "date": a.date.isoformat()}


def scenario_to_dict(s: Scenario) -> dict[str, Any]:
    """The scenario as a format-v1 document (defaults written out, so the file stands alone)."""
    doc: dict[str, Any] = {
        "name": s.name,
        "timezone": s.timezone,
        "horizon": {"start": s.start.isoformat(), "days": s.days},
        "shift_types": [
            {"id": t.id, "name": t.name, "start": _hhmm(t.start), "minutes": t.minutes, "night": t.night}
            for t in s.shift_types
        ],
        "units": [{"id": u.id, "name": u.name} for u in s.units],
    }
    if s.skills is not None:
        doc["skills"] = [{"id": k.id, "name": k.name} for k in s.skills]
    doc["posts"] = [
        {
            "id": p.id,
            "name": p.name,
            "kind": p.kind.value,
            "unit": p.unit,
            "priority": p.priority,
            "coverage": [
                {
                    "shift": c.shift,
                    "min": c.min,
                    "max": c.max,
                    **({"skills": dict(c.skills)} if c.skills else {}),
                    **({"days": list(c.days)} if c.days is not None else {}),
                }
                for c in p.coverage
            ],
        }
        for p in s.posts
    ]
    doc["officers"] = [_officer_to_dict(o) for o in s.officers]
    doc["rules"] = {
        **{k: getattr(s.rules, k) for k in WorkRules.__dataclass_fields__},
        "weights": {k: getattr(s.weights, k) for k in Weights.__dataclass_fields__ if k not in V2_WEIGHTS},
    }
    doc["pinned"] = [assignment_to_dict(a) for a in s.pinned]
    doc["baseline"] = [assignment_to_dict(a) for a in s.baseline]
    if s.frozen_until is not None:
        doc["frozen_until"] = _local(s.frozen_until)
    _write_groups(s, doc)
    return doc


def _write_groups(s: Scenario, doc: dict[str, Any]) -> None:
    """The version-2 fields of groups, owed rest and locations, and `"format": 2` when any is used
    (a version-1 document never names one)."""
    used = False
    for post, out in zip(s.posts, doc["posts"], strict=True):
        if post.location is not None:
            out["location"] = {"lat": post.location.lat, "lon": post.location.lon}
            used = True
    for officer, out in zip(s.officers, doc["officers"], strict=True):
        if officer.owed_rest:
            out["owed_rest"] = [{"days": r.days, "by": r.by.isoformat()} for r in officer.owed_rest]
            used = True
    default = Weights()
    for key in V2_WEIGHTS:
        if getattr(s.weights, key) != getattr(default, key):
            doc["rules"]["weights"][key] = getattr(s.weights, key)
            used = True
    if s.groups:
        doc["groups"] = [_group_to_dict(g) for g in s.groups]
        used = True
    if used:
        doc["format"] = max(2, doc.get("format", 2))


def _group_to_dict(g: Group) -> dict[str, Any]:
    out: dict[str, Any] = {"id": g.id, "name": g.name, "members": list(g.members)}
    if g.pattern is not None:
        out["pattern"] = {"start": g.pattern.start.isoformat(), "days": list(g.pattern.days)}
    return out


def _span_to_dict(u: Span) -> dict[str, str]:
    return {"start": _local(u.start), "end": _local(u.end), **({"reason": u.reason} if u.reason else {})}


def _officer_to_dict(o: Officer) -> dict[str, Any]:
    out: dict[str, Any] = {"id": o.id, "name": o.name, "unit": o.unit, "serves": list(o.serves)}
    out["skills"] = sorted(o.skills)
    if o.unavailable:
        out["unavailable"] = [_span_to_dict(u) for u in o.unavailable]
    if o.busy:
        out["busy"] = [_span_to_dict(u) for u in o.busy]
    if o.requests:
        out["requests"] = [
            {
                "kind": r.kind.value,
                "date": r.date.isoformat(),
                **({"shift": r.shift} if r.shift is not None else {}),
                "weight": r.weight,
            }
            for r in o.requests
        ]
    if o.history:
        out["history"] = [{"shift": h.shift, "date": h.date.isoformat()} for h in o.history]
    if o.rule_overrides:
        out["rules"] = dict(o.rule_overrides)
    return out
