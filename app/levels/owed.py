"""Owed rest (补休): each officer's balance, accrued while a level above normal is in force (the
minutes worked above normal hours in the declared period, by `OwedRestRule`) and reduced by the
days granted. The balance is kept here; every roster planned while a balance is open receives it
as the engine's hard `owed_rest` rule (scenario format v2; see app.planning.scenario)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages
from app.accounts.models import User
from app.core.clock import utcnow
from app.core.errors import ErrorDetail, RuleViolation
from app.levels.models import LevelDeclaration, OwedRestEntry, OwedRestRule
from app.reference.models import Officer
from app.rosters.queries import published_assignments

ACCRUED, GRANTED = "accrued", "granted"


def rule(session: Session) -> OwedRestRule:
    return session.get(OwedRestRule, 1) or OwedRestRule(
        id=1, normal_minutes_per_week=2400, minutes_per_owed_day=480, deadline_days=28
    )


def set_rule(session: Session, normal: int, per_day: int, deadline: int) -> OwedRestRule:
    row = session.get(OwedRestRule, 1) or OwedRestRule(id=1)
    row.normal_minutes_per_week, row.minutes_per_owed_day, row.deadline_days = normal, per_day, deadline
    session.add(row)
    session.flush()
    return row


def accrue(session: Session, declaration: LevelDeclaration, user: User | None) -> list[OwedRestEntry]:
    """(Re)compute the days the declaration's period owes each officer of its units from the
    published roster: minutes worked in [start, end) above the normal minutes pro rata, one day
    per `minutes_per_owed_day` (rounded down). Replaces what it accrued before."""
    r = rule(session)
    session.execute(delete(OwedRestEntry).where(OwedRestEntry.declaration_id == declaration.id))
    officers = {
        o.id for o in session.scalars(select(Officer).where(Officer.unit_id.in_(declaration.unit_ids)))
    }
    worked: dict[str, int] = defaultdict(int)
    for a in published_assignments(session, declaration.start, declaration.end):
        if a.officer_id in officers:
            worked[a.officer_id] += a.minutes
    days = (declaration.end - declaration.start).days
    normal = r.normal_minutes_per_week * days // 7
    out = []
    for officer in sorted(officers):
        over = worked.get(officer, 0) - normal
        owed = over // r.minutes_per_owed_day if over > 0 else 0
        if owed <= 0:
            continue
        out.append(
            OwedRestEntry(
                officer_id=officer,
                kind=ACCRUED,
                days=owed,
                minutes_over=over,
                start=declaration.start,
                end=declaration.end,
                declaration_id=declaration.id,
                note=f"duty level {declaration.level}",
                created_by=None if user is None else user.id,
                created_at=utcnow(),
            )
        )
    session.add_all(out)
    session.flush()
    return out


@dataclass(frozen=True)
class Balance:
    officer: str
    days: int
    """Owed days accrued minus days granted."""
    deadline: date | None
    """When the owed days are due: the last accruing period's end plus the rule's deadline."""
    entries: list[OwedRestEntry]


def balance(session: Session, officer_id: str) -> Balance:
    entries = list(
        session.scalars(
            select(OwedRestEntry)
            .where(OwedRestEntry.officer_id == officer_id)
            .order_by(OwedRestEntry.start, OwedRestEntry.id)
        )
    )
    total = sum(e.days if e.kind == ACCRUED else -e.days for e in entries)
    accrued = [e.end for e in entries if e.kind == ACCRUED]
    deadline = max(accrued) + timedelta(days=rule(session).deadline_days) if accrued and total > 0 else None
    return Balance(officer_id, total, deadline, entries)


def balances(session: Session, unit_ids: set[str] | None) -> list[Balance]:
    officers = session.scalars(select(Officer.id).join(OwedRestEntry).distinct().order_by(Officer.id))
    chosen = [o for o in officers]
    if unit_ids is not None:
        home = {o.id: o.unit_id for o in session.scalars(select(Officer).where(Officer.id.in_(chosen)))}
        chosen = [o for o in chosen if home.get(o) in unit_ids]
    return [balance(session, o) for o in chosen]


def grant(session: Session, user: User, officer: Officer, days: int, on: date, note: str) -> OwedRestEntry:
    """Record `days` of owed rest granted from `on` (not more than the balance)."""
    ensure_manages(user, [officer.unit_id], "grant owed rest")
    owed = balance(session, officer.id).days
    if days > owed:
        raise RuleViolation(
            f"{officer.id} is owed {owed} day(s), not {days}",
            [ErrorDetail("body.days", f"at most {owed}", officer.id)],
        )
    entry = OwedRestEntry(
        officer_id=officer.id,
        kind=GRANTED,
        days=days,
        start=on,
        end=on + timedelta(days=days),
        note=note,
        created_by=user.id,
        created_at=utcnow(),
    )
    session.add(entry)
    session.flush()
    return entry
