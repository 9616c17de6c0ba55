"""The nearest-neighbour baseline, for comparison with the routing solver.

Day by day, the supervisor whose tour is earliest in its day drives to the nearest site that is
due and fits (there, inspect, and back to the depot before the window closes); when no due site
fits, the nearest allowed one; when none fits at all, the tour goes home.
"""

from __future__ import annotations

import time as _time

from solver.tours._day import (
    Book,
    Candidate,
    Clock,
    Vehicle,
    missed_requirements,
    schedule,
    split_reachable,
    window_vehicles,
)
from solver.tours.plan import MissReason, NotVisited, Route, TourPlan
from solver.tours.problem import Depot, Site, TourProblem
from solver.tours.settings import TourSettings


def nearest_neighbour(problem: TourProblem, settings: TourSettings | None = None) -> TourPlan:
    settings = settings or TourSettings()
    started = _time.monotonic()
    book = Book(problem)
    routes: list[Route] = []
    lost: list[NotVisited] = []
    for day in problem.dates:
        clock = Clock(problem.timezone, day)
        vehicles = window_vehicles(problem, day, clock)
        reachable, day_lost = split_reachable(problem, day, vehicles, book.candidates(day, settings))
        orders = _greedy(problem, vehicles, reachable)
        visited = {s for order in orders for s in order}
        for vehicle, order in zip(vehicles, orders, strict=True):
            route = schedule(problem, vehicle, clock, order)
            if route is not None:
                routes.append(route)
        for site in visited:
            book.add(site, day)
        day_lost += [
            NotVisited(c.site.id, day, MissReason.DROPPED_FOR_TIME, c.due)
            for c in reachable
            if c.site.id not in visited
        ]
        lost += day_lost
    return TourPlan(
        routes=tuple(routes),
        missed=missed_requirements(problem, routes, lost),
        not_visited=tuple(lost),
        method="nearest_neighbour",
        solve_seconds=round(_time.monotonic() - started, 3),
    )


def _greedy(problem: TourProblem, vehicles: list[Vehicle], candidates: list[Candidate]) -> list[list[str]]:
    travel = problem.travel
    left = list(candidates)
    orders: list[list[str]] = [[] for _ in vehicles]
    where: list[Site | Depot] = [v.origin for v in vehicles]
    now = [v.ready for v in vehicles]
    active = set(range(len(vehicles)))
    while active and left:
        k = min(active, key=lambda i: (now[i], i))
        v = vehicles[k]

        def fits(c: Candidate, k: int = k, v: Vehicle = v) -> bool:
            need = travel.minutes(where[k], c.site) + c.service + travel.minutes(c.site, v.depot)
            return now[k] + need <= v.end

        fitting = [c for c in left if fits(c)]
        pool = [c for c in fitting if c.due] or fitting
        if not pool:
            active.discard(k)
            continue
        best = min(pool, key=lambda c: (travel.minutes(where[k], c.site), -c.site.priority, c.site.id))
        now[k] += travel.minutes(where[k], best.site) + best.service
        where[k] = best.site
        orders[k].append(best.site.id)
        left.remove(best)
    return orders
