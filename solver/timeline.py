"""Real time for a scenario: local wall-clock values turned into UTC instants, and back.

The spec computes lengths, rest gaps, overlaps and unavailability on real instants. A local time
in a DST gap moves forward by the gap and an ambiguous one is the earlier instant: that is exactly
what `fold=0` means to `zoneinfo` (PEP 495), so `to_instant` needs no special cases.

`to_instant` and `to_local` are the one home of local ⇄ UTC conversion, for the engine and the
service alike.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TypeAlias
from zoneinfo import ZoneInfo

from solver.domain import Officer, Scenario, ShiftType, Span

Interval: TypeAlias = tuple[datetime, datetime]


def to_instant(local: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant of a naive local wall-clock time."""
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def to_local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The naive local wall-clock time of an instant: an aware datetime, or a naive one in UTC
    (as the service stores instants)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).replace(tzinfo=None)


class Timeline:
    """Instants of duties, days and spans of one scenario, cached."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.zone = ZoneInfo(scenario.timezone)
        self._shifts = {s.id: s for s in scenario.shift_types}
        self._duty = lru_cache(maxsize=None)(self._duty_interval)
        self._day = lru_cache(maxsize=None)(self._day_interval)
        self.touched: dict[tuple[date, datetime, datetime, date, int], frozenset[date]] = {}
        """The ledgers' memo of the horizon days a duty overlaps (`Ledger._days_touched`)."""

    def instant(self, local: datetime) -> datetime:
        return to_instant(local, self.zone)

    def duty(self, shift_id: str, day: date) -> tuple[datetime, datetime]:
        """[start, end) of a duty of `shift_id` starting on `day`, in UTC."""
        return self._duty(shift_id, day)

    def day(self, day: date) -> tuple[datetime, datetime]:
        """[00:00, next 00:00) of a local calendar day, in UTC."""
        return self._day(day)

    def span(self, span: Span) -> tuple[datetime, datetime]:
        return self.instant(span.start), self.instant(span.end)

    def away(self, officer: Officer) -> list[tuple[Span, Interval]]:
        """Each span the officer cannot take a duty in (`Officer.away`), with its instants."""
        return [(span, self.span(span)) for span in officer.away]

    def horizon(self) -> tuple[datetime, datetime]:
        """[horizon start 00:00, horizon end 00:00) in UTC."""
        return self.day(self.scenario.start)[0], self.day(self.scenario.end)[0]

    def _duty_interval(self, shift_id: str, day: date) -> tuple[datetime, datetime]:
        shift: ShiftType = self._shifts[shift_id]
        start = self.instant(datetime.combine(day, shift.start))
        return start, start + timedelta(minutes=shift.minutes)

    def _day_interval(self, day: date) -> tuple[datetime, datetime]:
        return (
            self.instant(datetime.combine(day, time(0, 0))),
            self.instant(datetime.combine(day + timedelta(days=1), time(0, 0))),
        )


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    """Whether two half-open intervals share an instant."""
    return a[0] < b[1] and b[0] < a[1]


def minutes_between(earlier_end: datetime, later_start: datetime) -> float:
    return (later_start - earlier_end).total_seconds() / 60
