"""Duty levels: each level's coverage profile (read, edit per post), what a level cancels (a
setting), and what a declaration would cancel: leave and requests in its period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages
from app.accounts.models import User
from app.core.errors import ErrorDetail, RuleViolation
from app.levels.models import DECLARABLE, DutyLevel, LevelSettings
from app.reference import schemas as rs
from app.reference.lookups import raise_if
from app.reference.models import Coverage, OfficerRequest, Post, RequestStatus, Unavailability
from app.reference.posts import _coverage_problems, _coverage_rows

NEVER_CANCELLED = ("病", "伤", "sick", "injur")
"""Leave whose reason contains one of these (sick leave, an injury) no level cancels."""

DEFAULT_SETTINGS: dict[str, tuple[list[str], list[str]]] = {
    DutyLevel.NORMAL: ([], []),
    DutyLevel.LEVEL3: ([], ["day_off"]),
    DutyLevel.LEVEL2: (["年休假", "annual leave", "调休"], ["day_off", "shift_off"]),
    DutyLevel.LEVEL1: (
        ["年休假", "annual leave", "调休", "探亲", "培训", "training"],
        ["day_off", "shift_off"],
    ),
}
"""(leave reasons cancelled, request kinds cancelled) of a level without a stored setting."""


def level_of(value: str, path: str = "path.level") -> DutyLevel:
    try:
        return DutyLevel(value)
    except ValueError:
        names = ", ".join(v.value for v in DutyLevel)
        raise RuleViolation(
            f"unknown duty level {value!r} (one of {names})", [ErrorDetail(path, "unknown level", value)]
        ) from None


# ---------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Cancels:
    leave: list[str]
    requests: list[str]


def cancels(session: Session, level: str) -> Cancels:
    row = session.get(LevelSettings, level)
    if row is None:
        leave, requests = DEFAULT_SETTINGS[DutyLevel(level)]
        return Cancels(list(leave), list(requests))
    return Cancels(list(row.cancels_leave), list(row.cancels_requests))


def never_cancelled(reason: str) -> bool:
    low = reason.lower()
    return any(word in low for word in NEVER_CANCELLED)


def set_cancels(session: Session, level: DutyLevel, leave: Sequence[str], requests: Sequence[str]) -> Cancels:
    problems = [
        ErrorDetail(f"body.cancels_leave[{i}]", "sick leave and injuries are never cancelled", word)
        for i, word in enumerate(leave)
        if never_cancelled(word)
    ]
    if level == DutyLevel.NORMAL and (leave or requests):
        problems.append(ErrorDetail("path.level", "normal duty cancels nothing", level))
    raise_if(problems)
    row = session.get(LevelSettings, level.value) or LevelSettings(level=level.value)
    row.cancels_leave = list(dict.fromkeys(leave))
    row.cancels_requests = list(dict.fromkeys(requests))
    session.add(row)
    session.flush()
    return Cancels(row.cancels_leave, row.cancels_requests)


# ---------------------------------------------------------------------------- profiles


def profile_rows(session: Session, level: DutyLevel, unit: str | None) -> dict[str, list[Coverage]]:
    """post id → the post's entries at the level (normal: the posts' own coverage)."""
    stmt = select(Coverage).join(Post, Post.id == Coverage.post_id).where(Coverage.level == level.value)
    if unit is not None:
        stmt = stmt.where(Post.unit_id == unit)
    out: dict[str, list[Coverage]] = {}
    for c in session.scalars(stmt.order_by(Coverage.post_id, Coverage.position, Coverage.id)):
        out.setdefault(c.post_id, []).append(c)
    return out


def set_profile(
    session: Session, user: User, level: DutyLevel, post: Post, coverage: list[rs.CoverageIn]
) -> list[Coverage]:
    """Replace the post's entries at the level (an empty list: the post keeps its normal coverage
    at that level; an entry with max 0 closes the shift)."""
    if level == DutyLevel.NORMAL:
        raise RuleViolation(
            "normal duty's coverage is the post's own: PATCH /posts/{id} or ask for a coverage change",
            [ErrorDetail("path.level", "not editable here", level)],
        )
    ensure_manages(user, [post.unit_id], "edit a duty level's coverage")
    raise_if(_coverage_problems(session, coverage))
    session.execute(delete(Coverage).where(Coverage.post_id == post.id, Coverage.level == level.value))
    rows = _coverage_rows(coverage)
    for row in rows:
        row.post_id = post.id
        row.level = level.value
    session.add_all(rows)
    session.flush()
    return rows


# ---------------------------------------------------------------------------- what a declaration cancels


@dataclass(frozen=True)
class Cancelled:
    leave: list[Unavailability]
    requests: list[OfficerRequest]


def cancelled_by(
    session: Session, level: str, officer_ids: Sequence[str], start: date, end: date
) -> Cancelled:
    """The leave (its reason naming a cancelled kind, never sick leave or an injury) and the
    approved requests of cancelled kinds of the officers in [start, end)."""
    if level not in DECLARABLE:
        return Cancelled([], [])
    rule = cancels(session, level)
    begin, stop = datetime.combine(start, time()), datetime.combine(end, time())
    leave = [
        u
        for u in session.scalars(
            select(Unavailability)
            .where(
                Unavailability.officer_id.in_(officer_ids),
                Unavailability.start < stop,
                Unavailability.end > begin,
            )
            .order_by(Unavailability.officer_id, Unavailability.start)
        )
        if not never_cancelled(u.reason) and any(w.lower() in u.reason.lower() for w in rule.leave)
    ]
    requests = list(
        session.scalars(
            select(OfficerRequest)
            .where(
                OfficerRequest.officer_id.in_(officer_ids),
                OfficerRequest.date >= start,
                OfficerRequest.date < end,
                OfficerRequest.status == RequestStatus.APPROVED,
                OfficerRequest.kind.in_(rule.requests),
            )
            .order_by(OfficerRequest.officer_id, OfficerRequest.date)
        )
    )
    return Cancelled(leave, requests)
