"""The tour-planning problem: where the sites are, who inspects them and when, how often, how far.

Plain frozen data, built from a roster by `solver.tours.build.tour_problem` (or by hand in tests).
Times are local wall-clock datetimes of `TourProblem.timezone`, as in the rest of the domain; the
solver and the referee turn them into instants.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from solver.domain import PostKind, id_index

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), for the great-circle distance."""


@dataclass(frozen=True)
class Location:
    """A WGS84 point, degrees."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise ValueError(f"not a WGS84 point: lat {self.lat}, lon {self.lon}")


def haversine_km(a: Location, b: Location) -> float:
    """Great-circle distance between two points, km."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Site:
    """A post to inspect (a checkpoint, usually)."""

    id: str
    name: str
    kind: PostKind
    location: Location
    priority: int = 1


@dataclass(frozen=True)
class Depot:
    """Where a supervisor's tours start and end (the detachment headquarters by default)."""

    id: str
    name: str
    location: Location


@dataclass(frozen=True)
class Supervisor:
    id: str
    """The officer id."""
    name: str
    depot: str
    """The id of the supervisor's `Depot`."""


@dataclass(frozen=True)
class FreeWindow:
    """[start, end) on `date` in which `supervisor` may tour: the day's tour window less duties
    (with their buffer) and unavailability. One tour (start and end at the depot) per window."""

    supervisor: str
    date: date
    start: datetime
    end: datetime

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


class RequirementKind(StrEnum):
    PERIODIC = "periodic"
    """The site's regular frequency: once in every block of `k` days."""
    SHORTFALL = "shortfall"
    """The roster is short at the site that day: see it that day."""
    NEW_POST = "new_post"
    """The post is newly staffed in this horizon: see it daily for its first days."""


@dataclass(frozen=True)
class Requirement:
    """`site` must be visited on some date in [first, deadline] (inclusive)."""

    site: str
    first: date
    deadline: date
    kind: RequirementKind = RequirementKind.PERIODIC

    def __post_init__(self) -> None:
        if self.deadline < self.first:
            raise ValueError(f"requirement for {self.site!r}: deadline {self.deadline} before {self.first}")

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.deadline


class TravelMatrixError(KeyError):
    """The imported travel matrix lacks a pair the problem needs."""

    def __init__(self, origin: str, destination: str) -> None:
        super().__init__(origin, destination)
        self.origin = origin
        self.destination = destination

    def __str__(self) -> str:
        return f"travel matrix has no entry from {self.origin!r} to {self.destination!r}"


def _frozen_matrix(
    matrix: Mapping[str, Mapping[str, float]] | None,
) -> Mapping[str, Mapping[str, float]] | None:
    if matrix is None:
        return None
    return MappingProxyType({a: MappingProxyType(dict(row)) for a, row in matrix.items()})


@dataclass(frozen=True)
class TravelModel:
    """Driving times and distances between points (sites and depots, by id).

    Without a matrix: km = haversine × `road_factor`, minutes = km / `speed_kmh` × 60, rounded up
    to whole minutes. With `minutes_matrix` (origin id → destination id → minutes, e.g. imported
    from a map service), minutes come from it and a missing pair raises `TravelMatrixError` (with
    `symmetric`, the reverse pair stands in); km come from `km_matrix` the same way when given,
    else from the haversine formula. A point to itself is always 0.
    """

    road_factor: float = 1.3
    speed_kmh: float = 60.0
    minutes_matrix: Mapping[str, Mapping[str, float]] | None = None
    km_matrix: Mapping[str, Mapping[str, float]] | None = None
    symmetric: bool = False

    def __post_init__(self) -> None:
        if self.road_factor < 1.0 or self.speed_kmh <= 0:
            raise ValueError("road_factor must be at least 1 and speed_kmh positive")
        object.__setattr__(self, "minutes_matrix", _frozen_matrix(self.minutes_matrix))
        object.__setattr__(self, "km_matrix", _frozen_matrix(self.km_matrix))

    def minutes(self, a: Site | Depot, b: Site | Depot) -> int:
        """Whole driving minutes from `a` to `b`."""
        if a.id == b.id:
            return 0
        if self.minutes_matrix is not None:
            return math.ceil(self._lookup(self.minutes_matrix, a.id, b.id) - 1e-9)
        return math.ceil(self._road_km(a, b) / self.speed_kmh * 60 - 1e-9)

    def km(self, a: Site | Depot, b: Site | Depot) -> float:
        if a.id == b.id:
            return 0.0
        if self.km_matrix is not None:
            return self._lookup(self.km_matrix, a.id, b.id)
        return self._road_km(a, b)

    def _road_km(self, a: Site | Depot, b: Site | Depot) -> float:
        return haversine_km(a.location, b.location) * self.road_factor

    def _lookup(self, matrix: Mapping[str, Mapping[str, float]], a: str, b: str) -> float:
        value = matrix.get(a, {}).get(b)
        if value is None and self.symmetric:
            value = matrix.get(b, {}).get(a)
        if value is None:
            raise TravelMatrixError(a, b)
        return float(value)

    def require(self, points: list[Site | Depot]) -> None:
        """Raise `TravelMatrixError` for the first pair of `points` the matrices lack."""
        for matrix in (self.minutes_matrix, self.km_matrix):
            if matrix is None:
                continue
            for a in points:
                for b in points:
                    if a.id != b.id:
                        self._lookup(matrix, a.id, b.id)


DEFAULT_VISIT_MINUTES: Mapping[str, int] = MappingProxyType(
    {PostKind.CHECKPOINT.value: 20, PostKind.OTHER.value: 15}
)
FALLBACK_VISIT_MINUTES = 15
"""Visit length of a kind `visit_minutes` does not name."""


@dataclass(frozen=True)
class TourProblem:
    timezone: str
    dates: tuple[date, ...]
    """The days to plan, in order."""
    sites: tuple[Site, ...]
    depots: tuple[Depot, ...]
    supervisors: tuple[Supervisor, ...]
    windows: tuple[FreeWindow, ...]
    requirements: tuple[Requirement, ...]
    travel: TravelModel = TravelModel()
    visit_minutes: Mapping[str, int] = field(default_factory=lambda: DEFAULT_VISIT_MINUTES)
    """Minutes on site per post kind (`PostKind` value)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "visit_minutes", MappingProxyType(dict(self.visit_minutes)))
        sites = {s.id for s in self.sites}
        depots = {d.id for d in self.depots}
        supervisors = {s.id for s in self.supervisors}
        errors = []
        if len(sites) != len(self.sites) or len(depots) != len(self.depots):
            errors.append("duplicate site or depot ids")
        if sites & depots:
            errors.append(f"ids both site and depot: {sorted(sites & depots)}")
        errors += [
            f"supervisor {s.id!r}: unknown depot {s.depot!r}"
            for s in self.supervisors
            if s.depot not in depots
        ]
        errors += [
            f"window of unknown supervisor {w.supervisor!r}"
            for w in self.windows
            if w.supervisor not in supervisors
        ]
        errors += [
            f"window {w.start}–{w.end} of {w.supervisor!r} is empty" for w in self.windows if w.end <= w.start
        ]
        errors += [
            f"requirement for unknown site {r.site!r}" for r in self.requirements if r.site not in sites
        ]
        if self.dates:
            errors += [
                f"requirement for {r.site!r} ({r.first}..{r.deadline}) outside the dates"
                for r in self.requirements
                if r.first < self.dates[0] or r.deadline > self.dates[-1]
            ]
        if errors:
            raise ValueError("; ".join(errors))
        self.travel.require([*self.depots, *self.sites])

    def site(self, site_id: str) -> Site:
        return self._index("_sites", self.sites)[site_id]

    def depot(self, depot_id: str) -> Depot:
        return self._index("_depots", self.depots)[depot_id]

    def supervisor(self, supervisor_id: str) -> Supervisor:
        return self._index("_supervisors", self.supervisors)[supervisor_id]

    def has_site(self, site_id: str) -> bool:
        return site_id in self._index("_sites", self.sites)

    def has_supervisor(self, supervisor_id: str) -> bool:
        return supervisor_id in self._index("_supervisors", self.supervisors)

    def depot_of(self, supervisor_id: str) -> Depot:
        return self.depot(self.supervisor(supervisor_id).depot)

    def service_minutes(self, site_id: str) -> int:
        return int(self.visit_minutes.get(self.site(site_id).kind.value, FALLBACK_VISIT_MINUTES))

    def windows_on(self, day: date) -> tuple[FreeWindow, ...]:
        """The free windows of `day`, by supervisor order then start."""
        order = {s.id: i for i, s in enumerate(self.supervisors)}
        return tuple(
            sorted((w for w in self.windows if w.date == day), key=lambda w: (order[w.supervisor], w.start))
        )

    def _index(self, attr: str, items: tuple[Any, ...]) -> dict[str, Any]:
        return id_index(self, attr, items)
