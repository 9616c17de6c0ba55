"""Real time: local wall-clock values to UTC instants and back (the one home of that conversion)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from solver.timeline import Timeline, to_instant, to_local
from tests.solver.builders import build, day

BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_local_time_becomes_its_utc_instant():
    assert to_instant(datetime(2021, 11, 8, 8, 0), SHANGHAI) == datetime(2021, 11, 8, 0, 0, tzinfo=UTC)


def test_a_time_in_the_spring_gap_moves_forward_and_an_ambiguous_one_is_the_earlier():
    assert to_instant(datetime(2021, 3, 28, 2, 30), BERLIN) == datetime(2021, 3, 28, 1, 30, tzinfo=UTC)
    assert to_instant(datetime(2021, 10, 31, 2, 30), BERLIN) == datetime(2021, 10, 31, 0, 30, tzinfo=UTC)


def test_to_local_is_the_inverse_for_aware_and_for_naive_utc_instants():
    local = datetime(2021, 11, 9, 3, 0)
    instant = to_instant(local, SHANGHAI)
    assert to_local(instant, SHANGHAI) == local
    assert to_local(instant.replace(tzinfo=None), SHANGHAI) == local  # naive: read as UTC
    assert to_local(datetime(2021, 10, 31, 1, 30, tzinfo=UTC), BERLIN) == datetime(2021, 10, 31, 2, 30)


def test_a_night_duty_ends_the_next_morning_and_days_are_local():
    t = Timeline(build())
    start, end = t.duty("N", day(0))
    assert (to_local(start, SHANGHAI), to_local(end, SHANGHAI)) == (
        datetime(2021, 11, 8, 22, 0),
        datetime(2021, 11, 9, 6, 0),
    )
    assert t.day(day(0)) == (
        datetime(2021, 11, 7, 16, 0, tzinfo=UTC),
        datetime(2021, 11, 8, 16, 0, tzinfo=UTC),
    )
