"""Tour problems and plans to and from JSON-ready dicts (for storage and the API).

Dates and local times are ISO 8601 strings ("2021-11-08", "2021-11-08T08:30:00"); every dict
carries a `version` so that stored documents can be migrated.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from solver.domain import PostKind
from solver.tours.plan import Interruption, MissedVisit, MissReason, NotVisited, Route, TourPlan, Visit
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

VERSION = 1


def _loc(loc: Location) -> dict[str, float]:
    return {"lat": loc.lat, "lon": loc.lon}


def _req_to_dict(r: Requirement) -> dict[str, Any]:
    return {
        "site": r.site,
        "first": r.first.isoformat(),
        "deadline": r.deadline.isoformat(),
        "kind": r.kind.value,
    }


def _req_from_dict(d: Mapping[str, Any]) -> Requirement:
    return Requirement(
        d["site"],
        date.fromisoformat(d["first"]),
        date.fromisoformat(d["deadline"]),
        RequirementKind(d["kind"]),
    )


def _matrix(m: Mapping[str, Mapping[str, float]] | None) -> dict[str, dict[str, float]] | None:
    return None if m is None else {a: dict(row) for a, row in m.items()}


def problem_to_dict(p: TourProblem) -> dict[str, Any]:
    return {
        "version": VERSION,
        "timezone": p.timezone,
        "dates": [d.isoformat() for d in p.dates],
        "sites": [
            {"id": s.id, "name": s.name, "kind": s.kind.value, "priority": s.priority, **_loc(s.location)}
            for s in p.sites
        ],
        "depots": [{"id": d.id, "name": d.name, **_loc(d.location)} for d in p.depots],
        "supervisors": [{"id": s.id, "name": s.name, "depot": s.depot} for s in p.supervisors],
        "windows": [
            {
                "supervisor": w.supervisor,
                "date": w.date.isoformat(),
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
            }
            for w in p.windows
        ],
        "requirements": [_req_to_dict(r) for r in p.requirements],
        "travel": {
            "road_factor": p.travel.road_factor,
            "speed_kmh": p.travel.speed_kmh,
            "minutes_matrix": _matrix(p.travel.minutes_matrix),
            "km_matrix": _matrix(p.travel.km_matrix),
            "symmetric": p.travel.symmetric,
        },
        "visit_minutes": dict(p.visit_minutes),
    }


def problem_from_dict(d: Mapping[str, Any]) -> TourProblem:
    _version(d)
    t = d["travel"]
    return TourProblem(
        timezone=d["timezone"],
        dates=tuple(date.fromisoformat(x) for x in d["dates"]),
        sites=tuple(
            Site(s["id"], s["name"], PostKind(s["kind"]), Location(s["lat"], s["lon"]), s["priority"])
            for s in d["sites"]
        ),
        depots=tuple(Depot(x["id"], x["name"], Location(x["lat"], x["lon"])) for x in d["depots"]),
        supervisors=tuple(Supervisor(s["id"], s["name"], s["depot"]) for s in d["supervisors"]),
        windows=tuple(
            FreeWindow(
                w["supervisor"],
                date.fromisoformat(w["date"]),
                datetime.fromisoformat(w["start"]),
                datetime.fromisoformat(w["end"]),
            )
            for w in d["windows"]
        ),
        requirements=tuple(_req_from_dict(r) for r in d["requirements"]),
        travel=TravelModel(
            road_factor=t["road_factor"],
            speed_kmh=t["speed_kmh"],
            minutes_matrix=t.get("minutes_matrix"),
            km_matrix=t.get("km_matrix"),
            symmetric=t.get("symmetric", False),
        ),
        visit_minutes=d["visit_minutes"],
    )


def plan_to_dict(plan: TourPlan) -> dict[str, Any]:
    return {
        "version": VERSION,
        "method": plan.method,
        "solve_seconds": plan.solve_seconds,
        "drive_minutes": plan.drive_minutes,
        "km": round(plan.km, 3),
        "routes": [
            {
                "supervisor": r.supervisor,
                "date": r.date.isoformat(),
                "depot": r.depot,
                "start": r.start.isoformat(),
                "end": r.end.isoformat(),
                "drive_minutes": r.drive_minutes,
                "km": r.km,
                "interrupted": r.interrupted,
                "visits": [
                    {"site": v.site, "arrival": v.arrival.isoformat(), "departure": v.departure.isoformat()}
                    for v in r.visits
                ],
            }
            for r in plan.routes
        ],
        "missed": [
            {"requirement": _req_to_dict(m.requirement), "date": m.date.isoformat(), "reason": m.reason.value}
            for m in plan.missed
        ],
        "not_visited": [
            {"site": n.site, "date": n.date.isoformat(), "reason": n.reason.value, "due": n.due}
            for n in plan.not_visited
        ],
        "interruptions": [{"supervisor": i.supervisor, "at": i.at.isoformat()} for i in plan.interruptions],
    }


def plan_from_dict(d: Mapping[str, Any]) -> TourPlan:
    """The plan of `plan_to_dict`; the totals in the dict are derived and ignored."""
    _version(d)
    return TourPlan(
        routes=tuple(
            Route(
                supervisor=r["supervisor"],
                date=date.fromisoformat(r["date"]),
                depot=r["depot"],
                start=datetime.fromisoformat(r["start"]),
                end=datetime.fromisoformat(r["end"]),
                visits=tuple(
                    Visit(
                        v["site"],
                        datetime.fromisoformat(v["arrival"]),
                        datetime.fromisoformat(v["departure"]),
                    )
                    for v in r["visits"]
                ),
                drive_minutes=r["drive_minutes"],
                km=r["km"],
                interrupted=r.get("interrupted", False),
            )
            for r in d["routes"]
        ),
        missed=tuple(
            MissedVisit(
                _req_from_dict(m["requirement"]), date.fromisoformat(m["date"]), MissReason(m["reason"])
            )
            for m in d["missed"]
        ),
        not_visited=tuple(
            NotVisited(n["site"], date.fromisoformat(n["date"]), MissReason(n["reason"]), n["due"])
            for n in d.get("not_visited", [])
        ),
        method=d.get("method", "routing"),
        solve_seconds=d.get("solve_seconds"),
        interruptions=tuple(
            Interruption(i["supervisor"], datetime.fromisoformat(i["at"])) for i in d.get("interruptions", [])
        ),
    )


def _version(d: Mapping[str, Any]) -> None:
    if d.get("version") != VERSION:
        raise ValueError(f"unsupported tour document version {d.get('version')!r} (expected {VERSION})")
