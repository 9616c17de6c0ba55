"""The domain back into documents: a scenario as a document that stands alone (format 1, or 2 when
it uses a version-2 field)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from solver.domain import (
    V2_RULE_FIELDS,
    WORK_RULE_FIELDS,
    Assignment,
    DutyRole,
    Group,
    Officer,
    Scenario,
    Span,
    Weights,
)
from solver.io.v2 import V2_WEIGHT_KEYS, rule_value_to_json


def _hhmm(t: time) -> str:
    return t.strftime("%H:%M")


def _local(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M")


def assignment_to_dict(a: Assignment, role: DutyRole | None = None) -> dict[str, str]:
    """An assignment entry; a roster's entry also carries its `role` and `position` when it has them."""
    out = {"officer": a.officer, "post": a.post, "shift": a.shift, "date": a.date.isoformat()}
    if role is not None and role.leader:
        out["role"] = "leader"
    if role is not None and role.position is not None:
        out["position"] = role.position
    return out


def uses_v2(s: Scenario) -> bool:
    """Whether the scenario needs format 2 (it says so, or uses a version-2 rule or field)."""
    return (
        s.format == 2
        or s.rules.uses_v2
        or any(k in V2_RULE_FIELDS for o in s.officers for k in o.rule_overrides)
        or any(c.over_weight for p in s.posts for c in p.coverage)
        or bool(s.groups)
        or any(p.location is not None for p in s.posts)
        or any(o.owed_rest for o in s.officers)
        or any(getattr(s.weights, k) != getattr(Weights(), k) for k in V2_WEIGHT_KEYS)
    )


def scenario_to_dict(s: Scenario) -> dict[str, Any]:
    """The scenario as a document (defaults written out, so the file stands alone): format 1, or
    format 2 with every version-2 field when the scenario uses one."""
    v2 = uses_v2(s)
    doc: dict[str, Any] = {
        **({"format": 2} if v2 else {}),
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
                    **({"over_weight": c.over_weight} if v2 else {}),
                }
                for c in p.coverage
            ],
        }
        for p in s.posts
    ]
    doc["officers"] = [_officer_to_dict(o) for o in s.officers]
    rule_keys = WORK_RULE_FIELDS + (V2_RULE_FIELDS if v2 else ())
    doc["rules"] = {
        **{k: rule_value_to_json(getattr(s.rules, k)) for k in rule_keys},
        "weights": {
            k: getattr(s.weights, k) for k in Weights.__dataclass_fields__ if v2 or k not in V2_WEIGHT_KEYS
        },
    }
    doc["pinned"] = [assignment_to_dict(a) for a in s.pinned]
    doc["baseline"] = [assignment_to_dict(a) for a in s.baseline]
    if s.frozen_until is not None:
        doc["frozen_until"] = _local(s.frozen_until)
    _write_groups(s, doc)
    return doc


def _write_groups(s: Scenario, doc: dict[str, Any]) -> None:
    """The version-2 fields of groups, owed rest and locations (`uses_v2` has made the document
    format 2 when any is used), and the optional duty-role fields (positions, leader skill, phone),
    which any format may carry."""
    for post, out in zip(s.posts, doc["posts"], strict=True):
        if post.location is not None:
            out["location"] = {"lat": post.location.lat, "lon": post.location.lon}
        if post.positions:
            out["positions"] = [
                {"id": q.id, "name": q.name, **({"heads": q.heads} if q.heads is not None else {})}
                for q in post.positions
            ]
        if post.leader_skill is not None:
            out["leader_skill"] = post.leader_skill
    for officer, out in zip(s.officers, doc["officers"], strict=True):
        if officer.phone:
            out["phone"] = officer.phone
        if officer.owed_rest:
            out["owed_rest"] = [{"days": r.days, "by": r.by.isoformat()} for r in officer.owed_rest]
    if s.groups:
        doc["groups"] = [_group_to_dict(g) for g in s.groups]


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
        out["rules"] = {k: rule_value_to_json(v) for k, v in o.rule_overrides.items()}
    return out
