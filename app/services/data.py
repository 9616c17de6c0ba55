"""Reference data: create, read, update, delete, list, with reference checks that name the field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app import mappers
from app.errors import Conflict, ErrorDetail, NotFound, RuleViolation
from app.models import (
    Coverage,
    DetachmentSettings,
    HistoryDuty,
    Officer,
    OfficerRequest,
    PinnedDuty,
    Post,
    RequestStatus,
    Role,
    RosterAssignment,
    ShiftType,
    Skill,
    Unavailability,
    Unit,
    User,
    officer_serves,
    officer_skills,
    roster_units,
)
from app.schemas import data as s
from app.services.access import ensure_manages
from solver.domain import WEEKDAY_TOKENS, WEIGHT_FIELDS, WORK_RULE_FIELDS, Weights, WorkRules

T = TypeVar("T")


# --------------------------------------------------------------------------- helpers


def page(session: Session, stmt: Select[Any], limit: int, offset: int) -> tuple[list[Any], int]:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return list(session.scalars(stmt.limit(limit).offset(offset))), total


def get_or_404(session: Session, model: type[T], key: Any, what: str) -> T:
    row = session.get(model, key)
    if row is None:
        raise NotFound(f"no {what} {key!r}")
    return row


def ensure_new(session: Session, model: type[Any], key: str, what: str) -> None:
    if session.get(model, key) is not None:
        raise Conflict(f"{what} {key!r} already exists")


def check_refs(
    session: Session, model: type[Any], ids: Iterable[str], path: str, what: str
) -> list[ErrorDetail]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    found = set(session.scalars(select(model.id).where(model.id.in_(wanted))))
    return [ErrorDetail(path, f"unknown {what} {i!r}", i) for i in wanted if i not in found]


def raise_if(
    problems: list[ErrorDetail], message: str = "the request names something that does not exist"
) -> None:
    if problems:
        raise RuleViolation(message, problems)


def ensure_unreferenced(what: str, key: str, uses: list[tuple[str, int]]) -> None:
    used = [f"{n} {label}" for label, n in uses if n]
    if used:
        raise Conflict(f"{what} {key!r} is still used by " + ", ".join(used))


def count(session: Session, stmt: Any) -> int:
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


# --------------------------------------------------------------------------- units and skills


def create_unit(session: Session, body: s.UnitCreate) -> Unit:
    ensure_new(session, Unit, body.id, "unit")
    unit = Unit(id=body.id, name=body.name)
    session.add(unit)
    session.flush()
    return unit


def update_unit(session: Session, unit: Unit, body: s.UnitUpdate) -> Unit:
    unit.name = body.name
    session.flush()
    return unit


def delete_unit(session: Session, unit: Unit) -> None:
    ensure_unreferenced(
        "unit",
        unit.id,
        [
            ("post(s)", count(session, select(Post.id).where(Post.unit_id == unit.id))),
            ("officer(s) at home", count(session, select(Officer.id).where(Officer.unit_id == unit.id))),
            (
                "officer(s) serving it",
                count(session, select(officer_serves).where(officer_serves.c.unit_id == unit.id)),
            ),
            (
                "roster version(s)",
                count(session, select(roster_units).where(roster_units.c.unit_id == unit.id)),
            ),
        ],
    )
    session.delete(unit)
    session.flush()


def create_skill(session: Session, body: s.SkillCreate) -> Skill:
    ensure_new(session, Skill, body.id, "skill")
    skill = Skill(id=body.id, name=body.name)
    session.add(skill)
    session.flush()
    return skill


def update_skill(session: Session, skill: Skill, body: s.SkillUpdate) -> Skill:
    skill.name = body.name
    session.flush()
    return skill


def delete_skill(session: Session, skill: Skill) -> None:
    coverage_uses = sum(1 for c in session.scalars(select(Coverage)) if skill.id in (c.skills or {}))
    ensure_unreferenced(
        "skill",
        skill.id,
        [
            (
                "officer(s)",
                count(session, select(officer_skills).where(officer_skills.c.skill_id == skill.id)),
            ),
            ("coverage rule(s)", coverage_uses),
        ],
    )
    session.delete(skill)
    session.flush()


# --------------------------------------------------------------------------- shift types


def create_shift_type(session: Session, body: s.ShiftTypeCreate) -> ShiftType:
    ensure_new(session, ShiftType, body.id, "shift type")
    row = ShiftType(**body.model_dump())
    session.add(row)
    session.flush()
    return row


def update_shift_type(session: Session, row: ShiftType, body: s.ShiftTypeUpdate) -> ShiftType:
    for key, value in body.model_dump(exclude_unset=True).items():
        if value is None:
            raise RuleViolation(f"{key} cannot be null", [ErrorDetail(f"body.{key}", "cannot be null")])
        setattr(row, key, value)
    session.flush()
    return row


def delete_shift_type(session: Session, row: ShiftType) -> None:
    sid = row.id
    ensure_unreferenced(
        "shift type",
        sid,
        [
            ("coverage rule(s)", count(session, select(Coverage.id).where(Coverage.shift_id == sid))),
            ("history duty(ies)", count(session, select(HistoryDuty.id).where(HistoryDuty.shift_id == sid))),
            ("request(s)", count(session, select(OfficerRequest.id).where(OfficerRequest.shift_id == sid))),
            ("pinned duty(ies)", count(session, select(PinnedDuty.id).where(PinnedDuty.shift_id == sid))),
            (
                "roster duty(ies)",
                count(session, select(RosterAssignment.id).where(RosterAssignment.shift_id == sid)),
            ),
        ],
    )
    session.delete(row)
    session.flush()


# --------------------------------------------------------------------------- posts


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
            position=i,
        )
        for i, c in enumerate(coverage)
    ]


def list_posts(
    session: Session, limit: int, offset: int, unit: str | None, kind: str | None, q: str | None
) -> tuple[list[Post], int]:
    stmt = select(Post).order_by(Post.id)
    if unit:
        stmt = stmt.where(Post.unit_id == unit)
    if kind:
        stmt = stmt.where(Post.kind == kind)
    if q:
        stmt = stmt.where(or_(Post.name.contains(q), Post.id.contains(q)))
    return page(session, stmt, limit, offset)


def create_post(session: Session, body: s.PostCreate) -> Post:
    ensure_new(session, Post, body.id, "post")
    raise_if(
        check_refs(session, Unit, [body.unit], "body.unit", "unit")
        + _coverage_problems(session, body.coverage)
    )
    post = Post(
        id=body.id,
        name=body.name,
        kind=body.kind,
        unit_id=body.unit,
        priority=body.priority,
        coverage=_coverage_rows(body.coverage),
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
    raise_if(problems)
    for key in ("name", "kind", "priority"):
        if fields.get(key) is not None:
            setattr(post, key, fields[key])
    if body.unit is not None:
        post.unit_id = body.unit
    if body.coverage is not None:
        post.coverage = _coverage_rows(body.coverage)
    session.flush()
    return post


def delete_post(session: Session, post: Post) -> None:
    used = count(session, select(RosterAssignment.id).where(RosterAssignment.post_id == post.id))
    ensure_unreferenced("post", post.id, [("roster duty(ies)", used)])
    session.delete(post)
    session.flush()


# --------------------------------------------------------------------------- officers


def list_officers(
    session: Session,
    limit: int,
    offset: int,
    unit: str | None,
    serves: str | None,
    skill: str | None,
    q: str | None,
) -> tuple[list[Officer], int]:
    stmt = (
        select(Officer)
        .options(selectinload(Officer.serves), selectinload(Officer.skills))
        .order_by(Officer.id)
    )
    if unit:
        stmt = stmt.where(Officer.unit_id == unit)
    if serves:
        stmt = stmt.where(Officer.serves.any(Unit.id == serves))
    if skill:
        stmt = stmt.where(Officer.skills.any(Skill.id == skill))
    if q:
        stmt = stmt.where(or_(Officer.name.contains(q), Officer.id.contains(q)))
    return page(session, stmt, limit, offset)


def _officer_links(
    session: Session, unit: str | None, serves: list[str] | None, skills: list[str] | None
) -> tuple[list[Unit] | None, list[Skill] | None]:
    problems = []
    if unit is not None:
        problems += check_refs(session, Unit, [unit], "body.unit", "unit")
    if serves is not None:
        problems += check_refs(session, Unit, serves, "body.serves", "unit")
    if skills is not None:
        problems += check_refs(session, Skill, skills, "body.skills", "skill")
    raise_if(problems)
    units = None if serves is None else list(session.scalars(select(Unit).where(Unit.id.in_(serves))))
    skill_rows = None if skills is None else list(session.scalars(select(Skill).where(Skill.id.in_(skills))))
    return units, skill_rows


def create_officer(session: Session, body: s.OfficerCreate) -> Officer:
    ensure_new(session, Officer, body.id, "officer")
    serves = [body.unit] if body.serves is None else body.serves
    units, skills = _officer_links(session, body.unit, serves, body.skills)
    officer = Officer(
        id=body.id,
        name=body.name,
        unit_id=body.unit,
        rule_overrides=body.rules.overrides(),
        serves=units or [],
        skills=skills or [],
    )
    session.add(officer)
    session.flush()
    return officer


def update_officer(session: Session, officer: Officer, body: s.OfficerUpdate) -> Officer:
    units, skills = _officer_links(session, body.unit, body.serves, body.skills)
    if body.name is not None:
        officer.name = body.name
    if body.unit is not None:
        officer.unit_id = body.unit
    if units is not None:
        officer.serves = units
    if skills is not None:
        officer.skills = skills
    if body.rules is not None:
        officer.rule_overrides = body.rules.overrides()
    session.flush()
    return officer


def delete_officer(session: Session, officer: Officer) -> None:
    used = count(session, select(RosterAssignment.id).where(RosterAssignment.officer_id == officer.id))
    ensure_unreferenced("officer", officer.id, [("roster duty(ies)", used)])
    session.delete(officer)
    session.flush()


def officer_has_feed(officer: Officer) -> bool:
    return officer.calendar_token_hash is not None


# --------------------------------------------------------------------------- officer records


def add_unavailability(
    session: Session, officer: Officer, body: s.UnavailabilityCreate, user: User
) -> Unavailability:
    ensure_manages(user, [officer.unit_id], "record unavailability")
    row = Unavailability(officer_id=officer.id, start=body.start, end=body.end, reason=body.reason)
    session.add(row)
    session.flush()
    return row


def get_unavailability(session: Session, officer: Officer, span_id: int) -> Unavailability:
    row = session.get(Unavailability, span_id)
    if row is None or row.officer_id != officer.id:
        raise NotFound(f"officer {officer.id!r} has no unavailability {span_id}")
    return row


def delete_unavailability(session: Session, row: Unavailability, officer: Officer, user: User) -> None:
    ensure_manages(user, [officer.unit_id], "change unavailability")
    session.delete(row)
    session.flush()


def add_history(session: Session, officer: Officer, body: s.HistoryCreate, user: User) -> HistoryDuty:
    ensure_manages(user, [officer.unit_id], "record history")
    raise_if(check_refs(session, ShiftType, [body.shift], "body.shift", "shift type"))
    duplicate = session.scalar(
        select(
            exists().where(
                HistoryDuty.officer_id == officer.id,
                HistoryDuty.shift_id == body.shift,
                HistoryDuty.date == body.date,
            )
        )
    )
    if duplicate:
        raise Conflict(f"officer {officer.id!r} already has a {body.shift} duty on {body.date} in history")
    row = HistoryDuty(officer_id=officer.id, shift_id=body.shift, date=body.date)
    session.add(row)
    session.flush()
    return row


def get_history(session: Session, officer: Officer, duty_id: int) -> HistoryDuty:
    row = session.get(HistoryDuty, duty_id)
    if row is None or row.officer_id != officer.id:
        raise NotFound(f"officer {officer.id!r} has no history duty {duty_id}")
    return row


def delete_history(session: Session, row: HistoryDuty, officer: Officer, user: User) -> None:
    ensure_manages(user, [officer.unit_id], "change history")
    session.delete(row)
    session.flush()


def list_requests(
    session: Session,
    limit: int,
    offset: int,
    *,
    officer: str | None = None,
    unit: str | None = None,
    status: str | None = None,
) -> tuple[list[OfficerRequest], int]:
    stmt = select(OfficerRequest).order_by(OfficerRequest.date, OfficerRequest.id)
    if officer:
        stmt = stmt.where(OfficerRequest.officer_id == officer)
    if unit:
        stmt = stmt.join(Officer, Officer.id == OfficerRequest.officer_id).where(Officer.unit_id == unit)
    if status:
        stmt = stmt.where(OfficerRequest.status == status)
    return page(session, stmt, limit, offset)


def add_request(session: Session, officer: Officer, body: s.RequestCreate, user: User) -> OfficerRequest:
    """Officers file their own requests as pending; the duty office's go in approved."""
    if user.role == Role.OFFICER:
        if user.officer_id != officer.id:
            raise NotFound(f"no officer {officer.id!r}")
        status = RequestStatus.PENDING
    else:
        ensure_manages(user, [officer.unit_id], "record requests")
        status = RequestStatus.APPROVED
    if body.shift is not None:
        raise_if(check_refs(session, ShiftType, [body.shift], "body.shift", "shift type"))
    row = OfficerRequest(
        officer_id=officer.id,
        kind=body.kind,
        date=body.date,
        shift_id=body.shift,
        weight=body.weight,
        status=status,
        note=body.note,
    )
    session.add(row)
    session.flush()
    return row


def get_request(session: Session, request_id: int) -> OfficerRequest:
    return get_or_404(session, OfficerRequest, request_id, "request")


def decide_request(session: Session, row: OfficerRequest, status: str, user: User) -> OfficerRequest:
    ensure_manages(user, [row.officer.unit_id], "decide requests")
    row.status = status
    session.flush()
    return row


def delete_request(session: Session, row: OfficerRequest, user: User) -> None:
    if user.role == Role.OFFICER:
        if user.officer_id != row.officer_id:
            raise NotFound(f"no request {row.id}")
        if row.status != RequestStatus.PENDING:
            raise Conflict(f"request {row.id} has been decided ({row.status}); ask the duty office")
    else:
        ensure_manages(user, [row.officer.unit_id], "delete requests")
    session.delete(row)
    session.flush()


# --------------------------------------------------------------------------- pinned duties


def list_pinned(
    session: Session, limit: int, offset: int, start: date | None, end: date | None, post: str | None
) -> tuple[list[PinnedDuty], int]:
    stmt = select(PinnedDuty).order_by(PinnedDuty.date, PinnedDuty.id)
    if start:
        stmt = stmt.where(PinnedDuty.date >= start)
    if end:
        stmt = stmt.where(PinnedDuty.date < end)
    if post:
        stmt = stmt.where(PinnedDuty.post_id == post)
    return page(session, stmt, limit, offset)


def add_pinned(session: Session, body: s.PinnedCreate, user: User) -> PinnedDuty:
    raise_if(
        check_refs(session, Officer, [body.officer], "body.officer", "officer")
        + check_refs(session, Post, [body.post], "body.post", "post")
        + check_refs(session, ShiftType, [body.shift], "body.shift", "shift type")
    )
    post = session.get(Post, body.post)
    officer = session.get(Officer, body.officer)
    assert post is not None and officer is not None
    ensure_manages(user, [post.unit_id], "pin duties")
    if post.unit_id not in {u.id for u in officer.serves}:
        raise RuleViolation(
            f"officer {officer.id!r} does not serve unit {post.unit_id!r}",
            [
                ErrorDetail(
                    "body.officer", f"does not serve unit {post.unit_id!r} of post {post.id!r}", officer.id
                )
            ],
        )
    if not any(c.shift_id == body.shift and mappers.coverage_selects(c, body.date) for c in post.coverage):
        raise RuleViolation(
            f"post {post.id!r} has no {body.shift} slot on {body.date}",
            [ErrorDetail("body.shift", f"post {post.id!r} has no {body.shift} slot on {body.date}")],
        )
    duplicate = session.scalar(
        select(
            exists().where(
                PinnedDuty.officer_id == body.officer,
                PinnedDuty.post_id == body.post,
                PinnedDuty.shift_id == body.shift,
                PinnedDuty.date == body.date,
            )
        )
    )
    if duplicate:
        raise Conflict("this duty is already pinned")
    row = PinnedDuty(officer_id=body.officer, post_id=body.post, shift_id=body.shift, date=body.date)
    session.add(row)
    session.flush()
    return row


def delete_pinned(session: Session, row: PinnedDuty, user: User) -> None:
    post = session.get(Post, row.post_id)
    ensure_manages(user, [post.unit_id if post else ""], "unpin duties")
    session.delete(row)
    session.flush()


# --------------------------------------------------------------------------- settings


def settings_read(row: DetachmentSettings) -> s.SettingsRead:
    rules = {k: row.rules.get(k, getattr(WorkRules(), k)) for k in WORK_RULE_FIELDS}
    weights = {k: row.weights.get(k, getattr(Weights(), k)) for k in WEIGHT_FIELDS}
    horizon = None
    if row.horizon_start is not None and row.horizon_days is not None:
        horizon = s.Horizon(start=row.horizon_start, days=row.horizon_days)
    return s.SettingsRead(name=row.name, timezone=row.timezone, rules=rules, weights=weights, horizon=horizon)


def get_settings(session: Session) -> DetachmentSettings:
    return mappers.settings_row(session)


def update_settings(session: Session, body: s.SettingsUpdate) -> DetachmentSettings:
    row = mappers.settings_row(session)
    if body.timezone is not None:
        try:
            ZoneInfo(body.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise RuleViolation(
                f"unknown time zone {body.timezone!r}",
                [ErrorDetail("body.timezone", "not an IANA time zone name")],
            ) from None
        row.timezone = body.timezone
    if body.name is not None:
        row.name = body.name
    if body.rules is not None:
        row.rules = {**row.rules, **body.rules.overrides()}
    if body.weights is not None:
        row.weights = {**row.weights, **{k: v for k, v in body.weights.model_dump().items() if v is not None}}
    if body.horizon is not None:
        row.horizon_start, row.horizon_days = body.horizon.start, body.horizon.days
    session.flush()
    return row
