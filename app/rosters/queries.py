"""Read models over the published roster: duties, who is on duty at an instant, schedules, reports.

Every query joins `roster_assignments` with `published_days` on (roster, unit, date), so it sees
exactly one version per unit and day. Instants are compared in UTC (`start_at`, `end_at`); a
duty of at most 24 hours starting on the day before T is the earliest that can cover T, which
keeps "on duty at T" on the (unit, date) index.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from app.core.clock import aware, local_of_utc, naive_utc, utc_of_local, utc_of_midnight
from app.core.paging import PageParams, count_rows
from app.groups.models import DutyGroup, GroupMember
from app.reference.models import Officer, Post, ShiftType, Unavailability
from app.reference.settings import zone_of
from app.rosters import schemas as rs
from app.rosters.models import PublishedDay, Roster, RosterAssignment, RosterShortfall, is_published
from solver.io.load import scenario_from_dict

RA = RosterAssignment


@dataclass(frozen=True)
class DutyFilter:
    officer: str | None = None
    post: str | None = None
    post_name: str | None = None
    unit: str | None = None
    shift: str | None = None
    start: date | None = None
    end: date | None = None
    """Exclusive."""
    roster_id: int | None = None
    """A given version (drafts included) instead of the published roster."""
    readable_units: set[str] | None = None
    """None: every unit; otherwise these units, plus the `own_officer`'s duties anywhere."""
    own_officer: str | None = None
    group: str | None = None
    """The duties of the members (now) of this duty group."""


def _duty_select(f: DutyFilter) -> Select[*tuple[Any, ...]]:
    stmt: Select[*tuple[Any, ...]] = (
        select(
            RA.roster_id,
            RA.date,
            RA.shift_id,
            ShiftType.name,
            RA.start_at,
            RA.end_at,
            RA.officer_id,
            Officer.name,
            RA.post_id,
            Post.name,
            RA.unit_id,
            RA.leader,
            RA.position,
            Post.positions,
            DutyGroup.id,
            DutyGroup.name,
        )
        .join(Officer, Officer.id == RA.officer_id)
        .join(Post, Post.id == RA.post_id)
        .join(ShiftType, ShiftType.id == RA.shift_id)
        .outerjoin(GroupMember, GroupMember.officer_id == RA.officer_id)
        .outerjoin(DutyGroup, DutyGroup.id == GroupMember.group_id)
    )
    if f.roster_id is not None:
        stmt = stmt.where(RA.roster_id == f.roster_id)
    else:
        stmt = stmt.join(PublishedDay, is_published(RA))
    if f.officer:
        stmt = stmt.where(RA.officer_id == f.officer)
    if f.post:
        stmt = stmt.where(RA.post_id == f.post)
    if f.post_name:
        stmt = stmt.where(Post.name.contains(f.post_name, autoescape=True))
    if f.unit:
        stmt = stmt.where(RA.unit_id == f.unit)
    if f.shift:
        stmt = stmt.where(RA.shift_id == f.shift)
    if f.group:
        stmt = stmt.where(GroupMember.group_id == f.group)
    if f.start:
        stmt = stmt.where(RA.date >= f.start)
    if f.end:
        stmt = stmt.where(RA.date < f.end)
    if f.readable_units is not None:
        allowed = RA.unit_id.in_(sorted(f.readable_units))
        stmt = stmt.where(or_(allowed, RA.officer_id == f.own_officer) if f.own_officer else allowed)
    return stmt


def _duty(row: Any, zone: ZoneInfo) -> rs.DutyRead:
    return rs.DutyRead(
        roster_id=row[0],
        date=row[1],
        shift=row[2],
        shift_name=row[3],
        start=local_of_utc(row[4], zone),
        end=local_of_utc(row[5], zone),
        officer=row[6],
        officer_name=row[7],
        post=row[8],
        post_name=row[9],
        unit=row[10],
        leader=bool(row[11]),
        position=row[12],
        position_name=position_name(row[13], row[12]),
        group=row[14],
        group_name=row[15],
    )


def position_name(positions: list[dict[str, Any]] | None, position: str | None) -> str | None:
    """The name of a post's position (its id when the post no longer lists it)."""
    if position is None:
        return None
    return next((str(q["name"]) for q in positions or [] if q.get("id") == position), position)


def duties(session: Session, f: DutyFilter, page: PageParams) -> tuple[list[rs.DutyRead], int]:
    stmt = _duty_select(f)
    ordered = stmt.order_by(RA.start_at, RA.post_id, RA.officer_id)
    rows = session.execute(ordered.limit(page.limit).offset(page.offset))
    zone = zone_of(session)
    return [_duty(r, zone) for r in rows], count_rows(session, stmt)


def all_duties(session: Session, f: DutyFilter) -> list[rs.DutyRead]:
    zone = zone_of(session)
    rows = session.execute(
        _duty_select(f).order_by(RA.date, RA.unit_id, RA.post_id, RA.start_at, RA.officer_id)
    )
    return [_duty(r, zone) for r in rows]


def on_duty(session: Session, at: datetime, f: DutyFilter) -> rs.OnDutyRead:
    zone = zone_of(session)
    moment = aware(at, zone)
    utc = naive_utc(moment)
    local_day = moment.astimezone(zone).date()
    stmt = _duty_select(f).where(
        RA.date.in_([local_day - timedelta(days=1), local_day]), RA.start_at <= utc, RA.end_at > utc
    )
    rows = session.execute(stmt.order_by(RA.post_id, RA.start_at, RA.officer_id))
    found = [_duty(r, zone) for r in rows]
    return rs.OnDutyRead(at=moment.astimezone(zone), count=len(found), duties=found)


# --------------------------------------------------------------------------- reports


def _published_cells(session: Session, start: date, end: date, units: set[str] | None) -> list[PublishedDay]:
    stmt = select(PublishedDay).where(PublishedDay.date >= start, PublishedDay.date < end)
    if units is not None:
        stmt = stmt.where(PublishedDay.unit_id.in_(sorted(units)))
    return list(session.scalars(stmt.order_by(PublishedDay.date, PublishedDay.unit_id)))


def slot_needs(roster: Roster, start: date, end: date, units: set[str] | None) -> list[rs.SlotNeedRead]:
    """The slots of the version's own scenario on [start, end) (of `units`), with their needs: the
    coverage the version was solved for, which a duty level or a coverage change may have made
    differ from the posts' normal coverage (snapshots never change)."""
    scenario = scenario_from_dict(roster.snapshot.document)
    unit_of = {p.id: p.unit for p in scenario.posts}
    return [
        rs.SlotNeedRead(
            post=s.post,
            unit=unit_of[s.post],
            date=s.date,
            shift=s.shift,
            min=s.min,
            max=s.max,
            skills=dict(s.skills),
        )
        for s in scenario.slots()
        if start <= s.date < end and (units is None or unit_of[s.post] in units)
    ]


def coverage(
    session: Session, start: date, end: date, units: set[str] | None, needs: bool = False
) -> rs.CoverageReport:
    cells = _published_cells(session, start, end, units)
    roster_ids = sorted({c.roster_id for c in cells})
    stats_rows = session.execute(select(Roster.id, Roster.slot_stats).where(Roster.id.in_(roster_ids)))
    stats = {roster_id: slot_stats for roster_id, slot_stats in stats_rows}
    assigned_stmt = (
        select(RA.unit_id, RA.date, func.count())
        .join(PublishedDay, is_published(RA))
        .where(RA.date >= start, RA.date < end)
        .group_by(RA.unit_id, RA.date)
    )
    assigned = {(u, day): n for u, day, n in session.execute(assigned_stmt)}
    shortfall_stmt = (
        select(RosterShortfall, Post.name)
        .join(PublishedDay, is_published(RosterShortfall))
        .outerjoin(Post, Post.id == RosterShortfall.post_id)
        .where(RosterShortfall.date >= start, RosterShortfall.date < end)
        .order_by(RosterShortfall.post_id, RosterShortfall.shift_id)
    )
    shortfalls: dict[tuple[str, date], list[rs.ShortfallRead]] = defaultdict(list)
    for s, post_name in session.execute(shortfall_stmt):
        shortfalls[(s.unit_id, s.date)].append(rs.ShortfallRead(**_shortfall_fields(s, post_name)))
    slot_needs_of: dict[tuple[str, date], list[rs.SlotNeedRead]] = defaultdict(list)
    if needs:
        published = {(c.roster_id, c.unit_id, c.date) for c in cells}
        for roster in session.scalars(select(Roster).where(Roster.id.in_(roster_ids))):
            for need in slot_needs(roster, start, end, units):
                if (roster.id, need.unit, need.date) in published:
                    slot_needs_of[(need.unit, need.date)].append(need)
    days = []
    for c in cells:
        slots, required = (stats.get(c.roster_id) or {}).get(c.unit_id, {}).get(c.date.isoformat(), [0, 0])
        short = shortfalls.get((c.unit_id, c.date), [])
        days.append(
            rs.CoverageDayRead(
                date=c.date,
                unit=c.unit_id,
                roster_id=c.roster_id,
                slots=slots,
                required=required,
                assigned=assigned.get((c.unit_id, c.date), 0),
                missing=sum(s.missing for s in short if s.skill is None),
                skill_missing=sum(s.missing for s in short if s.skill is not None),
                shortfalls=short,
                needs=slot_needs_of.get((c.unit_id, c.date), []) if needs else None,
            )
        )
    return rs.CoverageReport(start=start, end=end, days=days)


def officer_stats(session: Session, start: date, end: date, units: set[str] | None) -> rs.StatsReport:
    zone = zone_of(session)
    officer_stmt = select(Officer).order_by(Officer.id)
    if units is not None:
        officer_stmt = officer_stmt.where(Officer.unit_id.in_(sorted(units)))
    officers = list(session.scalars(officer_stmt))
    ids = [o.id for o in officers]
    rows = session.execute(
        select(RA.officer_id, RA.start_at, RA.end_at, RA.minutes, RA.night)
        .join(PublishedDay, is_published(RA))
        .where(RA.date >= start, RA.date < end, RA.officer_id.in_(ids))
    )
    by_officer: dict[str, list[tuple[datetime, datetime, int, bool]]] = defaultdict(list)
    for officer_id, s, e, minutes, night in rows:
        by_officer[officer_id].append((s, e, minutes, night))
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    day_bounds = [
        (utc_of_midnight(day, zone), utc_of_midnight(day + timedelta(days=1), zone)) for day in days
    ]
    period = (utc_of_midnight(start, zone), utc_of_midnight(end, zone))
    away = _unavailable_in(session, ids, period, zone)
    out = []
    for o in officers:
        mine = by_officer.get(o.id, [])
        busy_days = sum(1 for lo, hi in day_bounds if any(s < hi and e > lo for s, e, _, _ in mine))
        out.append(
            rs.OfficerStatsRead(
                officer=o.id,
                name=o.name,
                unit=o.unit_id,
                duties=len(mine),
                nights=sum(1 for *_, night in mine if night),
                hours=round(sum(minutes for _, _, minutes, _ in mine) / 60, 2),
                days_off=len(days) - busy_days,
                fairness_counted=o.id not in away,
            )
        )
    grouped: dict[str, list[rs.OfficerStatsRead]] = defaultdict(list)
    for stat in out:
        if stat.fairness_counted:
            grouped[stat.unit].append(stat)
    fairness = []
    for unit, stats in sorted(grouped.items()):
        duties = [x.duties for x in stats]
        nights = [x.nights for x in stats]
        fairness.append(
            rs.UnitFairnessRead(
                unit=unit,
                officers=len(stats),
                duties_min=min(duties),
                duties_max=max(duties),
                nights_min=min(nights),
                nights_max=max(nights),
                duties_spread=max(duties) - min(duties),
                nights_spread=max(nights) - min(nights),
            )
        )
    return rs.StatsReport(start=start, end=end, officers=out, units=fairness)


def _unavailable_in(
    session: Session, ids: list[str], period: tuple[datetime, datetime], zone: ZoneInfo
) -> set[str]:
    """Officers with an unavailability overlapping the period (compared in UTC, like the referee)."""
    out = set()
    for officer_id, s, e in session.execute(
        select(Unavailability.officer_id, Unavailability.start, Unavailability.end).where(
            Unavailability.officer_id.in_(ids)
        )
    ):
        lo, hi = utc_of_local(s, zone), utc_of_local(e, zone)
        if lo < period[1] and hi > period[0]:
            out.add(officer_id)
    return out


def _shortfall_fields(s: RosterShortfall, post_name: str | None) -> dict[str, Any]:
    return {
        "post": s.post_id,
        "post_name": post_name or s.post_id,
        "shift": s.shift_id,
        "missing": s.missing,
        "skill": s.skill,
        "reason": s.reason,
        "reason_zh": s.reason_zh,
        "causes": s.causes,
    }


def roster_shortfalls(
    session: Session, roster_id: int, page: PageParams, unit: str | None = None
) -> tuple[list[rs.RosterShortfallRead], int]:
    """The short slots of one version (drafts too), with the solver's reasons, by date and post."""
    stmt = select(RosterShortfall, Post.name).outerjoin(Post, Post.id == RosterShortfall.post_id)
    stmt = stmt.where(RosterShortfall.roster_id == roster_id)
    if unit is not None:
        stmt = stmt.where(RosterShortfall.unit_id == unit)
    rows = session.execute(
        stmt.order_by(
            RosterShortfall.date, RosterShortfall.post_id, RosterShortfall.shift_id, RosterShortfall.id
        )
        .limit(page.limit)
        .offset(page.offset)
    )
    return [
        rs.RosterShortfallRead(**_shortfall_fields(s, name), date=s.date, unit=s.unit_id) for s, name in rows
    ], count_rows(session, stmt)


def published_assignments(session: Session, start: date, end: date) -> list[RosterAssignment]:
    """Published duties dated in [start, end)."""
    stmt = (
        select(RA)
        .join(PublishedDay, is_published(RA))
        .where(RA.date >= start, RA.date < end)
        .order_by(RA.date, RA.shift_id, RA.post_id)
    )
    return list(session.scalars(stmt))


def published_duties_overlapping(
    session: Session, officer: str, start: datetime, end: datetime, zone: ZoneInfo
) -> list[tuple[RosterAssignment, int]]:
    """The officer's published duties overlapping [start, end) of local time, with their version."""
    rows = session.execute(
        select(RA, PublishedDay.roster_id)
        .join(PublishedDay, is_published(RA))
        .where(
            RA.officer_id == officer,
            RA.start_at < utc_of_local(end, zone),
            RA.end_at > utc_of_local(start, zone),
        )
        .order_by(RA.start_at)
    )
    return [(a, roster_id) for a, roster_id in rows]
