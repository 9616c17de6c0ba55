"""Duty groups as a resource: list, create, rename, members, pattern, delete, with the role rules
(admins: every group; dispatchers: the groups of their units; officers: read their own group) and
an audit event per change (`group.created`, `group.renamed`, `group.pattern_set`,
`group.pattern_removed`, `group.member_added`, `group.member_removed`, `group.deleted`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages
from app.accounts.models import Role, User
from app.audit import service as audit
from app.core.errors import Conflict, ErrorDetail, Forbidden, NotFound, RuleViolation
from app.groups import schemas as gs
from app.groups.models import DutyGroup, GroupMember
from app.reference.models import Officer, ShiftType, Unit


def group_read(session: Session, row: DutyGroup) -> gs.GroupRead:
    names = _officer_names(session, row.member_ids)
    return gs.GroupRead(
        id=row.id,
        name=row.name,
        unit=row.unit_id,
        members=[gs.MemberRead(id=i, name=names.get(i, i)) for i in row.member_ids],
        pattern=pattern_read(row),
    )


def pattern_read(row: DutyGroup) -> gs.PatternRead | None:
    if row.pattern_start is None or not row.pattern_days:
        return None
    return gs.PatternRead(start=row.pattern_start, days=list(row.pattern_days))


def pattern_plan(row: DutyGroup, start: date, days: int) -> list[gs.PlanDayRead]:
    """What the group's pattern says on each of `days` dates from `start` (empty: no pattern)."""
    if row.pattern_start is None or not row.pattern_days:
        return []
    cycle = row.pattern_days
    out = []
    for i in range(days):
        day = start + timedelta(days=i)
        out.append(gs.PlanDayRead(date=day, shift=cycle[(day - row.pattern_start).days % len(cycle)]))
    return out


def _officer_names(session: Session, ids: Sequence[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = session.execute(select(Officer.id, Officer.name).where(Officer.id.in_(list(ids))))
    return {officer_id: name for officer_id, name in rows}


def group_of_officer(session: Session, officer_id: str) -> DutyGroup | None:
    member = session.get(GroupMember, officer_id)
    return None if member is None else session.get(DutyGroup, member.group_id)


# --------------------------------------------------------------------------- access


def ensure_reads(user: User, row: DutyGroup) -> None:
    if user.role == Role.ADMIN:
        return
    if user.role == Role.DISPATCHER:
        if row.unit_id not in user.unit_ids:
            raise Forbidden(f"you may read only the groups of your units, not of {row.unit_id!r}")
        return
    if user.officer_id is None or user.officer_id not in row.member_ids:
        raise Forbidden("officers may read only their own group")


def list_groups(session: Session, user: User, unit: str | None) -> list[DutyGroup]:
    """The groups the user may read, of `unit` when given, in unit and id order."""
    stmt = select(DutyGroup).order_by(DutyGroup.unit_id, DutyGroup.id)
    if unit is not None:
        stmt = stmt.where(DutyGroup.unit_id == unit)
    if user.role == Role.DISPATCHER:
        if unit is not None and unit not in user.unit_ids:
            raise Forbidden(f"you may read only the groups of your units, not of {unit!r}")
        stmt = stmt.where(DutyGroup.unit_id.in_(user.unit_ids))
    elif user.role == Role.OFFICER:
        own = None if user.officer_id is None else group_of_officer(session, user.officer_id)
        return [] if own is None or (unit is not None and own.unit_id != unit) else [own]
    return list(session.scalars(stmt))


def get_group(session: Session, group_id: str, user: User) -> DutyGroup:
    row = session.get(DutyGroup, group_id)
    if row is None:
        raise NotFound(f"no duty group {group_id!r}")
    ensure_reads(user, row)
    return row


def managed_group(session: Session, group_id: str, user: User) -> DutyGroup:
    """The group, if the user may change it (admins; the dispatchers of its unit)."""
    row = session.get(DutyGroup, group_id)
    if row is None:
        raise NotFound(f"no duty group {group_id!r}")
    ensure_manages(user, [row.unit_id], "change duty groups")
    return row


# --------------------------------------------------------------------------- checks


def _check_pattern(session: Session, pattern: gs.PatternIn, path: str) -> None:
    shifts = set(session.scalars(select(ShiftType.id)))
    problems = [
        ErrorDetail(f"{path}.days[{i}]", "unknown shift type", s)
        for i, s in enumerate(pattern.days)
        if s is not None and s not in shifts
    ]
    if problems:
        raise RuleViolation(f"the pattern names {len(problems)} unknown shift type(s)", problems)


def _check_members(session: Session, unit: str, officers: Sequence[str], group_id: str, path: str) -> None:
    """Every officer exists, is at home in or serves `unit`, is named once, and is in no other
    group (422 for the first three, 409 for the last; each problem with its field path)."""
    problems: list[ErrorDetail] = []
    taken: list[ErrorDetail] = []
    seen: set[str] = set()
    for i, officer_id in enumerate(officers):
        where = f"{path}[{i}]"
        if officer_id in seen:
            problems.append(ErrorDetail(where, "named twice", officer_id))
            continue
        seen.add(officer_id)
        officer = session.get(Officer, officer_id)
        if officer is None:
            problems.append(ErrorDetail(where, "unknown officer", officer_id))
            continue
        if officer.unit_id != unit and unit not in {u.id for u in officer.serves}:
            problems.append(ErrorDetail(where, f"neither at home in nor serving unit {unit!r}", officer_id))
        member = session.get(GroupMember, officer_id)
        if member is not None and member.group_id != group_id:
            taken.append(ErrorDetail(where, f"already a member of group {member.group_id!r}", officer_id))
    if problems:
        raise RuleViolation(f"{len(problems)} member(s) cannot join the group", problems)
    if taken:
        raise Conflict(f"{len(taken)} officer(s) already in another group (remove them there first)", taken)


# --------------------------------------------------------------------------- changes


def create_group(session: Session, body: gs.GroupCreate, user: User) -> DutyGroup:
    if session.get(Unit, body.unit) is None:
        raise RuleViolation(
            f"unknown unit {body.unit!r}", [ErrorDetail("body.unit", "unknown unit", body.unit)]
        )
    ensure_manages(user, [body.unit], "create duty groups")
    if session.get(DutyGroup, body.id) is not None:
        raise Conflict(f"duty group {body.id!r} already exists", [ErrorDetail("body.id", "exists", body.id)])
    _check_members(session, body.unit, body.members, body.id, "body.members")
    if body.pattern is not None:
        _check_pattern(session, body.pattern, "body.pattern")
    row = DutyGroup(id=body.id, name=body.name, unit_id=body.unit)
    _set_pattern(row, body.pattern)
    row.members = [
        GroupMember(officer_id=i, group_id=body.id, position=n) for n, i in enumerate(body.members)
    ]
    session.add(row)
    session.flush()
    audit.record(
        session,
        "group.created",
        user,
        details={"group": row.id, "unit": row.unit_id, "name": row.name, "members": list(body.members)},
    )
    if body.pattern is not None:
        _record_pattern(session, row, user)
    return row


def _set_pattern(row: DutyGroup, pattern: gs.PatternIn | None) -> None:
    row.pattern_start = None if pattern is None else pattern.start
    row.pattern_days = None if pattern is None else list(pattern.days)


def _record_pattern(session: Session, row: DutyGroup, user: User) -> None:
    if row.pattern_start is None:
        audit.record(session, "group.pattern_removed", user, details={"group": row.id})
        return
    audit.record(
        session,
        "group.pattern_set",
        user,
        day=row.pattern_start,
        details={"group": row.id, "start": row.pattern_start.isoformat(), "days": row.pattern_days},
    )


def update_group(session: Session, row: DutyGroup, body: gs.GroupUpdate, user: User) -> DutyGroup:
    given = body.model_fields_set
    if "pattern" in given and body.pattern is not None:
        _check_pattern(session, body.pattern, "body.pattern")
    if "name" in given and body.name is not None and body.name != row.name:
        audit.record(
            session, "group.renamed", user, details={"group": row.id, "from": row.name, "to": body.name}
        )
        row.name = body.name
    if "pattern" in given:
        before = (row.pattern_start, row.pattern_days)
        _set_pattern(row, body.pattern)
        if (row.pattern_start, row.pattern_days) != before:
            _record_pattern(session, row, user)
    session.flush()
    return row


def add_members(session: Session, row: DutyGroup, body: gs.MembersIn, user: User) -> DutyGroup:
    current = row.member_ids
    _check_members(session, row.unit_id, body.officers, row.id, "body.officers")
    new = [i for i in body.officers if i not in current]
    for n, officer_id in enumerate(new, start=len(current)):
        row.members.append(GroupMember(officer_id=officer_id, group_id=row.id, position=n))
        audit.record(session, "group.member_added", user, officer=officer_id, details={"group": row.id})
    session.flush()
    return row


def remove_member(session: Session, row: DutyGroup, officer_id: str, user: User) -> DutyGroup:
    member = next((m for m in row.members if m.officer_id == officer_id), None)
    if member is None:
        raise NotFound(f"officer {officer_id!r} is not a member of group {row.id!r}")
    row.members.remove(member)
    for n, m in enumerate(row.members):
        m.position = n
    audit.record(session, "group.member_removed", user, officer=officer_id, details={"group": row.id})
    session.flush()
    return row


def delete_group(session: Session, row: DutyGroup, user: User) -> None:
    audit.record(
        session,
        "group.deleted",
        user,
        details={"group": row.id, "unit": row.unit_id, "name": row.name, "members": row.member_ids},
    )
    session.delete(row)
    session.flush()


# --------------------------------------------------------------------------- the officers sheet


def sheet_group(session: Session, value: str, unit: str, serves: Sequence[str]) -> tuple[str, str | None]:
    """The group a sheet's group cell names for an officer of `unit` (serving `serves`): (id, None)
    for a stored group named by id, or by name in the officer's unit; (new id, name) for a group to
    create in the unit. Raises ValueError (the message for the cell) when the id names a group of a
    unit the officer neither belongs to nor serves."""
    row = session.get(DutyGroup, value)
    if row is not None:
        if row.unit_id != unit and row.unit_id not in serves:
            raise ValueError(f"group {value!r} is of unit {row.unit_id!r}, which the officer does not serve")
        return row.id, None
    named = session.scalar(
        select(DutyGroup).where(DutyGroup.unit_id == unit, DutyGroup.name == value).order_by(DutyGroup.id)
    )
    if named is not None:
        return named.id, None
    new_id = f"{unit}-{value}"
    if len(new_id) > 64:
        raise ValueError(
            "too long for a new group's id (the unit's id, '-', the name: at most 64 characters)"
        )
    return new_id, value


def join_group(
    session: Session, officer_id: str, group_id: str, new: tuple[str, str] | None, user: User | None
) -> None:
    """Put the officer in the group (out of any other one), creating it as `new` = (unit, name)."""
    row = session.get(DutyGroup, group_id)
    if row is None:
        assert new is not None
        row = DutyGroup(id=group_id, unit_id=new[0], name=new[1])
        session.add(row)
        session.flush()
        audit.record(
            session, "group.created", user, details={"group": row.id, "unit": row.unit_id, "name": row.name}
        )
    member = session.get(GroupMember, officer_id)
    if member is not None and member.group_id == group_id:
        return
    if member is not None:
        old = session.get(DutyGroup, member.group_id)
        assert old is not None
        old.members.remove(member)
        session.flush()
        audit.record(session, "group.member_removed", user, officer=officer_id, details={"group": old.id})
    row.members.append(GroupMember(officer_id=officer_id, group_id=row.id, position=len(row.members)))
    session.flush()
    audit.record(session, "group.member_added", user, officer=officer_id, details={"group": row.id})
