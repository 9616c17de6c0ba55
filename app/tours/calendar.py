"""A supervisor's tour visits as calendar events, for their iCalendar feed (`app.rosters.calendar`).

Per date the newest tour plan that has a version and covers the date counts (a later plan of
the same week replaces an earlier one). Each visit's UID is stable for (officer, date, site), so
a re-plan updates the event; SEQUENCE is the plan version."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.tours.models import TourPlanRow, TourPlanVersion


def tour_events(session: Session, officer_id: str, timezone: str, now: datetime | None = None) -> list[Event]:
    zone = ZoneInfo(timezone)
    stamp = now or datetime.now(UTC)
    rows = session.execute(
        select(TourPlanRow, TourPlanVersion)
        .join(
            TourPlanVersion,
            (TourPlanVersion.plan_id == TourPlanRow.id)
            & (TourPlanVersion.version == TourPlanRow.latest_version),
        )
        .order_by(TourPlanRow.id.desc())
    )
    taken: set[str] = set()
    events = []
    for plan, version in rows:
        if officer_id not in plan.supervisors:
            continue
        dates = set(plan.problem["dates"]) - taken
        taken |= dates
        names = {s["id"]: s["name"] for s in plan.problem["sites"]}
        for route in version.document["routes"]:
            if route["supervisor"] != officer_id or route["date"] not in dates:
                continue
            for i, visit in enumerate(route["visits"], start=1):
                name = names.get(visit["site"], visit["site"])
                event = Event()
                event.add("uid", f"{officer_id}/tour/{route['date']}/{visit['site']}@police-roster")
                event.add("dtstamp", stamp)
                event.add("sequence", version.version)
                event.add("dtstart", datetime.fromisoformat(visit["arrival"]).replace(tzinfo=zone))
                event.add("dtend", datetime.fromisoformat(visit["departure"]).replace(tzinfo=zone))
                event.add("summary", f"督导检查 · {name}")
                event.add("location", name)
                event.add(
                    "description",
                    f"Inspection tour stop {i} at {name} ({visit['site']}); "
                    f"tour plan {plan.id}, version {version.version}",
                )
                event.add("categories", ["tour"])
                event.add("transp", "OPAQUE")
                events.append(event)
    return events
