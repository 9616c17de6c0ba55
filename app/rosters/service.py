"""Roster versions: store a solved roster, publish it (superseding older versions day by day), delete it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages
from app.accounts.models import User
from app.audit import service as audit
from app.core.clock import utcnow
from app.core.errors import Conflict, NotFound, RuleViolation
from app.core.paging import PageParams, fetch_page
from app.levels.owed import on_publish as owed_rest_on_publish
from app.notifications.service import notify_duty_changes
from app.planning.roster_rows import assignment_rows, roles_of, roster_to_domain, shortfall_rows
from app.reference.models import Unit
from app.rosters.models import (
    PublishedDay,
    Roster,
    RosterAssignment,
    RosterShortfall,
    RosterStatus,
    ScenarioSnapshot,
    is_published,
)
from solver import domain as d
from solver.io.load import scenario_from_dict
from solver.io.write import scenario_to_dict
from solver.roles import assign_roles


def new_snapshot(session: Session, scenario: d.Scenario) -> ScenarioSnapshot:
    snapshot = ScenarioSnapshot(created_at=utcnow(), document=scenario_to_dict(scenario))
    session.add(snapshot)
    session.flush()
    return snapshot


def slot_stats(scenario: d.Scenario) -> dict[str, dict[str, list[int]]]:
    units = {p.id: p.unit for p in scenario.posts}
    out: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for slot in scenario.slots():
        cell = out[units[slot.post]].setdefault(slot.date.isoformat(), [0, 0])
        cell[0] += 1
        cell[1] += slot.min
    return dict(out)


def store_roster(
    session: Session,
    scenario: d.Scenario,
    roster: d.Roster,
    *,
    snapshot_id: int,
    unit_ids: list[str],
    created_by: int | None,
) -> Roster:
    """A new draft version holding `roster` (assignments inserted in bulk), each slot with its duty
    leader and positions (`solver.roles`): those published now for the slot's unit and day where
    they still hold, else the roster's own, else named afresh."""
    row = Roster(
        status=RosterStatus.DRAFT,
        start=scenario.start,
        days=scenario.days,
        snapshot_id=snapshot_id,
        solver_status=roster.status,
        objective=roster.objective,
        bound=roster.bound,
        score=None if roster.score is None else roster.score.as_dict(),
        solve_seconds=roster.solve_seconds,
        extra=dict(roster.extra),
        slot_stats=slot_stats(scenario),
        created_by=created_by,
        created_at=utcnow(),
        units=list(session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))),
    )
    session.add(row)
    session.flush()
    keep = {**roster.roles, **published_roles(session, scenario, unit_ids)}
    roles = assign_roles(scenario, roster.assignments, keep)
    rows = assignment_rows(scenario, roster.assignments, row.id, roles)
    if rows:
        session.execute(insert(RosterAssignment), rows)
    shortfalls = shortfall_rows(scenario, roster.shortfalls, row.id)
    if shortfalls:
        session.execute(insert(RosterShortfall), shortfalls)
    session.flush()
    return row


def published_roles(
    session: Session, scenario: d.Scenario, unit_ids: list[str]
) -> dict[d.Assignment, d.DutyRole]:
    """The leaders and positions published for the units' horizon days."""
    stmt = (
        select(RosterAssignment)
        .join(PublishedDay, is_published(RosterAssignment))
        .where(
            RosterAssignment.unit_id.in_(unit_ids),
            RosterAssignment.date >= scenario.start,
            RosterAssignment.date < scenario.end,
            or_(RosterAssignment.leader, RosterAssignment.position.is_not(None)),
        )
    )
    return roles_of(session.scalars(stmt))


def get_roster(session: Session, roster_id: int) -> Roster:
    roster = session.get(Roster, roster_id)
    if roster is None:
        raise NotFound(f"no roster version {roster_id}")
    return roster


def list_rosters(
    session: Session, page: PageParams, status: str | None = None, unit: str | None = None
) -> tuple[list[Roster], int]:
    stmt = select(Roster)
    if status is not None:
        stmt = stmt.where(Roster.status == status)
    if unit is not None:
        stmt = stmt.where(Roster.units.any(Unit.id == unit))
    return fetch_page(session, stmt.order_by(Roster.id.desc()), page)


def assignment_count(session: Session, roster_id: int) -> int:
    return session.scalar(select(func.count()).where(RosterAssignment.roster_id == roster_id)) or 0


def shortfall_count(session: Session, roster_id: int) -> int:
    return session.scalar(select(func.count()).where(RosterShortfall.roster_id == roster_id)) or 0


def publish(
    session: Session,
    roster: Roster,
    user: User | None,
    *,
    check_access: bool = True,
    change_id: int | None = None,
    cause: str | None = None,
) -> Roster:
    """Make `roster` the published version for each of its units and days; older versions give way.

    An approved change (`change_id`) publishes with `check_access` False: it checked the rights.
    Every officer whose duties on the days published before differ in the new version is notified
    (`cause`: the change's kind, else `replan`); days published for the first time notify nobody.
    The owed rest (补休) books follow (app.levels.owed.on_publish)."""
    if user is not None and check_access:
        ensure_manages(user, roster.unit_ids, "publish rosters")
    if roster.status == RosterStatus.PUBLISHED:
        raise Conflict(f"roster version {roster.id} is already published")
    if roster.solver_status == "INFEASIBLE":
        raise RuleViolation(f"roster version {roster.id} is infeasible and cannot be published")
    dates = [roster.start + timedelta(days=i) for i in range(roster.days)]
    cells = session.scalars(
        select(PublishedDay).where(
            PublishedDay.unit_id.in_(roster.unit_ids),
            PublishedDay.date >= dates[0],
            PublishedDay.date <= dates[-1],
        )
    )
    existing = {(c.unit_id, c.date): c for c in cells}
    previous = {c.roster_id for c in existing.values()}
    before = _duties_in_cells(session, {k: c.roster_id for k, c in existing.items()})
    for unit in roster.unit_ids:
        for day in dates:
            cell = existing.get((unit, day))
            if cell is None:
                session.add(PublishedDay(unit_id=unit, date=day, roster_id=roster.id))
            else:
                cell.roster_id = roster.id
    roster.status = RosterStatus.PUBLISHED
    roster.published_at = utcnow()
    roster.published_by = None if user is None else user.id
    session.flush()
    after = _duties_in_cells(session, {k: roster.id for k in existing})
    notify_duty_changes(
        session, before, after, roster_id=roster.id, change_id=change_id, cause=cause or "replan"
    )
    # owed rest: the levels the days meet accrue, their days off grant what is owed
    owed_rest_on_publish(
        session,
        roster.id,
        list(roster.unit_ids),
        dates[0],
        dates[-1] + timedelta(days=1),
        previous - {roster.id},
    )
    superseded = []
    for old_id in sorted(previous - {roster.id}):
        still = session.scalar(select(func.count()).where(PublishedDay.roster_id == old_id)) or 0
        if not still:
            old = session.get(Roster, old_id)
            if old is not None:
                old.status = RosterStatus.SUPERSEDED
                superseded.append(old_id)
    audit.record(
        session,
        "roster.published",
        user,
        roster_id=roster.id,
        change_id=change_id,
        details={
            "start": roster.start.isoformat(),
            "days": roster.days,
            "units": roster.unit_ids,
            "replaces": sorted(previous - {roster.id}),
        },
    )
    for old_id in superseded:
        audit.record(
            session,
            "roster.superseded",
            user,
            roster_id=old_id,
            change_id=change_id,
            details={"by": roster.id},
        )
    session.flush()
    return roster


def _duties_in_cells(session: Session, cells: dict[tuple[str, date], int]) -> list[d.Assignment]:
    """The duties of the given version in each (unit, day) cell."""
    if not cells:
        return []
    rows = session.execute(
        select(
            RosterAssignment.unit_id,
            RosterAssignment.roster_id,
            RosterAssignment.date,
            RosterAssignment.shift_id,
            RosterAssignment.post_id,
            RosterAssignment.officer_id,
        ).where(
            RosterAssignment.roster_id.in_(set(cells.values())),
            RosterAssignment.unit_id.in_({u for u, _ in cells}),
            RosterAssignment.date >= min(day for _, day in cells),
            RosterAssignment.date <= max(day for _, day in cells),
        )
    )
    return [
        d.Assignment(day, shift, post, officer)
        for unit, roster_id, day, shift, post, officer in rows
        if cells.get((unit, day)) == roster_id
    ]


def delete_roster(session: Session, roster: Roster, user: User) -> None:
    ensure_manages(user, roster.unit_ids, "delete rosters")
    if roster.status == RosterStatus.PUBLISHED:
        raise Conflict(f"roster version {roster.id} is published; publish another version over it first")
    audit.record(session, "roster.deleted", user, roster_id=roster.id, details={"status": roster.status})
    session.delete(roster)
    session.flush()


def roster_domain(session: Session, roster: Roster) -> tuple[d.Scenario, d.Roster]:
    """The scenario the roster was made for, and the roster itself, in domain terms."""
    scenario = scenario_from_dict(roster.snapshot.document)
    assignments = session.scalars(select(RosterAssignment).where(RosterAssignment.roster_id == roster.id))
    shortfalls = session.scalars(select(RosterShortfall).where(RosterShortfall.roster_id == roster.id))
    return scenario, roster_to_domain(roster, assignments, shortfalls)


def roster_duties(session: Session, roster_id: int) -> list[d.Assignment]:
    """The duties of a version, sorted."""
    rows = session.execute(
        select(
            RosterAssignment.date,
            RosterAssignment.shift_id,
            RosterAssignment.post_id,
            RosterAssignment.officer_id,
        ).where(RosterAssignment.roster_id == roster_id)
    )
    return sorted(d.Assignment(*row) for row in rows)
