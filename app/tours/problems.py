"""The tour problem of a horizon from the stored data: the published roster's duties (the
supervisors' busy hours), the officers' unavailability, the posts' coordinates, the previous
week's published roster (which posts are newly staffed) and the tour settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import TourConfig
from app.core.errors import ErrorDetail, RuleViolation
from app.planning.scenario import ScenarioScope, scenario_for
from app.reference.models import Post
from app.rosters.queries import published_assignments
from app.tours.models import TourPlanRow, TourPlanVersion
from solver import domain as d
from solver.tours import Location, TourProblem, TourSettings, TravelMatrixError, TravelModel, tour_problem

PREVIOUS_DAYS = 7
"""How far back the previous published roster is read (newly staffed posts)."""


def settings_document(
    config: TourConfig,
    time_limit_per_day: float | None,
    solution_limit: int | None,
    rules: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The values a plan is built and solved with, stored with it (so a re-plan uses the same)."""
    return {
        "supervisor_skill": config.supervisor_skill,
        "hq_name": config.hq_name,
        "hq_lat": config.hq_lat,
        "hq_lon": config.hq_lon,
        "road_factor": config.road_factor,
        "speed_kmh": config.speed_kmh,
        "time_limit_per_day": config.time_limit_per_day if time_limit_per_day is None else time_limit_per_day,
        "solution_limit": solution_limit,
        "rules": {k: v for k, v in (rules or {}).items() if v is not None},
    }


def tour_settings(doc: Mapping[str, Any]) -> TourSettings:
    """The engine's settings of a stored plan (a plan's own `rules` over the engine's defaults)."""
    rules = dict(doc.get("rules") or {})
    for key in ("tour_start", "tour_end"):
        if key in rules:
            rules[key] = time.fromisoformat(rules[key])
    if "visit_minutes" in rules:  # the kinds a plan does not name keep their default length
        rules["visit_minutes"] = {**TourSettings().visit_minutes, **rules["visit_minutes"]}
    return TourSettings(
        **rules,
        supervisor_skill=doc["supervisor_skill"],
        hq_name=doc["hq_name"],
        hq=Location(doc["hq_lat"], doc["hq_lon"]),
        road_factor=doc["road_factor"],
        speed_kmh=doc["speed_kmh"],
        time_limit_per_day=doc["time_limit_per_day"],
        solution_limit=doc.get("solution_limit"),
    )


def problem_for(
    session: Session,
    start: date,
    days: int,
    supervisors: Sequence[str] | None,
    settings: TourSettings,
    history_days: int,
    travel: TravelModel | None = None,
) -> TourProblem:
    """The tour problem of [start, start + days); a 422 naming what is missing otherwise."""
    scenario = scenario_for(session, ScenarioScope(start=start, days=days, history_days=history_days))
    duties = list(scenario.baseline)
    if not duties:
        raise RuleViolation(
            f"no roster is published for {start} … {start + timedelta(days=days - 1)}: "
            "tours are planned from the published roster",
            [ErrorDetail("body.start", "no published duties in the horizon")],
        )
    if supervisors is not None:
        unknown = [(i, o) for i, o in enumerate(supervisors) if not scenario.has_officer(o)]
        if unknown:
            raise RuleViolation(
                f"unknown supervisor(s): {', '.join(o for _, o in unknown)}",
                [ErrorDetail(f"body.supervisors[{i}]", f"unknown officer {o!r}", o) for i, o in unknown],
            )
    elif not any(settings.supervisor_skill in o.skills for o in scenario.officers):
        raise RuleViolation(
            f"no officer holds the supervisor skill {settings.supervisor_skill!r}: "
            "give it to the detachment's leaders, or name the supervisors",
            [ErrorDetail("body.supervisors", "no supervisors")],
        )
    locations = _locations(session, scenario, settings)
    previous = [
        d.Assignment(a.date, a.shift_id, a.post_id, a.officer_id)
        for a in published_assignments(session, start - timedelta(days=PREVIOUS_DAYS), start)
    ]
    try:
        return tour_problem(
            scenario,
            duties,
            settings,
            locations=locations,
            supervisors=supervisors,
            previous=previous or None,  # no roster before: no post counts as newly staffed
            last_visits=last_visits(session, start) or None,
            travel=travel,
        )
    except TravelMatrixError as exc:
        raise RuleViolation(
            f"the travel matrix lacks a pair the plan needs: {exc}",
            [ErrorDetail("body.travel_matrix.minutes", f"missing pair {exc}")],
        ) from None
    except ValueError as exc:
        raise RuleViolation(f"cannot plan tours: {exc}") from None


def last_visits(session: Session, start: date) -> dict[str, date]:
    """Per site, the last date before `start` a stored plan (its latest version) visits it, so
    the first "every k days" deadline of a new horizon follows on from the tours already planned."""
    out: dict[str, date] = {}
    rows = session.execute(
        select(TourPlanVersion.document)
        .join(TourPlanRow, TourPlanRow.id == TourPlanVersion.plan_id)
        .where(TourPlanVersion.version == TourPlanRow.latest_version, TourPlanRow.start < start)
    )
    for (document,) in rows:
        for route in document["routes"]:
            day = date.fromisoformat(route["date"])
            if day < start:
                for visit in route["visits"]:
                    out[visit["site"]] = max(out.get(visit["site"], day), day)
    return out


def _locations(session: Session, scenario: d.Scenario, settings: TourSettings) -> dict[str, Location]:
    toured = [p.id for p in scenario.posts if p.kind in settings.site_kinds]
    rows = {p.id: p for p in session.scalars(select(Post).where(Post.id.in_(toured)))}
    missing = [pid for pid in toured if rows[pid].location is None]
    if missing:
        raise RuleViolation(
            f"{len(missing)} checkpoint(s) have no location: set them with PUT /posts/locations",
            [
                ErrorDetail(f"posts.{pid}.location", "the checkpoint has no coordinates", pid)
                for pid in missing[:50]
            ],
        )
    out = {}
    for pid in toured:
        lat, lon = rows[pid].lat, rows[pid].lon
        assert lat is not None and lon is not None
        out[pid] = Location(lat, lon)
    return out
