"""Whole scenario documents (format v1) in and out of the database: an import adds what the
document names (with `replace`, also overwrites what exists) and publishes its baseline; an export
writes the stored data of a horizon as one document.

Everything is all or nothing: the request's one transaction is rolled back on any error, and
every error found is reported with the scenario loader's field paths. Officer and post sheets are
`app.reference.sheets`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.core.errors import Conflict, ErrorDetail, InvalidInput, RuleViolation
from app.planning.scenario import ScenarioScope, loader_errors, scenario_for
from app.planning.store import store_reference_data
from app.reference.settings import settings_row
from app.rosters.service import new_snapshot, publish, store_roster
from solver import domain as d
from solver.check import check_assignments
from solver.io.errors import InvalidDocument
from solver.io.load import scenario_from_dict
from solver.io.write import scenario_to_dict


@dataclass
class ImportResult:
    units: int = 0
    skills: int = 0
    shift_types: int = 0
    posts: int = 0
    officers: int = 0
    pinned: int = 0
    unavailability: int = 0
    baseline_roster_id: int | None = None
    created_skills: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    """Existing rows the import overwrote (`kind id`): those whose stored content differed."""
    added: list[str] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    """The fields of each updated row that differed: `{"item": "officer gz-01", "fields": [...]}`."""
    settings: list[dict[str, Any]] = field(default_factory=list)
    """Detachment settings on which the document differs, and whether the import applied them."""
    dry_run: bool = False


def import_scenario(
    session: Session, raw: Any, replace: bool, user: User | None, dry_run: bool = False
) -> ImportResult:
    """Add (and with `replace`, overwrite) what the document names; nothing else is touched.

    `dry_run`: do everything, report it, and roll it back (the diff of what the import would do).
    """
    try:
        scenario = scenario_from_dict(raw)
    except InvalidDocument as exc:
        raise InvalidInput(f"invalid scenario: {len(exc.errors)} error(s)", loader_errors(exc)) from None
    savepoint = session.begin_nested() if dry_run else None
    try:
        result = _import(session, scenario, replace, user)
        result.dry_run = dry_run
    finally:
        if savepoint is not None:
            savepoint.rollback()
    return result


def _import(session: Session, scenario: d.Scenario, replace: bool, user: User | None) -> ImportResult:
    stored = store_reference_data(session, scenario, replace_existing=replace)
    if stored.changed and not replace:
        raise Conflict(
            f"{len(stored.changed)} row(s) already exist with other values; "
            "import with replace=true to overwrite them",
            [
                ErrorDetail(kind, f"{kind} {i!r} already exists with other {', '.join(fields)}", i)
                for kind, i, fields in stored.changed[:50]
            ],
        )
    result = ImportResult(
        units=len(scenario.units),
        skills=len(scenario.skills or ()),
        shift_types=len(scenario.shift_types),
        posts=len(scenario.posts),
        officers=len(scenario.officers),
        pinned=len(scenario.pinned),
        updated=[f"{kind} {i}" for kind, i in stored.clashes],
        added=[f"{kind} {i}" for kind, i in stored.added],
        changes=[{"item": f"{kind} {i}", "fields": fields} for kind, i, fields in stored.changed],
        settings=[
            {
                "field": c.field,
                "stored": _plain(c.stored),
                "document": _plain(c.document),
                "applied": c.applied,
            }
            for c in stored.settings
        ],
    )
    if scenario.baseline:
        result.baseline_roster_id = _publish_baseline(session, scenario, user)
    return result


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _publish_baseline(session: Session, scenario: d.Scenario, user: User | None) -> int:
    """The document's baseline is a published roster: store it as a published version."""
    problems = []
    for i, a in enumerate(scenario.baseline):
        if not (scenario.has_officer(a.officer) and scenario.has_post(a.post)):
            problems.append(
                ErrorDetail(
                    f"baseline[{i}]", "names an officer or post the scenario does not define", a.officer
                )
            )
    if problems:
        raise RuleViolation(
            "the service stores a baseline as a published roster: every id must exist", problems
        )
    report = check_assignments(scenario, scenario.baseline)
    roster = d.Roster(
        scenario=scenario.name,
        status="UNKNOWN",
        assignments=tuple(dict.fromkeys(scenario.baseline)),
        objective=report.score.total,
        score=report.score,
        shortfalls=report.shortfalls,
        extra={"source": "imported baseline"},
    )
    snapshot = new_snapshot(session, scenario)
    stored = store_roster(
        session,
        scenario,
        roster,
        snapshot_id=snapshot.id,
        unit_ids=[u.id for u in scenario.units],
        created_by=None if user is None else user.id,
    )
    publish(session, stored, None)
    return stored.id


def export_scenario(session: Session, start: date | None, days: int | None) -> dict[str, Any]:
    settings = settings_row(session)
    start = start or settings.horizon_start
    days = days or settings.horizon_days
    if start is None or days is None:
        raise RuleViolation(
            "no horizon stored: give start and days",
            [ErrorDetail("query.start", "required when no horizon is stored")],
        )
    scope = ScenarioScope(start=start, days=days, unit_ids=None, history_days=0, full=True)
    # with the coverage changes dated inside the horizon, as explicit dates
    return scenario_to_dict(scenario_for(session, scope))
