"""The published roster version a change lives in (its `Scope`), and the scenario it is judged in:
that version's horizon and units, with the roster before it as history and the duties published
for the week after it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.planning.scenario import ScenarioScope, scenario_for
from app.rosters.models import PublishedDay, Roster
from app.rosters.queries import published_assignments
from solver import domain as d


@dataclass(frozen=True)
class Scope:
    """Where a change is checked and applied: a published version's horizon and units."""

    start: date
    days: int
    unit_ids: tuple[str, ...]
    roster_id: int
    """The version published for the change's first unit-day when the scope was taken."""

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days)

    def holds(self, unit: str, day: date) -> bool:
        return unit in self.unit_ids and self.start <= day < self.end

    @classmethod
    def of(cls, roster: Roster) -> Scope:
        return cls(roster.start, roster.days, tuple(roster.unit_ids), roster.id)


def published_roster(session: Session, unit: str, day: date) -> Roster | None:
    """The version published for `unit` on `day`."""
    cell = session.get(PublishedDay, (unit, day))
    return None if cell is None else session.get(Roster, cell.roster_id)


def later_scopes(session: Session, unit: str, begin: date) -> Iterator[tuple[Scope, date]]:
    """The published roster versions of the unit, one after another from `begin` on, each with
    its first published day of the unit (each read when the one before it is done with, so a
    caller may publish new versions as it goes)."""
    while True:
        first = session.scalar(
            select(func.min(PublishedDay.date)).where(
                PublishedDay.unit_id == unit, PublishedDay.date >= begin
            )
        )
        if first is None:
            return
        roster = published_roster(session, unit, first)
        assert roster is not None
        scope = Scope.of(roster)
        yield scope, first
        begin = scope.end


def scope_scenario(session: Session, scope: Scope, history_days: int) -> d.Scenario:
    """The scenario of the scope's horizon and units, as a roster job would solve it now."""
    return scenario_for(
        session,
        ScenarioScope(
            start=scope.start, days=scope.days, unit_ids=list(scope.unit_ids), history_days=history_days
        ),
    )


def following_duties(session: Session, scope: Scope, s: d.Scenario) -> list[d.Assignment]:
    """The duties published for the week after the scope, of the scenario's officers: the
    rosters published after this one were planned with it as history (see `BOUNDARY_RULES`)."""
    rows = published_assignments(session, scope.end, scope.end + timedelta(days=7))
    return [
        d.Assignment(a.date, a.shift_id, a.post_id, a.officer_id)
        for a in rows
        if s.has_officer(a.officer_id) and s.has_post(a.post_id)
    ]
