"""Units, skills and shift types: the small catalogues the rest of the reference data names."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import ErrorDetail, RuleViolation
from app.core.paging import PageParams, count_rows, fetch_page
from app.groups.models import DutyGroup
from app.reference import schemas as s
from app.reference.lookups import ensure_new, ensure_unreferenced
from app.reference.models import (
    Coverage,
    HistoryDuty,
    Officer,
    OfficerRequest,
    PinnedDuty,
    Post,
    ShiftType,
    Skill,
    Unit,
    officer_serves,
    officer_skills,
)
from app.rosters.models import RosterAssignment, roster_units


def list_units(session: Session, page: PageParams) -> tuple[list[Unit], int]:
    return fetch_page(session, select(Unit).order_by(Unit.id), page)


def list_skills(session: Session, page: PageParams) -> tuple[list[Skill], int]:
    return fetch_page(session, select(Skill).order_by(Skill.id), page)


def list_shift_types(session: Session, page: PageParams) -> tuple[list[ShiftType], int]:
    return fetch_page(session, select(ShiftType).order_by(ShiftType.position, ShiftType.id), page)


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
            ("post(s)", count_rows(session, select(Post.id).where(Post.unit_id == unit.id))),
            ("officer(s) at home", count_rows(session, select(Officer.id).where(Officer.unit_id == unit.id))),
            (
                "officer(s) serving it",
                count_rows(session, select(officer_serves).where(officer_serves.c.unit_id == unit.id)),
            ),
            (
                "roster version(s)",
                count_rows(session, select(roster_units).where(roster_units.c.unit_id == unit.id)),
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
                count_rows(session, select(officer_skills).where(officer_skills.c.skill_id == skill.id)),
            ),
            ("coverage rule(s)", coverage_uses),
        ],
    )
    session.delete(skill)
    session.flush()


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
            ("coverage rule(s)", count_rows(session, select(Coverage.id).where(Coverage.shift_id == sid))),
            (
                "history duty(ies)",
                count_rows(session, select(HistoryDuty.id).where(HistoryDuty.shift_id == sid)),
            ),
            (
                "request(s)",
                count_rows(session, select(OfficerRequest.id).where(OfficerRequest.shift_id == sid)),
            ),
            (
                "pinned duty(ies)",
                count_rows(session, select(PinnedDuty.id).where(PinnedDuty.shift_id == sid)),
            ),
            (
                "roster duty(ies)",
                count_rows(session, select(RosterAssignment.id).where(RosterAssignment.shift_id == sid)),
            ),
            (
                "duty group rotation(s)",
                sum(1 for days in session.scalars(select(DutyGroup.pattern_days)) if days and sid in days),
            ),
        ],
    )
    session.delete(row)
    session.flush()
