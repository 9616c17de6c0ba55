"""Posts and their coverage: which shifts they are staffed for, how many officers, which skills."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.core.errors import ErrorDetail, RuleViolation
from app.core.paging import PageParams, count_rows, fetch_page
from app.reference import schemas as s
from app.reference.lookups import check_refs, ensure_new, ensure_unreferenced, raise_if
from app.reference.models import Coverage, Post, ShiftType, Skill, Unit
from app.rosters.models import RosterAssignment
from solver.domain import WEEKDAY_TOKENS


def _selects_same_day(a: list[str] | None, b: list[str] | None) -> bool:
    """Whether two coverage `days` selections can pick the same date."""
    if a is None or b is None:
        return a != [] and b != []

    def expand(tokens: list[str]) -> set[str]:
        out = set(tokens)
        for t in tokens:
            if t not in WEEKDAY_TOKENS:
                out.add(WEEKDAY_TOKENS[date.fromisoformat(t).weekday()])
        return out

    weekdays_a = {t for t in a if t in WEEKDAY_TOKENS}
    weekdays_b = {t for t in b if t in WEEKDAY_TOKENS}
    return bool(set(a) & set(b)) or bool(weekdays_a & expand(b)) or bool(weekdays_b & expand(a))


def _coverage_problems(session: Session, coverage: list[s.CoverageIn]) -> list[ErrorDetail]:
    problems = check_refs(session, ShiftType, [c.shift for c in coverage], "body.coverage", "shift type")
    problems += check_refs(session, Skill, [k for c in coverage for k in c.skills], "body.coverage", "skill")
    for i, c in enumerate(coverage):
        for t in c.days or []:
            if t not in WEEKDAY_TOKENS:
                try:
                    date.fromisoformat(t)
                except ValueError:
                    problems.append(ErrorDetail(f"body.coverage[{i}].days", f"not a calendar date: {t!r}"))
                    return problems
        for j in range(i):
            if coverage[j].shift == c.shift and _selects_same_day(coverage[j].days, c.days):
                problems.append(
                    ErrorDetail(
                        f"body.coverage[{i}]",
                        f"overlaps coverage[{j}]: two entries for shift {c.shift!r} select the same date",
                    )
                )
    return problems


def _coverage_rows(coverage: list[s.CoverageIn]) -> list[Coverage]:
    return [
        Coverage(
            shift_id=c.shift,
            min=c.min,
            max=c.min if c.max is None else c.max,
            skills=dict(c.skills),
            days=c.days,
            over_weight=c.over_weight,
            position=i,
        )
        for i, c in enumerate(coverage)
    ]


def list_posts(
    session: Session, page: PageParams, unit: str | None, kind: str | None, q: str | None
) -> tuple[list[Post], int]:
    stmt = select(Post).order_by(Post.id)
    if unit:
        stmt = stmt.where(Post.unit_id == unit)
    if kind:
        stmt = stmt.where(Post.kind == kind)
    if q:
        stmt = stmt.where(or_(Post.name.contains(q, autoescape=True), Post.id.contains(q, autoescape=True)))
    return fetch_page(session, stmt, page)


def create_post(session: Session, body: s.PostCreate) -> Post:
    ensure_new(session, Post, body.id, "post")
    raise_if(
        check_refs(session, Unit, [body.unit], "body.unit", "unit")
        + _coverage_problems(session, body.coverage)
        + check_refs(
            session, Skill, [body.leader_skill] if body.leader_skill else [], "body.leader_skill", "skill"
        )
    )
    post = Post(
        id=body.id,
        name=body.name,
        kind=body.kind,
        unit_id=body.unit,
        priority=body.priority,
        lat=None if body.location is None else body.location.lat,
        lon=None if body.location is None else body.location.lon,
        standby=body.standby,
        coverage=_coverage_rows(body.coverage),
        positions=[q.model_dump(exclude_none=True) for q in body.positions] or None,
        leader_skill=body.leader_skill,
    )
    session.add(post)
    session.flush()
    return post


def update_post(session: Session, post: Post, body: s.PostUpdate) -> Post:
    fields = body.model_dump(exclude_unset=True)
    problems = []
    if "unit" in fields:
        problems += check_refs(session, Unit, [body.unit or ""], "body.unit", "unit")
    if body.coverage is not None:
        problems += _coverage_problems(session, body.coverage)
    if body.leader_skill:
        problems += check_refs(session, Skill, [body.leader_skill], "body.leader_skill", "skill")
    raise_if(problems)
    for key in ("name", "kind", "priority", "standby"):
        if fields.get(key) is not None:
            setattr(post, key, fields[key])
    if post.standby and post.kind != "other":
        raise RuleViolation(
            f"post {post.id!r}: a standby post is of kind other, not {post.kind!r}",
            [ErrorDetail("body.standby", "needs kind other", post.id)],
        )
    if body.unit is not None:
        post.unit_id = body.unit
    if "location" in fields:
        post.lat, post.lon = (None, None) if body.location is None else (body.location.lat, body.location.lon)
    if body.coverage is not None:
        post.coverage = _coverage_rows(body.coverage)
    if body.positions is not None:
        post.positions = [q.model_dump(exclude_none=True) for q in body.positions] or None
    if "leader_skill" in fields:
        post.leader_skill = body.leader_skill
    session.flush()
    return post


def set_locations(session: Session, locations: dict[str, s.LocationIn | None]) -> list[Post]:
    """Set (or with None clear) the coordinates of the named posts, all or nothing."""
    ids = sorted(locations)
    raise_if(check_refs(session, Post, ids, "body.locations", "post"))
    posts = list(session.scalars(select(Post).where(Post.id.in_(ids)).order_by(Post.id)))
    for post in posts:
        loc = locations[post.id]
        post.lat, post.lon = (None, None) if loc is None else (loc.lat, loc.lon)
    session.flush()
    return posts


def delete_post(session: Session, post: Post) -> None:
    used = count_rows(session, select(RosterAssignment.id).where(RosterAssignment.post_id == post.id))
    ensure_unreferenced("post", post.id, [("roster duty(ies)", used)])
    session.delete(post)
    session.flush()
