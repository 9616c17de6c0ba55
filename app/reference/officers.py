"""Officers and their records: unavailability and the duties they worked before any horizon."""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, selectinload

from app.accounts.access import ensure_manages
from app.accounts.models import User
from app.core.errors import Conflict, NotFound
from app.core.paging import PageParams, count_rows, fetch_page
from app.reference import schemas as s
from app.reference.lookups import check_refs, ensure_new, ensure_unreferenced, raise_if
from app.reference.models import HistoryDuty, Officer, ShiftType, Skill, Unavailability, Unit
from app.rosters.models import RosterAssignment


def list_officers(
    session: Session,
    page: PageParams,
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
        stmt = stmt.where(
            or_(Officer.name.contains(q, autoescape=True), Officer.id.contains(q, autoescape=True))
        )
    return fetch_page(session, stmt, page)


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
        phone=body.phone,
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
    if body.phone is not None:
        officer.phone = body.phone
    session.flush()
    return officer


def delete_officer(session: Session, officer: Officer) -> None:
    used = count_rows(session, select(RosterAssignment.id).where(RosterAssignment.officer_id == officer.id))
    ensure_unreferenced("officer", officer.id, [("roster duty(ies)", used)])
    session.delete(officer)
    session.flush()


def list_unavailability(
    session: Session, officer_id: str, page: PageParams
) -> tuple[list[Unavailability], int]:
    stmt = (
        select(Unavailability).where(Unavailability.officer_id == officer_id).order_by(Unavailability.start)
    )
    return fetch_page(session, stmt, page)


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


def list_history(session: Session, officer_id: str, page: PageParams) -> tuple[list[HistoryDuty], int]:
    stmt = select(HistoryDuty).where(HistoryDuty.officer_id == officer_id).order_by(HistoryDuty.date)
    return fetch_page(session, stmt, page)


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
