"""The service's clock, in one place.

- `utcnow()`: timestamps, naive UTC, as every timestamp column stores them.
- `local_now()`: the detachment's "now" as local wall-clock time: `ROSTER_NOW` when it is set,
  else the real clock (changes to the published roster freeze the duties worked before it).
- Local wall-clock time ⇄ UTC: the service stores duty intervals in naive UTC and takes and shows
  times in the detachment's zone. The conversions are the solver's (`to_instant`, `to_local`), so the
  service and the solver agree on every instant (DST gaps and folds included).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from solver.timeline import to_instant, to_local


def utcnow() -> datetime:
    """Naive UTC, as every timestamp column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_now(configured: datetime | None, timezone: str) -> datetime:
    """Now as local wall-clock time: the configured value (`ROSTER_NOW`), else the clock."""
    return configured or datetime.now(ZoneInfo(timezone)).replace(tzinfo=None, second=0, microsecond=0)


def utc_of_local(local: datetime, zone: ZoneInfo) -> datetime:
    """Naive UTC of a naive local wall-clock time (how the columns store instants)."""
    return naive_utc(to_instant(local, zone))


def naive_utc(moment: datetime) -> datetime:
    """Naive UTC of an aware instant."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def utc_of_midnight(day: date, zone: ZoneInfo) -> datetime:
    """Naive UTC of local midnight at the start of `day`."""
    return utc_of_local(datetime.combine(day, time()), zone)


def local_of_utc(utc_naive: datetime, zone: ZoneInfo) -> datetime:
    """The aware local time of a stored naive-UTC instant."""
    return utc_naive.replace(tzinfo=UTC).astimezone(zone)


def wall_clock_of_utc(utc_naive: datetime, zone: ZoneInfo) -> datetime:
    """The naive local wall-clock time of a stored naive-UTC instant."""
    return to_local(utc_naive, zone)


def aware(at: datetime, zone: ZoneInfo) -> datetime:
    """An aware instant: a naive `at` is local wall-clock time in the detachment's zone (the instant
    `to_instant` gives, written as the wall-clock time asked for)."""
    return at if at.tzinfo is not None else at.replace(tzinfo=zone, fold=0)
