"""The duty sheets a duty office prints (勤务表): a unit's day (posts × shifts, each slot with its
duty leader, the officers at their positions and their phone numbers, a sign-off line) and an
officer's week (their duties with post, position, leader and times).

The day sheet reads one roster version (a draft under review too) or, without one, the version
published for the unit and day; the week sheet reads the published roster. Who may print which:
admins every sheet; dispatchers the sheets of their units (a week sheet: the officer's home unit);
officers only their own week sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages
from app.accounts.models import Role, User
from app.core.clock import wall_clock_of_utc
from app.core.errors import ErrorDetail, Forbidden, NotFound, RuleViolation
from app.reference.models import Officer, Post, ShiftType, Unit
from app.reference.settings import zone_of
from app.rosters.models import PublishedDay, Roster, RosterAssignment, RosterShortfall, is_published
from app.rosters.queries import position_name
from solver.domain import PostKind

RA = RosterAssignment
KIND_ORDER = {k.value: i for i, k in enumerate(PostKind)}
WEEKDAYS_ZH = ("一", "二", "三", "四", "五", "六", "日")


@dataclass
class SheetOfficer:
    id: str
    name: str
    phone: str
    leader: bool
    position: str | None
    position_name: str | None


@dataclass
class SheetSlot:
    shift: str
    shift_name: str
    start: str
    end: str
    """HH:MM local, "次日HH:MM" when the duty ends on a later date."""
    officers: list[SheetOfficer] = field(default_factory=list)
    missing: int = 0
    skills_missing: list[str] = field(default_factory=list)

    @property
    def leader(self) -> SheetOfficer | None:
        return next((o for o in self.officers if o.leader), None)


@dataclass
class SheetPost:
    id: str
    name: str
    kind: str
    positions: list[tuple[str, str]]
    slots: list[SheetSlot] = field(default_factory=list)


@dataclass
class DaySheet:
    unit: str
    unit_name: str
    day: date
    roster_id: int
    roster_status: str
    timezone: str
    posts: list[SheetPost]

    @property
    def weekday(self) -> str:
        return WEEKDAYS_ZH[self.day.weekday()]

    @property
    def officer_count(self) -> int:
        return len({o.id for p in self.posts for s in p.slots for o in s.officers})


@dataclass
class WeekDuty:
    date: date
    shift: str
    shift_name: str
    start: str
    end: str
    post: str
    post_name: str
    unit_name: str
    leader: bool
    leader_name: str | None
    leader_phone: str
    position: str | None
    position_name: str | None
    minutes: int

    @property
    def weekday(self) -> str:
        return WEEKDAYS_ZH[self.date.weekday()]


@dataclass
class WeekSheet:
    officer: str
    officer_name: str
    phone: str
    unit_name: str
    start: date
    timezone: str
    duties: list[WeekDuty]

    @property
    def end(self) -> date:
        """The week's last date."""
        return self.start + timedelta(days=6)

    @property
    def minutes(self) -> int:
        return sum(d.minutes for d in self.duties)


def _hm(utc_naive: datetime, zone: ZoneInfo, day: date) -> str:
    local = wall_clock_of_utc(utc_naive, zone)
    return ("次日" if local.date() > day else "") + f"{local:%H:%M}"


# --------------------------------------------------------------------------- the day sheet


def day_sheet(
    session: Session, user: User, unit_id: str, day: date, roster_id: int | None = None
) -> DaySheet:
    """The duty sheet of `unit_id` on `day`: of version `roster_id`, or of the published roster."""
    ensure_manages(user, [unit_id], "print the duty sheet")
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(f"no unit {unit_id!r}")
    roster = _sheet_roster(session, unit_id, day, roster_id)
    zone = zone_of(session)
    rows = session.execute(
        select(RA, Officer.name, Officer.phone)
        .join(Officer, Officer.id == RA.officer_id)
        .join(ShiftType, ShiftType.id == RA.shift_id)
        .where(RA.roster_id == roster.id, RA.unit_id == unit_id, RA.date == day)
    ).all()
    shortfalls = session.scalars(
        select(RosterShortfall).where(
            RosterShortfall.roster_id == roster.id,
            RosterShortfall.unit_id == unit_id,
            RosterShortfall.date == day,
        )
    ).all()
    post_ids = {r[0].post_id for r in rows} | {s.post_id for s in shortfalls}
    posts = {p.id: p for p in session.scalars(select(Post).where(Post.id.in_(sorted(post_ids))))}
    shift_ids = {r[0].shift_id for r in rows} | {s.shift_id for s in shortfalls}
    shifts = {t.id: t for t in session.scalars(select(ShiftType).where(ShiftType.id.in_(sorted(shift_ids))))}
    slots: dict[tuple[str, str], SheetSlot] = {}

    def slot_of(post_id: str, shift_id: str, start: datetime | None, end: datetime | None) -> SheetSlot:
        found = slots.get((post_id, shift_id))
        if found is None:
            shift = shifts[shift_id]
            if start is None or end is None:
                starts = datetime.combine(day, shift.start)
                begin, finish = starts, starts + timedelta(minutes=shift.minutes)
                hm = (f"{begin:%H:%M}", ("次日" if finish.date() > day else "") + f"{finish:%H:%M}")
            else:
                hm = (_hm(start, zone, day), _hm(end, zone, day))
            found = slots[(post_id, shift_id)] = SheetSlot(shift_id, shift.name, *hm)
        elif start is not None and end is not None and not found.officers:
            found.start, found.end = _hm(start, zone, day), _hm(end, zone, day)
        return found

    for ra, name, phone in rows:
        post = posts[ra.post_id]
        slot_of(ra.post_id, ra.shift_id, ra.start_at, ra.end_at).officers.append(
            SheetOfficer(
                ra.officer_id,
                name,
                phone or "",
                ra.leader,
                ra.position,
                position_name(post.positions, ra.position),
            )
        )
    for s in shortfalls:
        target = slot_of(s.post_id, s.shift_id, None, None)
        if s.skill is None:
            target.missing += s.missing
        else:
            target.skills_missing.append(s.skill)
    out: dict[str, SheetPost] = {}
    for (post_id, _shift), slot in slots.items():
        post = posts[post_id]
        sheet_post = out.get(post_id) or SheetPost(
            post.id, post.name, post.kind, [(str(q["id"]), str(q["name"])) for q in post.positions or []]
        )
        out[post_id] = sheet_post
        sheet_post.slots.append(slot)
    order = {q[0]: i for p in out.values() for i, q in enumerate(p.positions)}
    for sheet_post in out.values():
        sheet_post.slots.sort(key=lambda s: (shifts[s.shift].position, s.start))
        for slot in sheet_post.slots:
            slot.officers.sort(key=lambda o: (not o.leader, order.get(o.position or "", 99), o.id))
    listed = sorted(out.values(), key=lambda p: (KIND_ORDER.get(p.kind, 99), -posts[p.id].priority, p.name))
    return DaySheet(unit.id, unit.name, day, roster.id, roster.status, str(zone), listed)


def _sheet_roster(session: Session, unit_id: str, day: date, roster_id: int | None) -> Roster:
    if roster_id is None:
        published = session.get(PublishedDay, (unit_id, day))
        if published is None:
            raise NotFound(f"no roster is published for unit {unit_id!r} on {day.isoformat()}")
        roster_id = published.roster_id
    roster = session.get(Roster, roster_id)
    if roster is None:
        raise NotFound(f"no roster version {roster_id}")
    problems = []
    if unit_id not in roster.unit_ids:
        problems.append(ErrorDetail("query.unit_id", f"not a unit of roster version {roster.id}", unit_id))
    if not roster.start <= day < roster.start + timedelta(days=roster.days):
        problems.append(ErrorDetail("query.day", f"not a day of roster version {roster.id}"))
    if problems:
        raise RuleViolation(
            f"roster version {roster.id} has no sheet for {unit_id!r} on {day.isoformat()}", problems
        )
    return roster


# --------------------------------------------------------------------------- the week sheet


def ensure_reads_week(session: Session, user: User, officer: Officer) -> None:
    """Officers: their own sheet only; dispatchers: the officers of their units; admins: all."""
    if user.officer_id is not None and user.officer_id == officer.id:
        return
    if user.role == Role.OFFICER:
        raise Forbidden("officers may print only their own week sheet")
    ensure_manages(user, [officer.unit_id], "print week sheets")


def week_sheet(session: Session, user: User, officer_id: str, start: date) -> WeekSheet:
    """The officer's published duties of the 7 days from `start`, each with its slot's leader."""
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise NotFound(f"no officer {officer_id!r}")
    ensure_reads_week(session, user, officer)
    zone = zone_of(session)
    end = start + timedelta(days=7)
    rows = session.execute(
        select(RA, Post.name, Post.positions, ShiftType.name, Unit.name)
        .join(PublishedDay, is_published(RA))
        .join(Post, Post.id == RA.post_id)
        .join(ShiftType, ShiftType.id == RA.shift_id)
        .join(Unit, Unit.id == RA.unit_id)
        .where(RA.officer_id == officer_id, RA.date >= start, RA.date < end)
        .order_by(RA.start_at, RA.post_id)
    ).all()
    slots = {(ra.post_id, ra.shift_id, ra.date) for ra, *_ in rows}
    leaders: dict[tuple[str, str, date], tuple[str, str]] = {}
    if slots:
        found = session.execute(
            select(RA.post_id, RA.shift_id, RA.date, Officer.name, Officer.phone)
            .join(PublishedDay, is_published(RA))
            .join(Officer, Officer.id == RA.officer_id)
            .where(
                RA.leader, RA.date >= start, RA.date < end, RA.post_id.in_(sorted({p for p, _, _ in slots}))
            )
        ).all()
        leaders = {(p, s, d): (n, ph or "") for p, s, d, n, ph in found if (p, s, d) in slots}
    duties = []
    for ra, post_name, positions, shift_name, unit_name in rows:
        leader = leaders.get((ra.post_id, ra.shift_id, ra.date))
        duties.append(
            WeekDuty(
                date=ra.date,
                shift=ra.shift_id,
                shift_name=shift_name,
                start=_hm(ra.start_at, zone, ra.date),
                end=_hm(ra.end_at, zone, ra.date),
                post=ra.post_id,
                post_name=post_name,
                unit_name=unit_name,
                leader=ra.leader,
                leader_name=None if leader is None else leader[0],
                leader_phone="" if leader is None else leader[1],
                position=ra.position,
                position_name=position_name(positions, ra.position),
                minutes=ra.minutes,
            )
        )
    home = session.get(Unit, officer.unit_id)
    return WeekSheet(
        officer.id,
        officer.name,
        officer.phone or "",
        home.name if home else officer.unit_id,
        start,
        str(zone),
        duties,
    )
