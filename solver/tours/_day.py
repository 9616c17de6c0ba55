"""What the routing solver and the baseline share: the day's clock, vehicles, candidate visits,
reachability, the earliest schedule of an ordered route, and the unmet requirements of a plan."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from solver.timeline import to_instant
from solver.tours.plan import MissedVisit, MissReason, NotVisited, Route, Visit
from solver.tours.problem import Depot, FreeWindow, Site, TourProblem
from solver.tours.settings import TourSettings


class Clock:
    """Local times of one date as minutes from its local midnight (real minutes, so DST-safe)."""

    def __init__(self, timezone: str, day: date) -> None:
        self.zone = ZoneInfo(timezone)
        self.ref = to_instant(datetime.combine(day, time(0, 0)), self.zone)

    def minutes(self, local: datetime) -> float:
        return (to_instant(local, self.zone) - self.ref).total_seconds() / 60

    def up(self, local: datetime) -> int:
        """Whole minutes, rounded up (the earliest minute at or after `local`)."""
        return -int(-self.minutes(local) // 1)

    def down(self, local: datetime) -> int:
        return int(self.minutes(local) // 1)

    def local(self, minutes: int) -> datetime:
        return (
            (self.ref + timedelta(minutes=minutes)).astimezone(UTC).astimezone(self.zone).replace(tzinfo=None)
        )


@dataclass(frozen=True)
class Vehicle:
    """One tour to plan: a supervisor's free window, or what is left of it after a call-away.

    It is at `origin` from minute `ready` on and must be back at `depot` by minute `end`.
    `prefix`: visits already made on this route (re-planning), which the new visits follow."""

    supervisor: str
    window: FreeWindow
    depot: Depot
    origin: Site | Depot
    ready: int
    end: int
    route_start: datetime
    prefix: tuple[Visit, ...] = ()
    prefix_drive: int = 0
    prefix_km: float = 0.0


@dataclass(frozen=True)
class Candidate:
    site: Site
    due: bool
    penalty: int
    service: int


def window_vehicles(problem: TourProblem, day: date, clock: Clock) -> list[Vehicle]:
    """A vehicle per free window of `day`, from the depot at the window's start."""
    out = []
    for w in problem.windows_on(day):
        depot = problem.depot_of(w.supervisor)
        ready, end = clock.up(w.start), clock.down(w.end)
        if ready < end:
            out.append(Vehicle(w.supervisor, w, depot, depot, ready, end, clock.local(ready)))
    return out


class Book:
    """Which requirements the visits so far meet; the day's candidate visits and their penalties."""

    def __init__(self, problem: TourProblem, visits: Iterable[tuple[str, date]] = ()) -> None:
        self.problem = problem
        self.visited: dict[str, set[date]] = defaultdict(set)
        self.by_site = defaultdict(list)
        for r in problem.requirements:
            self.by_site[r.site].append(r)
        for site, day in visits:
            self.add(site, day)

    def add(self, site: str, day: date) -> None:
        self.visited[site].add(day)

    def candidates(self, day: date, settings: TourSettings) -> list[Candidate]:
        """Sites with a requirement open on `day`: due (deadline today, or overdue) or optional."""
        out = []
        for site in self.problem.sites:
            seen = self.visited[site.id]
            unmet = [r for r in self.by_site[site.id] if not any(r.covers(d) for d in seen)]
            open_now = [r for r in unmet if r.covers(day)]
            if not open_now:
                continue
            overdue = max(
                (
                    (day - r.deadline).days
                    for r in unmet
                    if r.deadline < day and not any(r.deadline < d < day for d in seen)
                ),
                default=0,
            )
            due = overdue > 0 or any(r.deadline == day for r in open_now)
            weight = 100 + max(0, site.priority)
            if due:
                penalty = settings.due_penalty * weight * (1 + overdue) // 100
            else:
                penalty = settings.optional_penalty * weight // 100
            out.append(Candidate(site, due, penalty, self.problem.service_minutes(site.id)))
        return out


def fits(problem: TourProblem, vehicle: Vehicle, candidate: Candidate) -> bool:
    """Whether the vehicle could go from where it is to the site, inspect it and get back in time."""
    travel = problem.travel
    need = travel.minutes(vehicle.origin, candidate.site) + candidate.service
    need += travel.minutes(candidate.site, vehicle.depot)
    return vehicle.ready + need <= vehicle.end


def split_reachable(
    problem: TourProblem, day: date, vehicles: Sequence[Vehicle], candidates: Sequence[Candidate]
) -> tuple[list[Candidate], list[NotVisited]]:
    """The candidates some vehicle can reach, and the others with their reason."""
    reachable, lost = [], []
    for c in candidates:
        if not vehicles:
            lost.append(NotVisited(c.site.id, day, MissReason.NO_SUPERVISOR, c.due))
        elif any(fits(problem, v, c) for v in vehicles):
            reachable.append(c)
        else:
            lost.append(NotVisited(c.site.id, day, MissReason.TOO_FAR, c.due))
    return reachable, lost


def schedule(problem: TourProblem, vehicle: Vehicle, clock: Clock, sites: Sequence[str]) -> Route | None:
    """The route of `vehicle` through `sites` in order, each stop as early as possible; None when
    there is nothing to report (no visit at all)."""
    if not sites and not vehicle.prefix:
        return None
    travel = problem.travel
    at, now = vehicle.origin, vehicle.ready
    drive, km = vehicle.prefix_drive, vehicle.prefix_km
    visits = list(vehicle.prefix)
    for site_id in sites:
        site = problem.site(site_id)
        leg = travel.minutes(at, site)
        drive, km, now = drive + leg, km + travel.km(at, site), now + leg
        arrival = now
        now += problem.service_minutes(site_id)
        visits.append(Visit(site_id, clock.local(arrival), clock.local(now)))
        at = site
    leg = travel.minutes(at, vehicle.depot)
    drive, km, now = drive + leg, km + travel.km(at, vehicle.depot), now + leg
    return Route(
        supervisor=vehicle.supervisor,
        date=vehicle.window.date,
        depot=vehicle.depot.id,
        start=vehicle.route_start,
        end=clock.local(now),
        visits=tuple(visits),
        drive_minutes=drive,
        km=round(km, 3),
    )


def missed_requirements(
    problem: TourProblem, routes: Iterable[Route], not_visited: Iterable[NotVisited]
) -> tuple[MissedVisit, ...]:
    """Every requirement no visit meets, with the reason of the last day it was considered."""
    visited = {(v.site, r.date) for r in routes for v in r.visits}
    reasons = {(n.site, n.date): n.reason for n in not_visited}
    out = []
    for req in problem.requirements:
        days = [d for d in problem.dates if req.covers(d)]
        if any((req.site, d) in visited for d in days):
            continue
        considered = [d for d in days if (req.site, d) in reasons]
        if considered:
            out.append(MissedVisit(req, considered[-1], reasons[(req.site, considered[-1])]))
        else:
            out.append(MissedVisit(req, req.deadline, MissReason.DROPPED_FOR_TIME))
    return tuple(out)
