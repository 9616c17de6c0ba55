"""Officer, post and unavailability sheets (Excel or CSV) as duty offices keep them: columns by
English or Chinese header, units by id or by name, every error reported as `row N.column`, all or
nothing. A header the sheet does not know is refused with the names it accepts, Chinese first."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from openpyxl import load_workbook
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages
from app.accounts.models import User
from app.core.errors import ErrorDetail, InvalidInput, validation_path
from app.core.schemas import Id
from app.groups import service as group_service
from app.groups.models import DutyGroup
from app.reference import officers as officer_service
from app.reference import posts as post_service
from app.reference import schemas as s
from app.reference.models import Officer, Post, ShiftType, Skill, Unavailability, Unit
from app.reference.transfer import ImportResult

_ID: TypeAdapter[str] = TypeAdapter(Id)  # the one id rule (app.core.schemas.Id)

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
    "officer": ("officer", "警号", "民警"),
    "start": ("start", "开始", "开始时间"),
    "end": ("end", "结束", "结束时间"),
    "reason": ("reason", "原因", "事由"),
    "group": ("group", "执勤组", "班组", "组"),
}
"""Each column's accepted headers: its English name, then its Chinese ones."""

OFFICER_COLUMNS = ("id", "name", "unit", "serves", "skills", "group")
POST_COLUMNS = ("id", "name", "kind", "unit", "priority", "shift", "min", "max", "skills", "days")
UNAVAILABILITY_COLUMNS = ("officer", "start", "end", "reason")
SEPARATORS = r"[,;，；、\s]+"


def accepted_headers(columns: tuple[str, ...]) -> str:
    """The headers a sheet accepts, e.g. `编号/警号 (id), 姓名/名称 (name)`."""
    return ", ".join(f"{'/'.join(HEADERS[c][1:])} ({c})" for c in columns)


def read_sheet(
    filename: str, content: bytes, columns: tuple[str, ...] = OFFICER_COLUMNS
) -> list[dict[str, str]]:
    """Rows of the first sheet (xlsx) or of a CSV file, keyed by canonical column name; a header
    that is not one of `columns` (by any of its names) is an error listing those accepted."""
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("the CSV file is not UTF-8 text", [ErrorDetail("file", "not UTF-8")]) from None
        try:
            rows = [list(r) for r in csv.reader(io.StringIO(text))]
        except csv.Error as exc:  # a cell over the csv module's field limit, a NUL byte, ...
            raise InvalidInput(
                f"the CSV file cannot be read: {exc}", [ErrorDetail("file", str(exc))]
            ) from None
    else:
        raise InvalidInput(
            "upload an .xlsx or .csv file", [ErrorDetail("file", f"unsupported file {filename!r}")]
        )
    if not rows:
        raise InvalidInput("the sheet is empty", [ErrorDetail("file", "no header row")])
    aliases = {alias.lower(): key for key in columns for alias in HEADERS[key]}
    header = [aliases.get(str(h).strip().lower(), "") for h in rows[0]]
    unknown = [str(h) for h, key in zip(rows[0], header, strict=True) if str(h).strip() and not key]
    if unknown:
        accepted = accepted_headers(columns)
        raise InvalidInput(
            f"unknown column(s): {', '.join(unknown)}; the sheet's columns are {accepted}",
            [ErrorDetail("row 1", f"unknown column {h!r}; accepted: {accepted}") for h in unknown],
        )
    out = []
    for raw in rows[1:]:
        values = {key: str(v).strip() for key, v in zip(header, raw, strict=False) if key and v is not None}
        out.append({k: v for k, v in values.items() if v != ""})
    return out


def _xlsx_rows(content: bytes) -> list[list[Any]]:
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


def unit_ids(session: Session) -> dict[str, str]:
    """A unit's id by its id and by its name (a sheet may name units either way)."""
    rows = session.execute(select(Unit.id, Unit.name)).all()
    out = {name.strip(): unit_id for unit_id, name in rows}
    out.update({unit_id: unit_id for unit_id, _ in rows})  # an id wins over another unit's name
    return out


def _unit(value: str | None, units: dict[str, str]) -> str | None:
    """The unit id of a cell naming a unit by id or name (unknown: as written, refused later)."""
    return None if value is None else units.get(value.strip(), value)


def import_officers_sheet(
    session: Session, rows: list[dict[str, str]], user: User | None = None
) -> ImportResult:
    """Create or update the officers of the sheet; a `group` (执勤组) cell puts the officer in that
    duty group (by id, or by name in the officer's home unit, else a new group of that unit named
    so, id `unit-name`), out of any other; an empty cell leaves the officer's group as it is."""
    problems: list[ErrorDetail] = []
    bodies: list[tuple[int, s.OfficerCreate]] = []
    by_name = unit_ids(session)
    for n, row in enumerate(rows, start=2):
        data: dict[str, Any] = {
            "id": row.get("id"),
            "name": row.get("name"),
            "unit": _unit(row.get("unit"), by_name),
        }
        if row.get("serves"):
            data["serves"] = [_unit(u, by_name) for u in _split(row["serves"])]
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
    groups: list[tuple[str, str, tuple[str, str] | None]] = []
    for n, body in bodies:
        value = rows[n - 2].get("group")
        if not value or any(p.path.startswith(f"row {n}.") for p in problems):
            continue
        try:
            group_id, new_name = group_service.sheet_group(session, value, body.unit, body.serves or [])
        except ValueError as exc:
            problems.append(ErrorDetail(f"row {n}.group", str(exc), body.id))
            continue
        new = None if new_name is None else (body.unit, new_name)
        groups.append((body.id, group_id, new))
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
            officer_service.create_officer(session, body)
        else:
            update = s.OfficerUpdate(
                name=body.name, unit=body.unit, serves=body.serves or [body.unit], skills=body.skills
            )
            officer_service.update_officer(session, existing, update)
            result.updated.append(f"officer {body.id}")
    for officer_id, group_id, new in groups:
        if new is not None and session.get(DutyGroup, group_id) is None:
            result.added.append(f"group {group_id}")
        group_service.join_group(session, officer_id, group_id, new, user)
    return result


def import_posts_sheet(session: Session, rows: list[dict[str, str]]) -> ImportResult:
    problems: list[ErrorDetail] = []
    posts: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    by_name = unit_ids(session)
    for n, row in enumerate(rows, start=2):
        if "unit" in row:
            row = {**row, "unit": str(_unit(row["unit"], by_name))}
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
            for skill in c.skills:  # a skill named here is created: it must be a valid id
                try:
                    _ID.validate_python(skill)
                except ValidationError as exc:
                    reason = exc.errors()[0]["msg"]
                    problems.append(
                        ErrorDetail(f"row {row_no}.skills", f"invalid skill id: {reason}", body.id)
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
            post_service.create_post(session, body)
        else:
            update = s.PostUpdate(
                name=body.name, kind=body.kind, unit=body.unit, priority=body.priority, coverage=body.coverage
            )
            post_service.update_post(session, existing, update)
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


def import_unavailability_sheet(session: Session, rows: list[dict[str, str]], user: User) -> ImportResult:
    """Leave, sickness or training spans, one a row (officer, start, end, reason), recorded as the
    officers' unavailability (as `POST /officers/{id}/unavailability`; published rosters are not
    re-planned: a leave change request does that). A span already recorded is not added twice."""
    problems: list[ErrorDetail] = []
    spans: list[tuple[Officer, s.UnavailabilityCreate]] = []
    for n, row in enumerate(rows, start=2):
        officer_id = row.get("officer", "")
        officer = session.get(Officer, officer_id) if officer_id else None
        if officer is None:
            why = f"unknown officer {officer_id!r}" if officer_id else "missing officer"
            problems.append(ErrorDetail(f"row {n}.officer", why, officer_id or None))
        data = {"start": row.get("start"), "end": row.get("end"), "reason": row.get("reason", "")}
        body = _validate(s.UnavailabilityCreate, data, n, problems)
        if officer is not None and body is not None:
            spans.append((officer, body))
    if problems:
        raise InvalidInput(f"the unavailability sheet has {len(problems)} error(s)", problems)
    ensure_manages(user, sorted({o.unit_id for o, _ in spans}), "record unavailability")
    result = ImportResult()
    for officer, body in spans:
        known = session.scalar(
            select(Unavailability.id).where(
                Unavailability.officer_id == officer.id,
                Unavailability.start == body.start,
                Unavailability.end == body.end,
            )
        )
        if known is None:
            officer_service.add_unavailability(session, officer, body, user)
            result.unavailability += 1
            result.added.append(f"unavailability {officer.id} {body.start.isoformat(timespec='minutes')}")
    return result
