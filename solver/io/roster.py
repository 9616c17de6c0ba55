"""The roster document (output of `roster solve`, input of `roster check`) to and from the domain."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, ValidationError

from solver.domain import Assignment, DutyRole, Roster, Score, Shortfall
from solver.io.errors import FormatError, InvalidDocument, pydantic_errors
from solver.io.load import read_document
from solver.io.values import DateValue, Id
from solver.io.write import assignment_to_dict


class _Tolerant(BaseModel):
    """Roster documents and their entries may carry extra keys (a `reason`, for instance)."""

    model_config = ConfigDict(extra="allow", frozen=True)


class RosterAssignmentDoc(_Tolerant):
    officer: Id
    post: Id
    shift: Id
    date: DateValue
    role: Literal["leader"] | None = Field(
        default=None, description="optional extension: the slot's duty leader (带班)"
    )
    position: Id | None = Field(default=None, description="optional extension: a position of the post")


class ScoreDoc(_Tolerant):
    shortfall: StrictInt
    requests: StrictInt
    fairness: StrictInt
    continuity: StrictInt
    changes: StrictInt
    # version-2 terms: a roster lacking one is compared as if it were 0
    overstaffing: StrictInt = 0
    group_split: StrictInt = 0
    pattern: StrictInt = 0
    total: StrictInt


class ShortfallDoc(_Tolerant):
    post: StrictStr
    shift: StrictStr
    date: DateValue
    missing: StrictInt
    skill: StrictStr | None = None


class RosterDoc(_Tolerant):
    scenario: StrictStr = ""
    status: Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN"] = "UNKNOWN"
    objective: StrictInt | None = None
    bound: StrictInt | None = None
    score: ScoreDoc | None = None
    assignments: list[RosterAssignmentDoc]
    shortfalls: list[ShortfallDoc] = Field(default_factory=list)
    solve_seconds: StrictFloat | StrictInt | None = None


def load_roster(path: str | Path) -> tuple[Roster, dict[str, Any] | None]:
    """The roster, and the score it claims (with `total`), as written in the file."""
    raw = read_document(path, "roster")
    return roster_from_dict(raw)


def roster_from_dict(raw: Any) -> tuple[Roster, dict[str, Any] | None]:
    if not isinstance(raw, dict):
        raise InvalidDocument(
            [FormatError("", f"expected a JSON object, got {type(raw).__name__}")], "roster"
        )
    try:
        doc = RosterDoc.model_validate(raw)
    except ValidationError as exc:
        raise InvalidDocument(pydantic_errors(exc, raw), "roster") from None
    claimed = (
        None
        if doc.score is None
        else doc.score.model_dump(include=set(ScoreDoc.model_fields), exclude_unset=True)
    )
    score = None
    if doc.score is not None:
        score = Score(
            doc.score.shortfall,
            doc.score.requests,
            doc.score.fairness,
            doc.score.continuity,
            doc.score.changes,
            overstaffing=doc.score.overstaffing,
            group_split=doc.score.group_split,
            pattern=doc.score.pattern,
        )
    known = set(RosterDoc.model_fields)
    roles = {
        Assignment(date=a.date, shift=a.shift, post=a.post, officer=a.officer): DutyRole(  # type: ignore[arg-type]
            a.role == "leader", a.position
        )
        for a in doc.assignments
        if a.role is not None or a.position is not None
    }
    roster = Roster(
        scenario=doc.scenario,
        status=doc.status,
        assignments=tuple(
            Assignment(date=a.date, shift=a.shift, post=a.post, officer=a.officer)  # type: ignore[arg-type]
            for a in doc.assignments
        ),
        objective=doc.objective,
        bound=doc.bound,
        score=score,
        shortfalls=tuple(
            Shortfall(
                s.post,
                s.shift,
                s.date,  # type: ignore[arg-type]
                s.missing,
                s.skill,
                (s.model_extra or {}).get("reason"),
                (s.model_extra or {}).get("reason_zh"),
                (s.model_extra or {}).get("causes"),
            )
            for s in doc.shortfalls
        ),
        solve_seconds=None if doc.solve_seconds is None else float(doc.solve_seconds),
        extra={k: v for k, v in raw.items() if k not in known},
        roles=MappingProxyType(roles),
    )
    return roster, claimed


def shortfall_to_dict(s: Shortfall) -> dict[str, Any]:
    out: dict[str, Any] = {
        "post": s.post,
        "shift": s.shift,
        "date": s.date.isoformat(),
        "missing": s.missing,
        "skill": s.skill,
    }
    if s.reason is not None:
        out["reason"] = s.reason
    if s.reason_zh is not None:
        out["reason_zh"] = s.reason_zh
    if s.causes is not None:
        out["causes"] = dict(s.causes)
    return out


def roster_to_dict(r: Roster) -> dict[str, Any]:
    out: dict[str, Any] = {
        "scenario": r.scenario,
        "status": r.status,
        "objective": r.objective,
        "bound": r.bound,
        "score": None if r.score is None else r.score.as_dict(),
        "assignments": [assignment_to_dict(a, r.roles.get(a)) for a in sorted(r.assignments)],
        "shortfalls": [shortfall_to_dict(s) for s in r.shortfalls],
        "solve_seconds": r.solve_seconds,
    }
    out.update({k: v for k, v in r.extra.items() if k not in out})
    return out
