"""The referee of tour plans: checks a plan against its problem as `roster check` checks a roster.

It recomputes everything from the problem (travel model, visit minutes, free windows,
requirements) and trusts nothing the plan says about itself except its times and its orders.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from solver.timeline import to_instant
from solver.tours.plan import MissReason, Route, TourPlan
from solver.tours.problem import Depot, FreeWindow, Requirement, Site, TourProblem

RULES: Mapping[str, str] = MappingProxyType(
    {
        "unknown": "routes name known supervisors, depots, sites and planned dates",
        "depot": "each route starts and ends at its supervisor's depot",
        "window": "each route lies within one free window of its supervisor on its date",
        "visit_duration": "each visit lasts at least the visit minutes of its site's kind",
        "travel": "the time between consecutive stops is at least the driving time",
        "overlap": "a supervisor's routes do not overlap",
        "metrics": "each route's driving minutes and km are those of the travel model",
        "interrupted": "a called-away supervisor tours no more that day; an interrupted route ends then",
        "unmet": "each requirement is met by a visit in its window or listed as missed",
        "missed_met": "a requirement listed as missed is a requirement of the problem that no visit meets",
        "reason": "the reason given for a missed requirement holds on its date",
    }
)
EPS = 1e-6


@dataclass(frozen=True)
class Violation:
    rule: str
    supervisor: str | None
    site: str | None
    date: date | None
    message: str


@dataclass(frozen=True)
class TourMetrics:
    routes: int
    visits: int
    drive_minutes: int
    km: float
    required: int
    met: int
    missed_by_reason: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def share_met(self) -> float:
        """Share of required visits met (1.0 when nothing is required)."""
        return self.met / self.required if self.required else 1.0


@dataclass(frozen=True)
class TourCheck:
    violations: tuple[Violation, ...]
    metrics: TourMetrics

    @property
    def ok(self) -> bool:
        return not self.violations

    def rules(self) -> set[str]:
        return {v.rule for v in self.violations}


def check_plan(problem: TourProblem, plan: TourPlan) -> TourCheck:
    referee = _Referee(problem, plan)
    referee.run()
    return TourCheck(tuple(referee.violations), referee.metrics())


class _Referee:
    def __init__(self, problem: TourProblem, plan: TourPlan) -> None:
        self.problem = problem
        self.plan = plan
        self.zone = ZoneInfo(problem.timezone)
        self.violations: list[Violation] = []
        self.windows: dict[tuple[str, date], list[FreeWindow]] = defaultdict(list)
        for w in problem.windows:
            self.windows[(w.supervisor, w.date)].append(w)
        self.interrupted_days = {_day_of(problem, i.supervisor, i.at) for i in plan.interruptions}
        self.met: set[Requirement] = set()

    def add(
        self,
        rule: str,
        message: str,
        supervisor: str | None = None,
        site: str | None = None,
        day: date | None = None,
    ) -> None:
        self.violations.append(Violation(rule, supervisor, site, day, message))

    def minutes(self, a: datetime, b: datetime) -> float:
        """Real minutes from `a` to `b` (local times)."""
        return (to_instant(b, self.zone) - to_instant(a, self.zone)).total_seconds() / 60

    def run(self) -> None:
        for route in self.plan.routes:
            self.route(route)
        self.overlaps()
        self.interruptions()
        self.requirements()

    # ------------------------------------------------------------------ routes

    def route(self, r: Route) -> None:
        p = self.problem
        sup, day = r.supervisor, r.date
        bad = []
        if not p.has_supervisor(sup):
            bad.append(f"unknown supervisor {sup!r}")
        if day not in p.dates:
            bad.append(f"date {day} is not planned")
        bad += [f"unknown site {v.site!r}" for v in r.visits if not p.has_site(v.site)]
        if r.depot not in {d.id for d in p.depots}:
            bad.append(f"unknown depot {r.depot!r}")
        if bad:
            for message in bad:
                self.add("unknown", message, sup, None, day)
            return
        if r.depot != p.supervisor(sup).depot:
            self.add(
                "depot", f"route from depot {r.depot!r}, not {p.supervisor(sup).depot!r}", sup, None, day
            )
        if not any(
            self.minutes(w.start, r.start) >= -EPS and self.minutes(r.end, w.end) >= -EPS
            for w in self.windows[(sup, day)]
        ):
            self.add(
                "window", f"route {r.start:%H:%M}–{r.end:%H:%M} is outside every free window", sup, None, day
            )

        travel = p.travel
        depot = p.depot_of(sup)
        at: Site | Depot = depot
        leave = r.start
        drive, km = 0, 0.0
        for v in r.visits:
            site = p.site(v.site)
            need = travel.minutes(at, site)
            if self.minutes(leave, v.arrival) < need - EPS:
                self.add(
                    "travel",
                    f"{at.id} → {site.id}: {self.minutes(leave, v.arrival):.0f} min, the drive takes {need}",
                    sup,
                    site.id,
                    day,
                )
            service = p.service_minutes(site.id)
            if self.minutes(v.arrival, v.departure) < service - EPS:
                self.add(
                    "visit_duration",
                    f"visit of {self.minutes(v.arrival, v.departure):.0f} min at "
                    f"{site.id}, at least {service} needed",
                    sup,
                    site.id,
                    day,
                )
            drive += need
            km += travel.km(at, site)
            at, leave = site, v.departure
        if r.interrupted:
            if self.minutes(leave, r.end) < -EPS:
                self.add(
                    "interrupted",
                    f"called away at {r.end:%H:%M}, before the last visit ended",
                    sup,
                    None,
                    day,
                )
        else:
            need = travel.minutes(at, depot)
            if self.minutes(leave, r.end) < need - EPS:
                self.add(
                    "travel",
                    f"{at.id} → depot: {self.minutes(leave, r.end):.0f} min, the drive takes {need}",
                    sup,
                    None,
                    day,
                )
            drive += need
            km += travel.km(at, depot)
        if r.drive_minutes != drive or abs(r.km - km) > 0.01:
            self.add(
                "metrics",
                f"route reports {r.drive_minutes} min / {r.km:.2f} km, the travel model gives "
                f"{drive} min / {km:.2f} km",
                sup,
                None,
                day,
            )

    def overlaps(self) -> None:
        by_sup: dict[str, list[Route]] = defaultdict(list)
        for r in self.plan.routes:
            by_sup[r.supervisor].append(r)
        for sup, routes in by_sup.items():
            routes.sort(key=lambda r: to_instant(r.start, self.zone))
            for a, b in itertools.pairwise(routes):
                if self.minutes(a.end, b.start) < -EPS:
                    self.add(
                        "overlap",
                        f"route {a.start:%m-%d %H:%M}–{a.end:%H:%M} overlaps "
                        f"{b.start:%m-%d %H:%M}–{b.end:%H:%M}",
                        sup,
                        None,
                        b.date,
                    )

    def interruptions(self) -> None:
        for r in self.plan.routes:
            if r.interrupted and not any(
                i.supervisor == r.supervisor and i.at == r.end for i in self.plan.interruptions
            ):
                self.add(
                    "interrupted",
                    f"route marked interrupted at {r.end}, no such call-away",
                    r.supervisor,
                    None,
                    r.date,
                )
        for i in self.plan.interruptions:
            day = _day_of(self.problem, i.supervisor, i.at)
            for r in self.plan.routes:
                if r.supervisor != i.supervisor or r.date != day:
                    continue
                late = [v for v in r.visits if self.minutes(i.at, v.departure) > EPS]
                if late or self.minutes(i.at, r.end) > EPS:
                    self.add(
                        "interrupted",
                        f"tours after being called away at {i.at:%H:%M}",
                        r.supervisor,
                        late[0].site if late else None,
                        r.date,
                    )

    # ------------------------------------------------------------------ requirements

    def requirements(self) -> None:
        p = self.problem
        visited = {(v.site, r.date) for r in self.plan.routes for v in r.visits}
        dates = set(p.dates)
        for req in p.requirements:
            if any((req.site, d) in visited for d in dates if req.covers(d)):
                self.met.add(req)
        listed = Counter(m.requirement for m in self.plan.missed)
        known = set(p.requirements)
        for m in self.plan.missed:
            req = m.requirement
            if req not in known:
                self.add(
                    "missed_met",
                    f"missed requirement {req.first}..{req.deadline} is not the problem's",
                    None,
                    req.site,
                    m.date,
                )
            elif req in self.met:
                self.add(
                    "missed_met",
                    f"requirement {req.first}..{req.deadline} is listed as missed but met",
                    None,
                    req.site,
                    m.date,
                )
            elif not req.covers(m.date):
                self.add(
                    "reason",
                    f"reason dated {m.date}, outside the window {req.first}..{req.deadline}",
                    None,
                    req.site,
                    m.date,
                )
            else:
                self.reason(req.site, m.date, MissReason(m.reason))
        for req in p.requirements:
            if req not in self.met and not listed[req]:
                self.add(
                    "unmet",
                    f"{req.kind} visit due {req.first}..{req.deadline} is neither made nor listed as missed",
                    None,
                    req.site,
                    req.deadline,
                )

    def reason(self, site_id: str, day: date, reason: MissReason) -> None:
        """Check what can be checked: on a day without call-aways, whether any supervisor was free
        and whether any free window fits the round trip to the site."""
        if day in self.interrupted_days:
            return
        p = self.problem
        windows = [w for w in p.windows if w.date == day]
        site = p.site(site_id)
        service = p.service_minutes(site_id)

        def fits(w: FreeWindow) -> bool:
            depot = p.depot_of(w.supervisor)
            need = p.travel.minutes(depot, site) + service + p.travel.minutes(site, depot)
            return need <= self.minutes(w.start, w.end) + EPS

        if reason == MissReason.NO_SUPERVISOR:
            ok = not windows
        elif reason == MissReason.TOO_FAR:
            ok = bool(windows) and not any(fits(w) for w in windows)
        else:
            ok = any(fits(w) for w in windows)
        if not ok:
            self.add("reason", f"reason {reason.value!r} does not hold on {day}", None, site_id, day)

    # ------------------------------------------------------------------ metrics

    def metrics(self) -> TourMetrics:
        reasons = Counter(m.reason.value for m in self.plan.missed)
        return TourMetrics(
            routes=len(self.plan.routes),
            visits=self.plan.visits,
            drive_minutes=self.plan.drive_minutes,
            km=round(self.plan.km, 1),
            required=len(self.problem.requirements),
            met=len(self.met),
            missed_by_reason=MappingProxyType(dict(sorted(reasons.items()))),
        )


def _day_of(problem: TourProblem, supervisor: str, at: datetime) -> date:
    """The planned date a call-away at `at` belongs to (the window containing it, else its date)."""
    return next(
        (w.date for w in problem.windows if w.supervisor == supervisor and w.start <= at < w.end), at.date()
    )
