"""Small hand-made tour problems with exact travel times (an imported minutes matrix)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from solver.domain import PostKind
from solver.tours import (
    Depot,
    FreeWindow,
    Location,
    Requirement,
    Site,
    Supervisor,
    TourProblem,
    TourSettings,
    TravelModel,
)

MON = date(2021, 11, 8)
ZONE = "Asia/Shanghai"
FAST = TourSettings(time_limit_per_day=0.3)
"""Short searches: the test instances are tiny."""


def day(n: int) -> date:
    return MON + timedelta(days=n)


def at(n: int, hhmm: str) -> datetime:
    h, m = hhmm.split(":")
    return datetime.combine(day(n), datetime.min.time()).replace(hour=int(h), minute=int(m))


def site(sid: str, priority: int = 50, lat: float = 38.9, lon: float = 100.4) -> Site:
    return Site(sid, f"site {sid}", PostKind.CHECKPOINT, Location(lat, lon), priority)


def matrix(points: Mapping[str, float]) -> dict[str, dict[str, float]]:
    """Minutes between points on a line: |x_a - x_b| (positions in minutes)."""
    return {a: {b: abs(xa - xb) for b, xb in points.items()} for a, xa in points.items()}


def problem(
    positions: Mapping[str, float],
    *,
    supervisors: Sequence[str] = ("s1",),
    windows: Sequence[FreeWindow] | None = None,
    requirements: Sequence[Requirement] | None = None,
    days: int = 1,
    priorities: Mapping[str, int] | None = None,
    visit_minutes: int = 20,
) -> TourProblem:
    """Sites on a line at `positions` (minutes from the depot `hq` at 0); by default one window
    08:00–20:00 per supervisor and day and one same-day requirement per site and day."""
    sites = tuple(site(s, (priorities or {}).get(s, 50)) for s in positions)
    if windows is None:
        windows = [
            FreeWindow(s, day(n), at(n, "08:00"), at(n, "20:00")) for s in supervisors for n in range(days)
        ]
    if requirements is None:
        requirements = [Requirement(s.id, day(n), day(n)) for s in sites for n in range(days)]
    return TourProblem(
        timezone=ZONE,
        dates=tuple(day(n) for n in range(days)),
        sites=sites,
        depots=(Depot("hq", "HQ", Location(38.93, 100.45)),),
        supervisors=tuple(Supervisor(s, f"supervisor {s}", "hq") for s in supervisors),
        windows=tuple(windows),
        requirements=tuple(requirements),
        travel=TravelModel(
            minutes_matrix=matrix({"hq": 0, **positions}), km_matrix=matrix({"hq": 0, **positions})
        ),
        visit_minutes={PostKind.CHECKPOINT.value: visit_minutes},
    )
