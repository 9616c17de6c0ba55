"""A change on a list of duties, and the referee's verdict on it: the hard rules it would newly
break (the roster's own old faults do not count against it) and the score before and after, per
objective term, as `roster check` computes them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from app.errors import Conflict, ErrorDetail, RuleViolation
from app.schemas import changes as cs
from app.services.change_scenario import (
    validated,
)
from solver import domain as d
from solver.check import Violation, check_assignments
from solver.repair import BOUNDARY_RULES, stretch
from solver.scenario import assignment_from_dict, assignment_to_dict

duty_dict = assignment_to_dict
duty_from_dict = assignment_from_dict


def duty_of(ref: cs.DutyRef) -> d.Assignment:
    return d.Assignment(ref.date, ref.shift, ref.post, ref.officer)


def describe(a: d.Assignment) -> str:
    return f"{a.officer}'s {a.shift} duty at {a.post} on {a.date}"


def _violation_key(v: Violation) -> tuple[Any, ...]:
    return (v.rule, v.officer, v.post, v.date, v.shift, v.message)


def violation_dict(v: Violation) -> dict[str, Any]:
    return {
        "rule": v.rule,
        "officer": v.officer,
        "post": v.post,
        "shift": v.shift,
        "date": None if v.date is None else v.date.isoformat(),
        "message": v.message,
    }


@dataclass(frozen=True)
class Verdict:
    """The referee on the roster before and after a change."""

    new_violations: tuple[Violation, ...]
    before_violations: tuple[Violation, ...]
    before: d.Score
    after: d.Score
    shortfalls: tuple[d.Shortfall, ...]
    stage: str
    now: datetime

    @property
    def ok(self) -> bool:
        return not self.new_violations

    def as_dict(self) -> dict[str, Any]:
        before, after = self.before.as_dict(), self.after.as_dict()
        return {
            "ok": self.ok,
            "violations": [violation_dict(v) for v in self.new_violations],
            "score_before": before,
            "score_after": after,
            "score_delta": {k: after[k] - before[k] for k in before},
            "stage": self.stage,
            "now": self.now.isoformat(timespec="minutes"),
        }

    def refusal(self, what: str) -> Conflict:
        return Conflict(
            f"{what} would break {len(self.new_violations)} hard rule(s): "
            + "; ".join(str(v) for v in self.new_violations[:5]),
            [
                ErrorDetail(f"check.violations[{i}]", str(v), v.officer or v.post)
                for i, v in enumerate(self.new_violations)
            ],
        )


def boundary_violations(
    before_s: d.Scenario,
    after_s: d.Scenario,
    before: Sequence[d.Assignment],
    after: Sequence[d.Assignment],
    following: Sequence[d.Assignment],
) -> tuple[Violation, ...]:
    """Hard rules `after` breaks together with `following`, the duties already published for the
    days after the horizon, that `before` did not: the referee on the horizon stretched over them."""
    if not following:
        return ()

    def broken(s: d.Scenario, duties: Sequence[d.Assignment]) -> tuple[Violation, ...]:
        return check_assignments(
            stretch(s, following), [*duties, *following], rules=BOUNDARY_RULES
        ).violations

    old = {_boundary_key(v) for v in broken(before_s, before)}
    return tuple(v for v in broken(after_s, after) if _boundary_key(v) not in old)


def _boundary_key(v: Violation) -> tuple[Any, ...]:
    """Without the message: a 7-day total that was over already and changes is not new."""
    return (v.rule, v.officer, v.post, v.date, v.shift)


def evaluate(
    before_s: d.Scenario,
    after_s: d.Scenario,
    before: Sequence[d.Assignment],
    after: Sequence[d.Assignment],
    stage: str,
    now: datetime,
    following: Sequence[d.Assignment] = (),
) -> Verdict:
    """Hard rules `after` breaks that `before` did not (also with the `following` duties published
    after the horizon), and both scores, by the referee."""
    report_before = check_assignments(before_s, before)
    report_after = check_assignments(after_s, after)
    old = {_violation_key(v) for v in report_before.violations}
    new = [v for v in report_after.violations if _violation_key(v) not in old]
    seen = {_boundary_key(v) for v in new}
    new += [
        v
        for v in boundary_violations(before_s, after_s, before, after, following)
        if _boundary_key(v) not in seen
    ]
    return Verdict(
        new_violations=tuple(new),
        before_violations=report_before.violations,
        before=report_before.score,
        after=report_after.score,
        shortfalls=report_after.shortfalls,
        stage=stage,
        now=now,
    )


def ensure_held(published: Sequence[d.Assignment], duties: Sequence[tuple[d.Assignment, str]]) -> None:
    present = set(published)
    missing = [(a, path) for a, path in duties if a not in present]
    if missing:
        raise RuleViolation(
            "; ".join(f"{describe(a)} is not in the published roster" for a, _ in missing),
            [ErrorDetail(path, "no such duty in the published roster", a.officer) for a, path in missing],
        )


def swapped(published: Sequence[d.Assignment], a: d.Assignment, b: d.Assignment) -> list[d.Assignment]:
    to_b, to_a = replace(a, officer=b.officer), replace(b, officer=a.officer)
    present = set(published)
    for moved in (to_b, to_a):
        if moved in present:
            raise RuleViolation(f"{describe(moved)} is already in the published roster: nothing to swap")
    return sorted([x for x in published if x not in (a, b)] + [to_b, to_a])


def covered(published: Sequence[d.Assignment], a: d.Assignment, officer: str) -> list[d.Assignment]:
    taken = replace(a, officer=officer)
    if taken in set(published):
        raise RuleViolation(f"{officer} already holds that duty ({describe(taken)})")
    return sorted([x for x in published if x != a] + [taken])


def with_leave(s: d.Scenario, officer_id: str, span: d.Span) -> d.Scenario:
    return replace(
        s,
        officers=tuple(
            replace(o, unavailable=(*o.unavailable, span)) if o.id == officer_id else o for o in s.officers
        ),
    )


def with_coverage_from(
    s: d.Scenario, post_id: str, shift: str, from_date: date, new: Sequence[d.Coverage]
) -> d.Scenario:
    """`s` with the post's entries for `shift` replaced by `new` from `from_date` on."""
    if not s.has_post(post_id):
        return s
    post = s.post(post_id)
    old = [c for c in post.coverage if c.shift == shift]
    dated: dict[tuple[int, int, tuple[tuple[str, int], ...]], list[str]] = {}
    for day in s.dates:
        for c in old if day < from_date else new:
            if c.selects(day):
                dated.setdefault((c.min, c.max, tuple(sorted(c.skills.items()))), []).append(day.isoformat())
                break
    entries = [c for c in post.coverage if c.shift != shift] + [
        d.Coverage(shift, lo, hi, d.frozen_map(dict(skills)), tuple(days))
        for (lo, hi, skills), days in dated.items()
    ]
    changed = replace(
        s, posts=tuple(replace(p, coverage=tuple(entries)) if p.id == post_id else p for p in s.posts)
    )
    return validated(changed)


def ensure_still_held(published: Sequence[d.Assignment], duties: Sequence[d.Assignment]) -> None:
    present = set(published)
    moved = [a for a in duties if a not in present]
    if moved:
        raise Conflict(
            "the duty moved: "
            + "; ".join(f"{describe(a)} is no longer in the published roster" for a in moved),
            [ErrorDetail("duty", describe(a), a.officer) for a in moved],
        )
