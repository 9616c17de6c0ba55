"""Scenario format version 2: the document models of the new working-time rules, and the check that
a document using a version-2 field says `"format": 2`.

A document without `format` is version 1, and a version-1 document never uses a version-2 field:
each such field is an error at its own path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from solver.domain import V2_RULE_FIELDS, WORK_RULE_FIELDS, Succession, frozen_map
from solver.io.errors import FormatError
from solver.io.values import Id, NonNegative

FORMAT_VERSIONS = (1, 2)

V2_RULE_KEYS = (
    "max_duties_per_day",
    "forbidden_successions",
    "max_duties_by_shift",
    "min_minutes_per_horizon",
    "max_minutes_per_horizon",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_weekends",
)
"""Keys of `rules` and of an officer's `rules` introduced by version 2."""
V2_WEIGHT_KEYS = ("group_split", "pattern")
V2_SCENARIO_KEYS = ("groups",)
V2_OFFICER_KEYS = ("owed_rest",)
V2_POST_KEYS = ("location",)
V2_COVERAGE_KEYS = ("over_weight",)


class SuccessionDoc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    first: Id
    then: list[Id]


class V2RulesDoc(BaseModel):
    """The version-2 working-time rules (fields of `rules` and of an officer's `rules`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_duties_per_day: NonNegative | None = Field(
        default=None, description="v2: at most this many duties start on any horizon date; null: no limit"
    )
    forbidden_successions: list[SuccessionDoc] = Field(
        default_factory=list,
        description="v2: a duty of `first` on date D forbids a duty of any shift in `then` on D + 1",
    )
    max_duties_by_shift: dict[Id, NonNegative] = Field(
        default_factory=dict, description="v2: horizon duties of each shift type, per officer, at most"
    )
    min_minutes_per_horizon: NonNegative | None = Field(
        default=None, description="v2: minutes of the officer's horizon duties, at least"
    )
    max_minutes_per_horizon: NonNegative | None = Field(
        default=None, description="v2: minutes of the officer's horizon duties, at most"
    )
    min_consecutive_days: Annotated[StrictInt, Field(ge=0)] = Field(
        default=1, description="v2: maximal runs of duty dates not touching the horizon's edges"
    )
    min_consecutive_days_off: Annotated[StrictInt, Field(ge=0)] = Field(
        default=1, description="v2: likewise for runs of days off"
    )
    max_weekends: NonNegative | None = Field(
        default=None, description="v2: weekends with a horizon duty on the Saturday or the Sunday, at most"
    )


def _objects(container: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = container.get(key) if isinstance(container, dict) else None
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def v2_fields(raw: dict[str, Any]) -> Iterator[tuple[str, str | None]]:
    """(path, owner id) of every version-2 field the document uses."""
    for key in V2_SCENARIO_KEYS:
        if key in raw:
            yield key, None
    rules = raw.get("rules")
    if isinstance(rules, dict):
        for key in V2_RULE_KEYS:
            if key in rules:
                yield f"rules.{key}", None
        weights = rules.get("weights")
        if isinstance(weights, dict):
            for key in V2_WEIGHT_KEYS:
                if key in weights:
                    yield f"rules.weights.{key}", None
    for i, post in _objects(raw, "posts"):
        pid = post.get("id") if isinstance(post.get("id"), str) else None
        for key in V2_POST_KEYS:
            if key in post:
                yield f"posts[{i}].{key}", pid
        for j, cov in _objects(post, "coverage"):
            for key in V2_COVERAGE_KEYS:
                if key in cov:
                    yield f"posts[{i}].coverage[{j}].{key}", pid
    for i, off in _objects(raw, "officers"):
        oid = off.get("id") if isinstance(off.get("id"), str) else None
        for key in V2_OFFICER_KEYS:
            if key in off:
                yield f"officers[{i}].{key}", oid
        orules = off.get("rules")
        if isinstance(orules, dict):
            for key in V2_RULE_KEYS:
                if key in orules:
                    yield f"officers[{i}].rules.{key}", oid


def version_errors(raw: dict[str, Any]) -> list[FormatError]:
    """A version-2 field in a document that is not `"format": 2`: one error per field."""
    version = raw.get("format", 1)
    if version == 2 and type(version) is int:
        return []
    if type(version) is not int or version not in FORMAT_VERSIONS:
        return []  # the document model reports a bad `format` itself
    said = 'says "format": 1' if "format" in raw else 'has no "format" (version 1)'
    return [
        FormatError(path, f'a version-2 field, but the document {said}; add "format": 2', owner)
        for path, owner in v2_fields(raw)
    ]


def v2_reference_errors(raw: dict[str, Any]) -> list[FormatError]:
    """Shift types named by the version-2 rules (`forbidden_successions`, `max_duties_by_shift`),
    in `rules` and in every officer's `rules`, must be declared."""
    shifts = {s["id"] for _, s in _objects(raw, "shift_types") if isinstance(s.get("id"), str)}
    out: list[FormatError] = []

    def check(rules: Any, path: str, owner: str | None) -> None:
        if not isinstance(rules, dict):
            return
        for k, succession in _objects(rules, "forbidden_successions"):
            first = succession.get("first")
            if isinstance(first, str) and first and first not in shifts:
                out.append(
                    FormatError(
                        f"{path}.forbidden_successions[{k}].first", f"unknown shift type {first!r}", owner
                    )
                )
            then = succession.get("then")
            for n, shift in enumerate(then if isinstance(then, list) else ()):
                if isinstance(shift, str) and shift and shift not in shifts:
                    out.append(
                        FormatError(
                            f"{path}.forbidden_successions[{k}].then[{n}]",
                            f"unknown shift type {shift!r}",
                            owner,
                        )
                    )
        by_shift = rules.get("max_duties_by_shift")
        for shift in by_shift if isinstance(by_shift, dict) else ():
            if shift and shift not in shifts:
                out.append(
                    FormatError(f"{path}.max_duties_by_shift.{shift}", f"unknown shift type {shift!r}", owner)
                )

    check(raw.get("rules"), "rules", None)
    for i, off in _objects(raw, "officers"):
        check(
            off.get("rules"),
            f"officers[{i}].rules",
            off.get("id") if isinstance(off.get("id"), str) else None,
        )
    return out


RULE_FIELDS = WORK_RULE_FIELDS + V2_RULE_FIELDS


def rule_value_to_json(value: Any) -> Any:
    """A working-time rule's domain value as a document writes it (and the service stores it)."""
    if isinstance(value, tuple) and all(isinstance(v, Succession) for v in value):
        return [{"first": v.first, "then": sorted(v.then)} for v in value]
    if isinstance(value, Mapping):
        return dict(value)
    return value


def rules_to_json(values: Mapping[str, Any]) -> dict[str, Any]:
    """Working-time rules (domain values) as JSON values, key by key."""
    return {k: rule_value_to_json(v) for k, v in values.items()}


def rules_from_json(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Working-time rules stored as JSON values (as a document writes them) as domain values, for
    `WorkRules(**…)` or an officer's overrides; keys that are no working-time rule are left out."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in RULE_FIELDS:
            continue
        if key == "forbidden_successions":
            value = tuple(Succession(x["first"], frozenset(x["then"])) for x in value)
        elif key == "max_duties_by_shift":
            value = frozen_map(value)
        out[key] = value
    return out
