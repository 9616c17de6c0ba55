"""A tour plan: per supervisor and day the ordered visits, and what could not be visited, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from solver.tours.problem import Requirement


class MissReason(StrEnum):
    NO_SUPERVISOR = "no_supervisor"
    """No supervisor is free that day."""
    TOO_FAR = "too_far"
    """Outside every reachable window: no free window that day fits the drive there and back."""
    DROPPED_FOR_TIME = "dropped_for_time"
    """Reachable, but the day's windows were full with more pressing visits."""


@dataclass(frozen=True)
class Visit:
    site: str
    arrival: datetime
    departure: datetime


@dataclass(frozen=True)
class Route:
    """One tour: leave the depot at `start`, visit in order, be back at `end` (local times).

    An interrupted route (the supervisor was called away at `end`) keeps the visits finished by
    then and does not return to the depot; its driving counts the legs to those visits only."""

    supervisor: str
    date: date
    depot: str
    start: datetime
    end: datetime
    visits: tuple[Visit, ...]
    drive_minutes: int
    km: float
    interrupted: bool = False


@dataclass(frozen=True)
class NotVisited:
    """A site that could have been (or had to be) visited on `date` and was not."""

    site: str
    date: date
    reason: MissReason
    due: bool
    """Whether a visit was due that day (deadline or overdue), not merely allowed."""


@dataclass(frozen=True)
class MissedVisit:
    """A requirement no visit meets; `reason` is why the site was not visited on `date` (the last
    day of the requirement's window the planner considered it)."""

    requirement: Requirement
    date: date
    reason: MissReason


@dataclass(frozen=True)
class Interruption:
    """`supervisor` was called away at `at` (local); the rest of that day was re-planned."""

    supervisor: str
    at: datetime


@dataclass(frozen=True)
class TourPlan:
    routes: tuple[Route, ...]
    missed: tuple[MissedVisit, ...]
    not_visited: tuple[NotVisited, ...] = ()
    method: str = "routing"
    solve_seconds: float | None = None
    interruptions: tuple[Interruption, ...] = ()

    @property
    def drive_minutes(self) -> int:
        return sum(r.drive_minutes for r in self.routes)

    @property
    def km(self) -> float:
        return sum(r.km for r in self.routes)

    @property
    def visits(self) -> int:
        return sum(len(r.visits) for r in self.routes)

    def routes_of(self, supervisor: str, day: date | None = None) -> tuple[Route, ...]:
        return tuple(r for r in self.routes if r.supervisor == supervisor and (day is None or r.date == day))

    def visits_on(self, day: date) -> tuple[Visit, ...]:
        return tuple(v for r in self.routes if r.date == day for v in r.visits)
