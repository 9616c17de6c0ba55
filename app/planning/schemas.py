"""The solver's vocabulary as API schemas, each in one place: a duty (an officer on a post for a
shift starting on a date), a hard rule broken, and the duties two rosters differ by."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Self

from pydantic import Field

from app.core.schemas import Id, Schema
from solver import domain as d
from solver.check import Violation
from solver.diff import RosterDiff


# A duty: one officer on post for shift starting on date. `DutyRef` is the same duty named in a
# request (ids checked); `CoverDuty` is a slot that may have no officer yet.
class DutyOut(Schema):
    officer: str
    post: str
    shift: str
    date: date

    @classmethod
    def of(cls, a: d.Assignment) -> Self:
        return cls(officer=a.officer, post=a.post, shift=a.shift, date=a.date)

    @classmethod
    def all_of(cls, duties: Iterable[d.Assignment]) -> list[Self]:
        return [cls.of(a) for a in duties]

    def assignment(self) -> d.Assignment:
        return d.Assignment(self.date, self.shift, self.post, self.officer)


class DutyRef(DutyOut):
    """One duty of the published roster: officer on post for shift starting on date."""

    officer: Id
    post: Id
    shift: Id


class CoverDuty(DutyOut):
    officer: str | None  # type: ignore[assignment]  # the slot, when no officer is named


class OfficerDiff(Schema):
    added: list[DutyOut]
    removed: list[DutyOut]


def diff_fields(added: Sequence[d.Assignment], removed: Sequence[d.Assignment]) -> dict[str, Any]:
    """`added`, `removed`, `by_officer` and `changed` of a roster diff (a proposal, `/rosters/…/diff`)."""
    delta = RosterDiff(tuple(sorted(added)), tuple(sorted(removed)))
    return {
        "added": DutyOut.all_of(delta.added),
        "removed": DutyOut.all_of(delta.removed),
        "by_officer": {
            officer: OfficerDiff(added=DutyOut.all_of(v["added"]), removed=DutyOut.all_of(v["removed"]))
            for officer, v in sorted(delta.by_officer().items())
        },
        "changed": delta.changed,
    }


# A hard rule broken: `ViolationOut` in a change's check (with the shift), `ViolationRead` in a
# roster's score analysis (without). One base, one conversion from the referee's `Violation`.
class _ViolationAt(Schema):
    rule: str
    officer: str | None
    post: str | None

    @classmethod
    def of(cls, v: Violation) -> Self:
        fields = {name: getattr(v, name) for name in cls.model_fields}
        if "params" in fields:
            fields["params"] = dict(v.params)
        return cls(**fields)


class ViolationOut(_ViolationAt):
    shift: str | None
    date: date | None
    message: str = Field(description="in English; pages word it from `rule` and `params`")
    params: dict[str, str | int] = Field(
        default_factory=dict,
        description="the message's values by name, e.g. min_rest: gap_minutes, rest_minutes, other_shift, "
        "other_date, other_post; max_minutes_per_7_days: minutes, limit, end",
    )


class ViolationRead(_ViolationAt):
    date: date | None
    message: str = Field(description="in English; pages word it from `rule` and `params`")
    params: dict[str, str | int] = Field(default_factory=dict, description="the message's values by name")
