"""Owed rest (补休): each officer's balance, accrued while a level above normal is in force (the
minutes worked above normal hours in the declared period, by `OwedRestRule`) and reduced by the
days granted. The balance is kept here; every roster planned while a balance is open receives it
as the engine's hard `owed_rest` rule (scenario format v2; see app.planning.scenario).

Publishing a roster (`on_publish`) keeps the books: it (re)accrues the declarations its dates and
units meet (a level declared before anything was published accrues when the roster is), and the
days off it gives an officer with a balance after the accruing period, up to the deadline, are
granted (an entry with its `roster_id`, replaced when a later version of those days is published)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.accounts.access import ensure_manages
from app.accounts.models import User
from app.core.clock import utc_of_midnight, utcnow
from app.core.errors import ErrorDetail, RuleViolation
from app.levels.models import LevelDeclaration, OwedRestEntry, OwedRestRule
from app.reference.models import Officer
from app.reference.settings import zone_of
from app.rosters.models import PublishedDay, RosterAssignment, is_published
from app.rosters.queries import published_assignments
from app.rosters.schemas import OwedRestLine, StatsReport

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
    since: date | None = None
    """The end of the last accruing period: owed days are days off from then on."""


def balance(session: Session, officer_id: str, replanning: tuple[date, date] | None = None) -> Balance:
    """The officer's balance; `replanning` [start, end): without what the rosters published for
    dates in it granted (the days a re-plan of them is to give again)."""
    stmt = select(OwedRestEntry).where(OwedRestEntry.officer_id == officer_id)
    if replanning is not None:
        stmt = stmt.where(~_granted_by_roster_in(*replanning))
    entries = list(session.scalars(stmt.order_by(OwedRestEntry.start, OwedRestEntry.id)))
    total = sum(e.days if e.kind == ACCRUED else -e.days for e in entries)
    accrued = [e.end for e in entries if e.kind == ACCRUED]
    deadline = max(accrued) + timedelta(days=rule(session).deadline_days) if accrued and total > 0 else None
    return Balance(officer_id, total, deadline, entries, max(accrued) if accrued else None)


def _granted_by_roster_in(start: date, end: date) -> ColumnElement[bool]:
    return (
        (OwedRestEntry.kind == GRANTED)
        & OwedRestEntry.roster_id.is_not(None)
        & (OwedRestEntry.start < end)
        & (OwedRestEntry.end > start)
    )


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


def on_publish(
    session: Session, roster_id: int, unit_ids: list[str], start: date, end: date, replaced: set[int]
) -> list[OwedRestEntry]:
    """Keep the books when roster `roster_id` is published for `unit_ids` on [start, end),
    replacing versions `replaced`: (re)accrue the declarations it meets, forget what the replaced
    versions granted the units' officers, and grant the days off it gives each officer owed rest
    (the days after the accruing period up to the deadline, at most the balance)."""
    for declaration in session.scalars(
        select(LevelDeclaration).where(LevelDeclaration.start < end, LevelDeclaration.end > start)
    ):
        if set(declaration.unit_ids) & set(unit_ids):
            accrue(session, declaration, None)
    officers = list(session.scalars(select(Officer.id).where(Officer.unit_id.in_(unit_ids))))
    if replaced:
        session.execute(
            delete(OwedRestEntry).where(
                OwedRestEntry.kind == GRANTED,
                OwedRestEntry.roster_id.in_(sorted(replaced)),
                OwedRestEntry.officer_id.in_(officers),
            )
        )
    owing = set(
        session.scalars(select(OwedRestEntry.officer_id).where(OwedRestEntry.officer_id.in_(officers)))
    )
    windows: dict[str, tuple[Balance, date, date]] = {}
    for officer in sorted(owing):
        b = balance(session, officer)
        if b.days <= 0 or b.deadline is None or b.since is None:
            continue
        first, last = max(start, b.since), min(b.deadline, end - timedelta(days=1))
        if first <= last:
            windows[officer] = (b, first, last)
    if not windows:
        return []
    zone = zone_of(session)
    lo = utc_of_midnight(min(w[1] for w in windows.values()), zone)
    hi = utc_of_midnight(max(w[2] for w in windows.values()) + timedelta(days=1), zone)
    RA = RosterAssignment
    duties: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for officer, s, e in session.execute(
        select(RA.officer_id, RA.start_at, RA.end_at)
        .join(PublishedDay, is_published(RA))
        .where(RA.officer_id.in_(sorted(windows)), RA.start_at < hi, RA.end_at > lo)
    ):
        duties[officer].append((s, e))
    out = []
    for officer, (b, first, last) in sorted(windows.items()):
        off = 0
        for i in range((last - first).days + 1):
            day = first + timedelta(days=i)
            day_lo, day_hi = utc_of_midnight(day, zone), utc_of_midnight(day + timedelta(days=1), zone)
            if not any(s < day_hi and e > day_lo for s, e in duties.get(officer, [])):
                off += 1
        days = min(b.days, off)
        if days <= 0:
            continue
        out.append(
            OwedRestEntry(
                officer_id=officer,
                kind=GRANTED,
                days=days,
                start=first,
                end=last + timedelta(days=1),
                roster_id=roster_id,
                note=f"days off in roster version {roster_id}",
                created_by=None,
                created_at=utcnow(),
            )
        )
    session.add_all(out)
    session.flush()
    return out


def with_owed_rest(session: Session, report: StatsReport) -> StatsReport:
    """The officers report with each officer's owed rest now (balance, due date) and the history
    of the report's officers."""
    wanted = {o.officer for o in report.officers}
    found = {b.officer: b for b in balances(session, None) if b.officer in wanted}
    officers = [
        o.model_copy(update={"owed_rest": found[o.officer].days, "owed_rest_due": found[o.officer].deadline})
        if o.officer in found
        else o
        for o in report.officers
    ]
    lines = [
        OwedRestLine(
            officer=b.officer,
            kind=e.kind,
            days=e.days,
            minutes_over=e.minutes_over,
            start=e.start,
            end=e.end,
            note=e.note,
            roster_id=e.roster_id,
        )
        for b in found.values()
        for e in b.entries
    ]
    return report.model_copy(update={"officers": officers, "owed_rest": lines})
