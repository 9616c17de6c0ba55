"""An officer's duties as an iCalendar feed that calendar apps poll.

Each duty's UID is stable for (officer, date, shift type), so when a newer roster moves the
officer to another post the app updates the event instead of adding a second one; SEQUENCE is the
roster version, which only grows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from app.rosters.schemas import DutyRead

PRODID = "-//police-roster//duty roster//ZH"


def officer_feed(
    officer_name: str,
    timezone: str,
    duties: Iterable[DutyRead],
    now: datetime | None = None,
    extra: Iterable[Event] = (),
) -> bytes:
    """`extra`: further events (a supervisor's tour visits, `app.tours.calendar`)."""
    stamp = now or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"值班 · {officer_name}")
    cal.add("x-wr-timezone", timezone)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for d in duties:
        event = Event()
        event.add("uid", f"{d.officer}/{d.date.isoformat()}/{d.shift}@police-roster")
        event.add("dtstamp", stamp)
        event.add("sequence", d.roster_id)
        event.add("dtstart", d.start)
        event.add("dtend", d.end)
        event.add("summary", f"{d.shift_name} · {d.post_name}")
        event.add("location", d.post_name)
        event.add(
            "description",
            f"{d.shift_name} ({d.shift}) at {d.post_name} ({d.post}), unit {d.unit}; "
            f"roster version {d.roster_id}",
        )
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    for event in extra:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
