"""The referee's verdict on a change: the hard rules the roster after it would newly break (the
roster's own old faults do not count against it, nor do those it already broke with the week
published after it) and the score before and after, per objective term, as `roster check`
computes them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.changes.schemas import Stage
from app.changes.stored import StoredCheck
from app.core.errors import Conflict, ErrorDetail, RuleViolation
from app.planning.schemas import ViolationOut
from solver import domain as d
from solver.check import Violation, check_assignments
from solver.cover import BOUNDARY_RULES
from solver.replan import stretch


def describe(a: d.Assignment) -> str:
    return f"{a.officer}'s {a.shift} duty at {a.post} on {a.date}"


def violation_key(v: Violation | ViolationOut) -> tuple[Any, ...]:
    return (v.rule, v.officer, v.post, v.date, v.shift, v.message)


def boundary_key(v: Violation) -> tuple[Any, ...]:
    """Without the message: a 7-day total that was over already and changes is not new."""
    return (v.rule, v.officer, v.post, v.date, v.shift)


@dataclass(frozen=True)
class Verdict:
    """The referee on the roster before and after a change."""

    new_violations: tuple[Violation, ...]
    before_violations: tuple[Violation, ...]
    before: d.Score
    after: d.Score
    shortfalls: tuple[d.Shortfall, ...]
    stage: Stage
    now: datetime

    @property
    def ok(self) -> bool:
        return not self.new_violations

    def stored(self) -> StoredCheck:
        before, after = self.before.as_dict(), self.after.as_dict()
        return StoredCheck(
            ok=self.ok,
            violations=[ViolationOut.of(v) for v in self.new_violations],
            score_before=before,
            score_after=after,
            score_delta={k: after[k] - before[k] for k in before},
            stage=self.stage,
            now=self.now,
        )

    def refusal(self, what: str) -> Conflict:
        return Conflict(
            f"{what} would break {len(self.new_violations)} hard rule(s): "
            + "; ".join(str(v) for v in self.new_violations[:5]),
            [
                ErrorDetail(f"check.violations[{i}]", str(v), v.officer or v.post)
                for i, v in enumerate(self.new_violations)
            ],
        )


def with_boundary(
    new: Iterable[Violation],
    before_s: d.Scenario,
    after_s: d.Scenario,
    before: Sequence[d.Assignment],
    after: Sequence[d.Assignment],
    following: Sequence[d.Assignment],
) -> tuple[Violation, ...]:
    """`new`, and the hard rules `after` breaks together with `following` (the duties already
    published for the days after the horizon) that `before` did not and `new` does not already
    name: the referee on the horizon stretched over them."""
    found = tuple(new)
    if not following:
        return found

    def broken(s: d.Scenario, duties: Sequence[d.Assignment]) -> tuple[Violation, ...]:
        return check_assignments(
            stretch(s, following), [*duties, *following], rules=BOUNDARY_RULES
        ).violations

    old = {boundary_key(v) for v in broken(before_s, before)} | {boundary_key(v) for v in found}
    return found + tuple(v for v in broken(after_s, after) if boundary_key(v) not in old)


def evaluate(
    before_s: d.Scenario,
    after_s: d.Scenario,
    before: Sequence[d.Assignment],
    after: Sequence[d.Assignment],
    stage: Stage,
    now: datetime,
    following: Sequence[d.Assignment] = (),
) -> Verdict:
    """Hard rules `after` breaks that `before` did not (also with the `following` duties published
    after the horizon), and both scores, by the referee."""
    report_before = check_assignments(before_s, before)
    report_after = check_assignments(after_s, after)
    old = {violation_key(v) for v in report_before.violations}
    new = [v for v in report_after.violations if violation_key(v) not in old]
    return Verdict(
        new_violations=with_boundary(new, before_s, after_s, before, after, following),
        before_violations=report_before.violations,
        before=report_before.score,
        after=report_after.score,
        shortfalls=report_after.shortfalls,
        stage=stage,
        now=now,
    )


def ensure_held(published: Sequence[d.Assignment], duties: Sequence[tuple[d.Assignment, str]]) -> None:
    """422 naming the field of each duty that is not in the published roster (on submission)."""
    present = set(published)
    missing = [(a, path) for a, path in duties if a not in present]
    if missing:
        raise RuleViolation(
            "; ".join(f"{describe(a)} is not in the published roster" for a, _ in missing),
            [ErrorDetail(path, "no such duty in the published roster", a.officer) for a, path in missing],
        )


def ensure_still_held(published: Sequence[d.Assignment], duties: Sequence[d.Assignment]) -> None:
    """409 when a duty the change moves has moved since (on approval)."""
    present = set(published)
    moved = [a for a in duties if a not in present]
    if moved:
        raise Conflict(
            "the duty moved: "
            + "; ".join(f"{describe(a)} is no longer in the published roster" for a in moved),
            [ErrorDetail("duty", describe(a), a.officer) for a in moved],
        )
