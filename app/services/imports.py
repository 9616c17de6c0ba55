"""Whole-scenario import and export, and officer/post sheets (Excel or CSV) as duty offices keep them.

Everything is all or nothing: the request's one transaction is rolled back on any error, and
every error found is reported (the scenario loader's paths for documents, `row N.column` for sheets).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import mappers
from app.errors import Conflict, ErrorDetail, InvalidInput, RuleViolation, validation_path
from app.models import Officer, Post, ShiftType, Skill, Unit, User
from app.schemas import data as s
from app.services import data as data_service
from app.services.change_scenario import scenario_for
from app.services.rosters import new_snapshot, publish, store_roster
from solver import domain as d
from solver.check import check_assignments
from solver.scenario import InvalidDocument, scenario_from_dict, scenario_to_dict


@dataclass
class ImportResult:
    units: int = 0
    skills: int = 0
    shift_types: int = 0
    posts: int = 0
    officers: int = 0
    pinned: int = 0
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


def loader_errors(exc: InvalidDocument) -> list[ErrorDetail]:
    return [ErrorDetail(e.path, e.message, e.id) for e in exc.errors]


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
    stored = mappers.store_reference_data(session, scenario, replace_existing=replace)
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
    settings = mappers.settings_row(session)
    start = start or settings.horizon_start
    days = days or settings.horizon_days
    if start is None or days is None:
        raise RuleViolation(
            "no horizon stored: give start and days",
            [ErrorDetail("query.start", "required when no horizon is stored")],
        )
    scope = mappers.ScenarioScope(start=start, days=days, unit_ids=None, history_days=0, full=True)
    # with the coverage changes dated inside the horizon, as explicit dates
    return scenario_to_dict(scenario_for(session, scope))


# --------------------------------------------------------------------------- sheets

HEADERS = {
    "id": ("id", "编号", "警号"),
    "name": ("name", "姓名", "名称"),
    "unit": ("unit", "单位", "大队"),
    "serves": ("serves", "服务单位"),
    "skills": ("skills", "技能"),
    "kind": ("kind", "类型"),
    "priority": ("priority", "优先级"),
    "shift": ("shift", "班次"),
    "min": ("min", "最少"),
    "max": ("max", "最多"),
    "days": ("days", "日期"),
}
SEPARATORS = r"[,;，；、\s]+"


def read_sheet(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows of the first sheet (xlsx) or of a CSV file, keyed by canonical column name."""
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("the CSV file is not UTF-8 text", [ErrorDetail("file", "not UTF-8")]) from None
        rows = [list(r) for r in csv.reader(io.StringIO(text))]
    else:
        raise InvalidInput(
            "upload an .xlsx or .csv file", [ErrorDetail("file", f"unsupported file {filename!r}")]
        )
    if not rows:
        raise InvalidInput("the sheet is empty", [ErrorDetail("file", "no header row")])
    aliases = {alias.lower(): key for key, names in HEADERS.items() for alias in names}
    header = [aliases.get(str(h).strip().lower(), "") for h in rows[0]]
    unknown = [str(h) for h, key in zip(rows[0], header, strict=True) if str(h).strip() and not key]
    if unknown:
        raise InvalidInput(
            "unknown column(s): " + ", ".join(unknown),
            [ErrorDetail("row 1", f"unknown column {h!r}; known: {', '.join(HEADERS)}") for h in unknown],
        )
    out = []
    for raw in rows[1:]:
        values = {key: str(v).strip() for key, v in zip(header, raw, strict=False) if key and v is not None}
        out.append({k: v for k, v in values.items() if v != ""})
    return out


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise InvalidInput(
            "not a readable .xlsx workbook", [ErrorDetail("file", "cannot open as .xlsx")]
        ) from None
    sheet = book.worksheets[0]
    rows = [["" if v is None else _cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return [r for r in rows if any(str(v).strip() for v in r)]


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split(value: str | None) -> list[str]:
    return [] if not value else [v for v in re.split(SEPARATORS, value) if v]


def _validate(model: type[BaseModel], data: dict[str, Any], row: int, problems: list[ErrorDetail]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors():
            problems.append(
                ErrorDetail(f"row {row}.{validation_path(e['loc'])}".rstrip("."), e["msg"], data.get("id"))
            )
        return None


def import_officers_sheet(session: Session, rows: list[dict[str, str]]) -> ImportResult:
    problems: list[ErrorDetail] = []
    bodies: list[tuple[int, s.OfficerCreate]] = []
    for n, row in enumerate(rows, start=2):
        data: dict[str, Any] = {"id": row.get("id"), "name": row.get("name"), "unit": row.get("unit")}
        if row.get("serves"):
            data["serves"] = _split(row["serves"])
        data["skills"] = _split(row.get("skills"))
        body = _validate(s.OfficerCreate, data, n, problems)
        if body is not None:
            bodies.append((n, body))
    seen: dict[str, int] = {}
    units = set(session.scalars(select(Unit.id)))
    for n, body in bodies:
        if body.id in seen:
            problems.append(
                ErrorDetail(f"row {n}.id", f"officer {body.id!r} also on row {seen[body.id]}", body.id)
            )
        seen[body.id] = n
        for u in [body.unit, *(body.serves or [])]:
            if u not in units:
                problems.append(ErrorDetail(f"row {n}.unit", f"unknown unit {u!r}", body.id))
    if problems:
        raise InvalidInput(f"the officer sheet has {len(problems)} error(s)", problems)
    known_skills = set(session.scalars(select(Skill.id)))
    created = sorted({k for _, b in bodies for k in b.skills} - known_skills)
    for k in created:
        session.add(Skill(id=k, name=k))
    session.flush()
    result = ImportResult(officers=len(bodies), created_skills=created)
    for _, body in bodies:
        existing = session.get(Officer, body.id)
        if existing is None:
            data_service.create_officer(session, body)
        else:
            update = s.OfficerUpdate(
                name=body.name, unit=body.unit, serves=body.serves or [body.unit], skills=body.skills
            )
            data_service.update_officer(session, existing, update)
            result.updated.append(f"officer {body.id}")
    return result


def import_posts_sheet(session: Session, rows: list[dict[str, str]]) -> ImportResult:
    problems: list[ErrorDetail] = []
    posts: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    for n, row in enumerate(rows, start=2):
        pid = row.get("id", "")
        post = posts.setdefault(pid, {"id": pid, "coverage": []})
        first_row.setdefault(pid, n)
        for key in ("name", "kind", "unit", "priority"):
            if key in row:
                if key in post and post[key] != row[key]:
                    problems.append(
                        ErrorDetail(f"row {n}.{key}", f"differs from row {first_row[pid]} of post {pid!r}")
                    )
                post[key] = row[key]
        if row.get("shift"):
            cov: dict[str, Any] = {"shift": row["shift"], "min": row.get("min", "0")}
            if row.get("max"):
                cov["max"] = row["max"]
            skills = {}
            for item in _split(row.get("skills")):
                name, _, need = item.partition(":")
                skills[name] = need or "1"
            cov["skills"] = skills
            if row.get("days"):
                cov["days"] = [t.lower() for t in _split(row["days"])]
            post["coverage"].append(cov)
    bodies = []
    for pid, post in posts.items():
        post = _ints(post)
        body = _validate(s.PostCreate, post, first_row[pid], problems)
        if body is not None:
            bodies.append(body)
    if problems:
        raise InvalidInput(f"the post sheet has {len(problems)} error(s)", problems)
    result = ImportResult(posts=len(bodies))
    shifts = set(session.scalars(select(ShiftType.id)))
    units = set(session.scalars(select(Unit.id)))
    for body in bodies:
        row_no = first_row[body.id]
        if body.unit not in units:
            problems.append(ErrorDetail(f"row {row_no}.unit", f"unknown unit {body.unit!r}", body.id))
        for c in body.coverage:
            if c.shift not in shifts:
                problems.append(
                    ErrorDetail(f"row {row_no}.shift", f"unknown shift type {c.shift!r}", body.id)
                )
    if problems:
        raise InvalidInput(f"the post sheet has {len(problems)} error(s)", problems)
    known_skills = set(session.scalars(select(Skill.id)))
    result.created_skills = sorted({k for b in bodies for c in b.coverage for k in c.skills} - known_skills)
    for k in result.created_skills:
        session.add(Skill(id=k, name=k))
    session.flush()
    for body in bodies:
        existing = session.get(Post, body.id)
        if existing is None:
            data_service.create_post(session, body)
        else:
            update = s.PostUpdate(
                name=body.name, kind=body.kind, unit=body.unit, priority=body.priority, coverage=body.coverage
            )
            data_service.update_post(session, existing, update)
            result.updated.append(f"post {body.id}")
    return result


def _ints(post: dict[str, Any]) -> dict[str, Any]:
    """Sheet cells are text: turn the integer columns into integers where they are integers."""

    def as_int(v: Any) -> Any:
        return int(v) if isinstance(v, str) and re.fullmatch(r"-?\d+", v) else v

    out = dict(post)
    if "priority" in out:
        out["priority"] = as_int(out["priority"])
    out["coverage"] = [
        {
            **c,
            "min": as_int(c["min"]),
            **({"max": as_int(c["max"])} if "max" in c else {}),
            "skills": {k: as_int(v) for k, v in c["skills"].items()},
        }
        for c in post["coverage"]
    ]
    return out
