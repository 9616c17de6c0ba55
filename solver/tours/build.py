"""Build a `TourProblem` from a scenario and its roster.

The supervisors' free windows come from the roster (their duties, with a buffer) and their
unavailability; the sites' required visit dates come from the settings (every day, every k days),
the roster's shortfalls and the posts newly staffed in this horizon.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from solver.domain import Assignment, Officer, Post, Scenario, Shortfall
from solver.timeline import Timeline
from solver.tours.problem import (
    Depot,
    FreeWindow,
    Location,
    Requirement,
    RequirementKind,
    Site,
    Supervisor,
    TourProblem,
    TravelModel,
)
from solver.tours.settings import TourSettings

Interval = tuple[datetime, datetime]


def post_location(post: Post, locations: Mapping[str, Location]) -> Location | None:
    """Where a post lies: `locations` (an imported table) first, then the scenario's own `location`."""
    if post.id in locations:
        return locations[post.id]
    return None if post.location is None else Location(post.location.lat, post.location.lon)


def tour_problem(
    scenario: Scenario,
    assignments: Iterable[Assignment],
    settings: TourSettings | None = None,
    *,
    locations: Mapping[str, Location],
    supervisors: Sequence[str] | None = None,
    horizon: Sequence[date] | None = None,
    shortfalls: Sequence[Shortfall] | None = None,
    previous: Sequence[Assignment] | None = None,
    last_visits: Mapping[str, date] | None = None,
    depots: Mapping[str, Depot] | None = None,
    travel: TravelModel | None = None,
) -> TourProblem:
    """The tour problem of `scenario` with roster `assignments`.

    supervisors: officer ids; default: the officers holding `settings.supervisor_skill`.
    horizon: consecutive dates to plan; default: the scenario's.
    shortfalls: the roster's shortfalls (e.g. `Roster.shortfalls`); default: computed from
      `assignments` against the coverage minimums and skill seats.
    previous: the previous roster (duties before this horizon). A toured post with duties in
      `assignments` and none in `previous` is newly staffed. None: no post counts as new.
    last_visits: site id -> date of its last inspection before the horizon, so that the first
      "every k days" deadline follows on from it; default: the first block starts with the horizon.
    depots: per supervisor id, a start/end point other than the headquarters of `settings`.
    travel: a travel model (e.g. with an imported matrix); default: haversine × road factor /
      speed from `settings`.

    Raises ValueError for unknown supervisors, no supervisor at all, toured posts without a
    location, a horizon that is not consecutive dates, and (from `TourProblem`) a travel matrix
    that lacks a pair.
    """
    settings = settings or TourSettings()
    assignments = tuple(assignments)
    dates = _horizon(scenario, horizon)
    sites = _sites(scenario, settings, locations)
    site_ids = {s.id for s in sites}
    chosen = _supervisors(scenario, settings, supervisors)

    hq = Depot(settings.hq_id, settings.hq_name, settings.hq)
    depot_of = {o.id: (depots or {}).get(o.id, hq) for o in chosen}
    all_depots = {d.id: d for d in depot_of.values()}

    timeline = Timeline(scenario)
    windows = [w for o in chosen for w in free_windows(o, assignments, dates, settings, timeline)]

    requirements: list[Requirement] = []
    for site in sites:
        requirements += _periodic(site, dates, settings, (last_visits or {}).get(site.id))
    if settings.shortfall_visits:
        short = shortfalls if shortfalls is not None else roster_shortfalls(scenario, assignments, dates)
        short_days = sorted({(s.post, s.date) for s in short if s.post in site_ids and s.date in dates})
        requirements += [Requirement(p, d, d, RequirementKind.SHORTFALL) for p, d in short_days]
    if previous is not None and settings.new_post_days > 0:
        requirements += _new_posts(site_ids, assignments, previous, dates, settings.new_post_days)

    return TourProblem(
        timezone=scenario.timezone,
        dates=dates,
        sites=tuple(sites),
        depots=tuple(all_depots.values()),
        supervisors=tuple(Supervisor(o.id, o.name, depot_of[o.id].id) for o in chosen),
        windows=tuple(windows),
        requirements=tuple(dict.fromkeys(requirements)),
        travel=travel or TravelModel(road_factor=settings.road_factor, speed_kmh=settings.speed_kmh),
        visit_minutes=settings.visit_minutes,
    )


def free_windows(
    officer: Officer,
    assignments: Iterable[Assignment],
    dates: Sequence[date],
    settings: TourSettings,
    timeline: Timeline,
) -> list[FreeWindow]:
    """The officer's free windows on `dates`: the tour window less duties (± buffer) and leave."""
    buffer = timedelta(minutes=settings.duty_buffer_minutes)
    blocked: list[Interval] = []
    for a in assignments:
        if a.officer == officer.id:
            start, end = timeline.duty(a.shift, a.date)
            blocked.append((start - buffer, end + buffer))
    for h in officer.history:
        if timeline.scenario.has_shift(h.shift):
            start, end = timeline.duty(h.shift, h.date)
            blocked.append((start - buffer, end + buffer))
    blocked += [interval for _, interval in timeline.away(officer)]

    out = []
    minimum = timedelta(minutes=settings.min_window_minutes)
    for day in dates:
        begin = timeline.instant(datetime.combine(day, settings.tour_start))
        window = (begin, begin + timedelta(minutes=settings.tour_minutes))
        for start, end in _subtract(window, blocked):
            if end - start >= minimum:
                out.append(
                    FreeWindow(officer.id, day, _local(start, timeline.zone), _local(end, timeline.zone))
                )
    return out


def roster_shortfalls(
    scenario: Scenario, assignments: Iterable[Assignment], dates: Sequence[date]
) -> list[Shortfall]:
    """Slots on `dates` with fewer officers than their minimum, or an unfilled skill seat."""
    staffed: dict[tuple[str, str, date], list[str]] = defaultdict(list)
    for a in assignments:
        staffed[(a.post, a.shift, a.date)].append(a.officer)
    wanted = set(dates)
    out = []
    for slot in scenario.slots():
        if slot.date not in wanted:
            continue
        officers = staffed.get((slot.post, slot.shift, slot.date), [])
        if len(officers) < slot.min:
            out.append(Shortfall(slot.post, slot.shift, slot.date, slot.min - len(officers)))
            continue
        held: Counter[str] = Counter()
        for oid in officers:
            if scenario.has_officer(oid):
                held.update(scenario.officer(oid).skills)
        for skill, seats in sorted(slot.skills.items()):
            if held[skill] < seats:
                out.append(Shortfall(slot.post, slot.shift, slot.date, seats - held[skill], skill=skill))
    return out


def _horizon(scenario: Scenario, horizon: Sequence[date] | None) -> tuple[date, ...]:
    dates = tuple(sorted(set(horizon))) if horizon is not None else scenario.dates
    if not dates:
        raise ValueError("the horizon has no dates")
    if any((b - a).days != 1 for a, b in itertools.pairwise(dates)):
        raise ValueError("the horizon must be consecutive dates")
    return dates


def _sites(scenario: Scenario, settings: TourSettings, locations: Mapping[str, Location]) -> list[Site]:
    sites, missing = [], []
    for post in scenario.posts:
        if post.kind not in settings.site_kinds:
            continue
        location = post_location(post, locations)
        if location is None:
            missing.append(post.id)
        else:
            sites.append(Site(post.id, post.name, post.kind, location, post.priority))
    if missing:
        raise ValueError(f"{len(missing)} toured post(s) have no location: {', '.join(missing)}")
    return sites


def _supervisors(scenario: Scenario, settings: TourSettings, named: Sequence[str] | None) -> list[Officer]:
    if named is not None:
        unknown = [oid for oid in named if not scenario.has_officer(oid)]
        if unknown:
            raise ValueError(f"unknown supervisor officer id(s): {', '.join(unknown)}")
        chosen = [scenario.officer(oid) for oid in dict.fromkeys(named)]
    else:
        chosen = [o for o in scenario.officers if settings.supervisor_skill in o.skills]
    if not chosen:
        raise ValueError(
            f"no supervisors: no officer holds skill {settings.supervisor_skill!r}; name them explicitly"
        )
    return chosen


def interval_days(site: Site, settings: TourSettings) -> int:
    """How many days may pass between two inspections of `site` (1: every day)."""
    if site.id in settings.post_interval_days:
        return settings.post_interval_days[site.id]
    if settings.daily_priority is not None and site.priority >= settings.daily_priority:
        return 1
    return settings.interval_days.get(site.kind.value, settings.fallback_interval_days)


def _periodic(
    site: Site, dates: tuple[date, ...], settings: TourSettings, last: date | None
) -> list[Requirement]:
    """Once in every block of k days; the tail block that runs past the horizon is the next one's."""
    k = interval_days(site, settings)
    first, end = dates[0], dates[-1]
    deadline = first + timedelta(days=k - 1) if last is None else max(first, last + timedelta(days=k))
    out = []
    while deadline <= end:
        out.append(Requirement(site.id, first, deadline))
        first, deadline = deadline + timedelta(days=1), deadline + timedelta(days=k)
    return out


def _new_posts(
    site_ids: set[str],
    assignments: Sequence[Assignment],
    previous: Sequence[Assignment],
    dates: tuple[date, ...],
    days: int,
) -> list[Requirement]:
    before = {a.post for a in previous if a.date < dates[0]}
    first_duty: dict[str, date] = {}
    for a in sorted(assignments):
        if a.post in site_ids and a.date in dates and a.post not in before:
            first_duty.setdefault(a.post, a.date)
    out = []
    for post, start in sorted(first_duty.items()):
        for i in range(days):
            day = start + timedelta(days=i)
            if day <= dates[-1]:
                out.append(Requirement(post, day, day, RequirementKind.NEW_POST))
    return out


def _subtract(window: Interval, blocked: Sequence[Interval]) -> list[Interval]:
    pieces = [window]
    for b_start, b_end in sorted(blocked):
        nxt = []
        for start, end in pieces:
            if b_end <= start or end <= b_start:
                nxt.append((start, end))
                continue
            if start < b_start:
                nxt.append((start, b_start))
            if b_end < end:
                nxt.append((b_end, end))
        pieces = nxt
    return pieces


def _local(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
