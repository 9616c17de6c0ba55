"""Reading a scenario document into the domain.

Loading runs two passes over the same raw JSON, and both always run, so that one call reports
every error in the document, not just the first:

1. the document models (`solver.io.documents`) check each value's shape;
2. `solver.io.references` checks what spans objects, skipping values that pass 1 already rejected.

Only a document without any error becomes a domain `Scenario`.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from solver.domain import (
    Assignment,
    Coverage,
    Group,
    HistoryDuty,
    Location,
    Officer,
    OwedRest,
    Pattern,
    Position,
    Post,
    PostKind,
    Request,
    RequestKind,
    Scenario,
    ShiftType,
    Skill,
    Span,
    Succession,
    Unit,
    Weights,
    WorkRules,
    frozen_map,
)
from solver.io.documents import AssignmentDoc, GroupDoc, OfficerDoc, ScenarioDoc, SpanDoc
from solver.io.errors import FormatError, InvalidDocument, format_path, owner_id, pydantic_errors
from solver.io.limits import MAX_DEPTH, depth_problem, strings_problems
from solver.io.positions import position_errors
from solver.io.references import reference_errors
from solver.io.v2 import V2RulesDoc, v2_reference_errors, version_errors


def parse_json(text: str | bytes, what: str = "scenario") -> Any:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidDocument(
            [FormatError("", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")], what
        ) from None
    except UnicodeDecodeError:
        raise InvalidDocument([FormatError("", "not UTF-8 text")], what) from None
    except RecursionError:
        raise InvalidDocument(
            [FormatError("", f"not valid JSON: nested deeper than {MAX_DEPTH} levels")], what
        ) from None
    except ValueError as exc:  # an integer of over 4,300 digits
        raise InvalidDocument([FormatError("", f"not valid JSON: {exc}")], what) from None
    problem = depth_problem(value)
    if problem is not None:
        raise InvalidDocument([FormatError("", f"not valid JSON: {problem}")], what)
    return value


def read_document(path: str | Path, what: str = "scenario") -> Any:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidDocument([FormatError("", f"cannot read {path}: {exc.strerror}")], what) from None
    return parse_json(data, what)


def load_scenario(path: str | Path) -> Scenario:
    return scenario_from_dict(read_document(path))


def scenario_from_dict(raw: Any) -> Scenario:
    """Validate a parsed scenario document and build the domain scenario, or raise InvalidDocument."""
    if not isinstance(raw, dict):
        raise InvalidDocument([FormatError("", f"expected a JSON object, got {type(raw).__name__}")])
    unreadable = depth_problem(raw)
    if unreadable is not None:
        raise InvalidDocument([FormatError("", unreadable)])
    bad_strings = strings_problems(raw)
    if bad_strings:
        found = [
            FormatError(format_path(where), problem, owner_id(raw, where)) for where, problem in bad_strings
        ]
        raise InvalidDocument(_ordered(found))
    errors: list[FormatError] = []
    doc: ScenarioDoc | None = None
    try:
        doc = ScenarioDoc.model_validate(raw)
    except ValidationError as exc:
        errors.extend(pydantic_errors(exc, raw))
    errors.extend(reference_errors(raw))
    errors.extend(version_errors(raw))
    errors.extend(v2_reference_errors(raw))
    errors.extend(position_errors(raw))
    if errors or doc is None:
        raise InvalidDocument(_ordered(errors))
    return _to_domain(doc)


def _ordered(errors: list[FormatError]) -> list[FormatError]:
    """Errors in document order (paths compared with their indices as numbers), without repeats."""

    def key(err: FormatError) -> list[tuple[int, int | str]]:
        parts = re.findall(r"[^.\[\]]+", err.path)
        return [(0, int(p)) if p.isdigit() else (1, p) for p in parts]

    unique = list(dict.fromkeys(errors))
    return sorted(unique, key=key)


def _to_domain(doc: ScenarioDoc) -> Scenario:
    weights = {k: v for k, v in doc.rules.weights.model_dump().items() if v is not None}
    work = _rule_values(doc.rules)
    return Scenario(
        name=doc.name,
        timezone=doc.timezone,
        start=doc.horizon.start,  # type: ignore[arg-type]
        days=doc.horizon.days,
        shift_types=tuple(
            ShiftType(s.id, s.name, s.start, s.minutes, s.night)  # type: ignore[arg-type]
            for s in doc.shift_types
        ),
        units=tuple(Unit(u.id, u.name) for u in doc.units),
        skills=None if doc.skills is None else tuple(Skill(s.id, s.name) for s in doc.skills),
        posts=tuple(
            Post(
                id=p.id,
                name=p.name,
                kind=PostKind(p.kind),
                unit=p.unit,
                priority=p.priority,
                coverage=tuple(
                    Coverage(
                        shift=c.shift,
                        min=c.min,
                        max=c.min if c.max is None else c.max,
                        skills=frozen_map(c.skills),
                        days=None if c.days is None else tuple(c.days),
                        over_weight=c.over_weight,
                    )
                    for c in p.coverage
                ),
                location=None if p.location is None else Location(p.location.lat, p.location.lon),
                positions=tuple(Position(q.id, q.name, q.heads) for q in p.positions),
                leader_skill=p.leader_skill,
            )
            for p in doc.posts
        ),
        officers=tuple(_officer(o) for o in doc.officers),
        rules=WorkRules(**work),
        weights=Weights(**weights),
        pinned=tuple(_assignment(a) for a in doc.pinned),
        baseline=tuple(_assignment(a) for a in doc.baseline),
        frozen_until=doc.frozen_until,  # type: ignore[arg-type]
        format=doc.format,
        groups=tuple(_group(g) for g in doc.groups),
    )


def _rule_values(rules: V2RulesDoc) -> dict[str, Any]:
    """The working-time rules a document sets (v1 and v2), as domain values: what it leaves out
    falls back to the scenario's value, then the default (merged key by key). A v2 field set to
    null means "no such rule" (for an officer: none, whatever the scenario says)."""
    out: dict[str, Any] = {}
    for key in rules.model_fields_set - {"weights"}:
        value = getattr(rules, key)
        if key == "forbidden_successions":
            value = tuple(Succession(s.first, frozenset(s.then)) for s in value)
        elif key == "max_duties_by_shift":
            value = frozen_map(value)
        elif value is None and key not in V2RulesDoc.model_fields:
            continue
        out[key] = value
    return out


def _group(g: GroupDoc) -> Group:
    pattern = None
    if g.pattern is not None:
        pattern = Pattern(g.pattern.start, tuple(g.pattern.days))  # type: ignore[arg-type]
    return Group(g.id, g.name, tuple(g.members), pattern)


def _officer(o: OfficerDoc) -> Officer:
    return Officer(
        id=o.id,
        name=o.name,
        unit=o.unit,
        serves=tuple(dict.fromkeys([o.unit] if o.serves is None else o.serves)),
        skills=frozenset(o.skills),
        unavailable=tuple(_span(s) for s in o.unavailable),
        busy=tuple(_span(s) for s in o.busy),
        requests=tuple(
            Request(RequestKind(r.kind), r.date, r.weight, r.shift)  # type: ignore[arg-type]
            for r in o.requests
        ),
        history=tuple(HistoryDuty(h.shift, h.date) for h in o.history),  # type: ignore[arg-type]
        rule_overrides=frozen_map(_rule_values(o.rules)),
        owed_rest=tuple(OwedRest(r.days, r.by) for r in o.owed_rest),  # type: ignore[arg-type]
        phone=o.phone,
    )


def _span(s: SpanDoc) -> Span:
    return Span(s.start, s.end, s.reason)  # type: ignore[arg-type]


def _assignment(a: AssignmentDoc) -> Assignment:
    return Assignment(date=a.date, shift=a.shift, post=a.post, officer=a.officer)  # type: ignore[arg-type]


def assignment_from_dict(data: dict[str, Any]) -> Assignment:
    """An assignment entry of a document already validated (the inverse of `assignment_to_dict`)."""
    return Assignment(date.fromisoformat(data["date"]), data["shift"], data["post"], data["officer"])
