"""Plan the supervisors' inspection tours with the OR-Tools routing solver, day by day.

Each day is one vehicle-routing problem with time windows: a vehicle per free window of a
supervisor (start and end at their depot, the window as the vehicle's time range), a node per
site with an open requirement that some vehicle can reach, each node optional through a
disjunction whose penalty is high for a due visit (scaled by priority and by how overdue it is) and
small for one that is allowed but not yet due. The arc cost is driving minutes; the time dimension
adds the minutes on site. The visits of one day decide which sites are due on the next.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

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
from solver.tours.plan import Interruption, MissReason, NotVisited, Route, TourPlan, Visit
from solver.tours.problem import Depot, Site, TourProblem
from solver.tours.settings import TourSettings


def solve_tours(
    problem: TourProblem,
    settings: TourSettings | None = None,
    on_day: Callable[[date, int], None] | None = None,
) -> TourPlan:
    """The tour plan of `problem`, one routing model per day in date order. `on_day(day, n)` is
    told after each day is planned, `n` the number of days planned so far (progress)."""
    settings = settings or TourSettings()
    started = _time.monotonic()
    book = Book(problem)
    routes: list[Route] = []
    lost: list[NotVisited] = []
    for day in problem.dates:
        clock = Clock(problem.timezone, day)
        day_routes, day_lost = route_day(
            problem,
            settings,
            day,
            clock,
            window_vehicles(problem, day, clock),
            book.candidates(day, settings),
        )
        for r in day_routes:
            for v in r.visits:
                book.add(v.site, day)
        routes += day_routes
        lost += day_lost
        if on_day is not None:
            on_day(day, problem.dates.index(day) + 1)
    return TourPlan(
        routes=tuple(routes),
        missed=missed_requirements(problem, routes, lost),
        not_visited=tuple(lost),
        method="routing",
        solve_seconds=round(_time.monotonic() - started, 3),
    )


def route_day(
    problem: TourProblem,
    settings: TourSettings,
    day: date,
    clock: Clock,
    vehicles: Sequence[Vehicle],
    candidates: Sequence[Candidate],
) -> tuple[list[Route], list[NotVisited]]:
    """One day's routing model: the routes of `vehicles` (those with a visit, or with a prefix)
    and the candidates not visited, with their reasons."""
    reachable, lost = split_reachable(problem, day, vehicles, candidates)
    orders = _solve_model(problem, settings, vehicles, reachable) if reachable else [[] for _ in vehicles]
    routes = []
    visited = set()
    for vehicle, order in zip(vehicles, orders, strict=True):
        route = schedule(problem, vehicle, clock, order)
        if route is not None:
            routes.append(route)
            visited.update(order)
    lost += [
        NotVisited(c.site.id, day, MissReason.DROPPED_FOR_TIME, c.due)
        for c in reachable
        if c.site.id not in visited
    ]
    return routes, lost


def _solve_model(
    problem: TourProblem, settings: TourSettings, vehicles: Sequence[Vehicle], candidates: Sequence[Candidate]
) -> list[list[str]]:
    """Per vehicle, the site ids it visits in order."""
    # Nodes: one per depot, one per vehicle that starts away from its depot, one per candidate.
    points: list[Site | Depot] = []
    service: list[int] = []
    depot_node: dict[str, int] = {}
    for v in vehicles:
        if v.depot.id not in depot_node:
            depot_node[v.depot.id] = len(points)
            points.append(v.depot)
            service.append(0)
    starts, ends = [], []
    for v in vehicles:
        ends.append(depot_node[v.depot.id])
        if v.origin.id == v.depot.id:
            starts.append(depot_node[v.depot.id])
        else:
            starts.append(len(points))
            points.append(v.origin)
            service.append(0)  # the visit there is part of the prefix, already timed
    first_site = len(points)
    for c in candidates:
        points.append(c.site)
        service.append(c.service)

    travel = problem.travel
    drive = [[travel.minutes(a, b) for b in points] for a in points]
    transit = [[service[i] + drive[i][j] for j in range(len(points))] for i in range(len(points))]

    manager = pywrapcp.RoutingIndexManager(len(points), len(vehicles), starts, ends)
    routing = pywrapcp.RoutingModel(manager)

    def drive_cb(i: int, j: int) -> int:
        return drive[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def time_cb(i: int, j: int) -> int:
        return transit[manager.IndexToNode(i)][manager.IndexToNode(j)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(drive_cb))
    horizon = max(v.end for v in vehicles) + 1
    routing.AddDimension(routing.RegisterTransitCallback(time_cb), horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for k, v in enumerate(vehicles):
        time_dim.CumulVar(routing.Start(k)).SetRange(v.ready, v.end)
        time_dim.CumulVar(routing.End(k)).SetRange(v.ready, v.end)
    for n, c in enumerate(candidates, start=first_site):
        routing.AddDisjunction([manager.NodeToIndex(n)], c.penalty)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, settings.first_solution)
    params.local_search_metaheuristic = getattr(
        routing_enums_pb2.LocalSearchMetaheuristic, settings.metaheuristic
    )
    params.time_limit.FromMilliseconds(max(1, round(settings.time_limit_per_day * 1000)))
    if settings.solution_limit is not None:
        params.solution_limit = settings.solution_limit
    solution = routing.SolveWithParameters(params)

    orders: list[list[str]] = [[] for _ in vehicles]
    if solution is None:
        return orders
    for k in range(len(vehicles)):
        index = solution.Value(routing.NextVar(routing.Start(k)))
        while not routing.IsEnd(index):
            orders[k].append(candidates[manager.IndexToNode(index) - first_site].site.id)
            index = solution.Value(routing.NextVar(index))
    return orders


# --------------------------------------------------------------------------- re-planning


def replan_day(
    problem: TourProblem,
    plan: TourPlan,
    supervisor_id: str,
    at: datetime,
    settings: TourSettings | None = None,
) -> TourPlan:
    """`supervisor_id` is called away at `at` (local): re-plan the rest of that day.

    Kept as facts: every route of other days; the called-away supervisor's visits finished by
    `at` (the route ends there, interrupted); the other supervisors' routes already finished or
    on their way back to the depot, and of those under way the visits they have set out for (the
    one in progress, or the one they are driving to). From there (or from their depot, for windows
    not yet begun and after a route back home) the other supervisors take the rest of the day in
    one routing model, with every site whose requirement the kept visits no longer meet.
    """
    settings = settings or TourSettings()
    if not problem.has_supervisor(supervisor_id):
        raise ValueError(f"unknown supervisor {supervisor_id!r}")
    day = next(
        (w.date for w in problem.windows if w.supervisor == supervisor_id and w.start <= at < w.end),
        at.date(),
    )
    if day not in problem.dates:
        raise ValueError(f"{at} is outside the planned dates")
    started = _time.monotonic()
    clock = Clock(problem.timezone, day)
    t = clock.minutes(at)
    away = {i.supervisor for i in plan.interruptions if clock.minutes(i.at) <= t and _on(problem, i, day)}
    away.add(supervisor_id)

    kept: list[Route] = [r for r in plan.routes if r.date != day]
    vehicles: list[Vehicle] = []
    for r in plan.routes:
        if r.date != day:
            continue
        if r.supervisor == supervisor_id:
            if clock.minutes(r.end) <= t:
                kept.append(r)
            elif clock.minutes(r.start) < t:
                cut = _interrupted(problem, r, [v for v in r.visits if clock.minutes(v.departure) <= t], at)
                if cut is not None:
                    kept.append(cut)
        elif r.supervisor in away or clock.minutes(r.end) <= t:
            kept.append(r)  # finished, or its supervisor was called away before
    for w in problem.windows_on(day):
        if w.supervisor in away or clock.minutes(w.end) <= t:
            continue
        mine = [
            r
            for r in plan.routes
            if r.date == day and r.supervisor == w.supervisor and w.start <= r.start < w.end
        ]
        begun = [r for r in mine if clock.minutes(r.start) < t]
        last = max(begun, key=lambda r: r.start) if begun else None
        depot = problem.depot_of(w.supervisor)
        committed = _committed(last, clock, t) if last is not None else []
        homeward = (
            last is not None
            and clock.minutes(last.end) > t
            and len(committed) == len(last.visits)
            and (not committed or clock.minutes(committed[-1].departure) < t)
        )
        if last is not None and homeward:
            kept.append(last)  # on the way back to the depot: the route stands, more may follow
        if last is None or clock.minutes(last.end) <= t or homeward:
            ready = max(clock.up(w.start), clock.up(at), clock.up(last.end) if last else 0)
            if ready < clock.down(w.end):
                vehicles.append(
                    Vehicle(w.supervisor, w, depot, depot, ready, clock.down(w.end), clock.local(ready))
                )
            continue
        assert last is not None and committed  # under way to a visit
        origin = problem.site(committed[-1].site)
        drive, km = _legs(problem, last.depot, committed)
        vehicles.append(
            Vehicle(
                w.supervisor,
                w,
                depot,
                origin,
                clock.up(committed[-1].departure),
                clock.down(w.end),
                last.start,
                tuple(committed),
                drive,
                km,
            )
        )

    book = Book(problem, [(v.site, r.date) for r in kept for v in r.visits])
    new_routes, lost = route_day(problem, settings, day, clock, vehicles, book.candidates(day, settings))
    routes = sorted([*kept, *new_routes], key=lambda r: (r.date, r.start, r.supervisor))
    not_visited = [n for n in plan.not_visited if n.date != day] + lost
    return TourPlan(
        routes=tuple(routes),
        missed=missed_requirements(problem, routes, not_visited),
        not_visited=tuple(sorted(not_visited, key=lambda n: (n.date, n.site))),
        method=plan.method,
        solve_seconds=round(_time.monotonic() - started, 3),
        interruptions=(*plan.interruptions, Interruption(supervisor_id, at)),
    )


def _on(problem: TourProblem, interruption: Interruption, day: date) -> bool:
    return (
        any(
            w.supervisor == interruption.supervisor and w.date == day and w.start <= interruption.at < w.end
            for w in problem.windows
        )
        or interruption.at.date() == day
    )


def _committed(route: Route, clock: Clock, t: float) -> list[Visit]:
    """The visits of `route` its supervisor has set out for by minute `t`."""
    out = []
    leave = clock.minutes(route.start)
    for v in route.visits:
        if leave >= t:
            break
        out.append(v)
        leave = clock.minutes(v.departure)
    return out


def _legs(problem: TourProblem, depot_id: str, visits: Sequence[Visit]) -> tuple[int, float]:
    travel = problem.travel
    at: Site | Depot = problem.depot(depot_id)
    drive, km = 0, 0.0
    for v in visits:
        site = problem.site(v.site)
        drive += travel.minutes(at, site)
        km += travel.km(at, site)
        at = site
    return drive, round(km, 3)


def _interrupted(problem: TourProblem, route: Route, done: list[Visit], at: datetime) -> Route | None:
    if not done:
        return None
    drive, km = _legs(problem, route.depot, done)
    return replace(route, end=at, visits=tuple(done), drive_minutes=drive, km=km, interrupted=True)
