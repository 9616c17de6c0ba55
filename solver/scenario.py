"""Scenario-format v1 (docs/scenario-format.md) to and from the domain.

Loading happens in two passes over the same raw JSON, and both always run, so that one call
reports every error in the document, not just the first:

1. the pydantic document models below check each value's shape (types, ranges, formats,
   unknown fields); they are also the source of the JSON Schema (`roster schema`);
2. `_reference_errors` checks what spans objects (ids, references, duplicates, coverage
   overlaps, history dates, pinned duties) on the raw data, skipping values that pass 1 already
   rejected.

Only a document without any error becomes a domain `Scenario`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    WithJsonSchema,
)

from solver.domain import (
    WEEKDAY_TOKENS,
    Assignment,
    Coverage,
    Duty,
    Officer,
    Post,
    PostKind,
    Request,
    RequestKind,
    Scenario,
    ShiftType,
    Skill,
    Span,
    Unit,
    Weights,
    WorkRules,
    frozen_map,
)
from solver.timeline import to_instant

MAX_HORIZON_DAYS = 366
# Dates a scenario may use: every duty, day and span must have a real instant that Python can
# represent, whatever the zone's offset and however long the duty, so years 1 and 9999 are left out.
FIRST_DATE = date(2, 1, 1)
LAST_DATE = date(9998, 12, 31)


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class FormatError:
    """One problem in an input document: where (field path), what, and the id of the object."""

    path: str
    message: str
    id: str | None = None

    def __str__(self) -> str:
        where = self.path or "(document)"
        owner = f" [id {self.id!r}]" if self.id is not None else ""
        return f"{where}: {self.message}{owner}"


class InvalidDocument(ValueError):
    """The document is not valid input; `errors` lists every problem found."""

    def __init__(self, errors: list[FormatError], what: str = "scenario") -> None:
        self.errors = errors
        self.what = what
        super().__init__(f"invalid {what}: {len(errors)} error(s)\n" + "\n".join(map(str, errors)))


# --------------------------------------------------------------------------- value types


def _parse_date(value: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a calendar date: {value!r}") from None
    _check_range(day)
    return day


def _parse_datetime(value: str) -> datetime:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", value):
        raise ValueError(f"expected a date-time YYYY-MM-DDTHH:MM, got {value!r}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a valid date-time: {value!r}") from None
    _check_range(moment.date())
    return moment


def _check_range(day: date) -> None:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(f"{day} is outside the supported dates {FIRST_DATE}..{LAST_DATE}")


def _parse_time(value: str) -> time:
    if not re.fullmatch(r"\d{2}:\d{2}", value):
        raise ValueError(f"expected a time HH:MM, got {value!r}")
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a valid time of day (00:00-23:59): {value!r}") from None


def _parse_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory such as "America"
        raise ValueError(f"unknown IANA time zone {value!r}") from None
    return value


def _parse_day_token(value: str) -> str:
    if value in WEEKDAY_TOKENS:
        return value
    try:
        _parse_date(value)
    except ValueError:
        raise ValueError(f"expected mon..sun or a date YYYY-MM-DD, got {value!r}") from None
    return value


Id = Annotated[StrictStr, Field(min_length=1)]
Name = StrictStr
DateValue = Annotated[
    StrictStr,
    AfterValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
DateTimeValue = Annotated[
    StrictStr,
    AfterValidator(_parse_datetime),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$"}),
]
TimeValue = Annotated[
    StrictStr,
    AfterValidator(_parse_time),
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}$"}),
]
DayToken = Annotated[
    StrictStr,
    AfterValidator(_parse_day_token),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(mon|tue|wed|thu|fri|sat|sun|\d{4}-\d{2}-\d{2})$",
        }
    ),
]
NonNegative = Annotated[StrictInt, Field(ge=0)]


# --------------------------------------------------------------------------- document models


def _omittable(**kwargs: Any) -> Any:
    """A field `x: T = _omittable()` may be omitted (then it is None) but not be null: pydantic does
    not validate defaults, and null is no T. The spec allows null nowhere but in coverage `days`."""
    return Field(default=None, json_schema_extra=_no_default, **kwargs)


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HorizonDoc(_Doc):
    start: DateValue
    days: Annotated[StrictInt, Field(ge=1, le=MAX_HORIZON_DAYS)]


class ShiftTypeDoc(_Doc):
    id: Id
    name: Name
    start: TimeValue
    minutes: Annotated[StrictInt, Field(ge=1, le=1440, description="length; at most one day")]
    night: StrictBool = False


class UnitDoc(_Doc):
    id: Id
    name: Name


class SkillDoc(_Doc):
    id: Id
    name: Name


class CoverageDoc(_Doc):
    shift: Id
    min: NonNegative
    # `max` ≥ `min` and `skills[k]` ≤ `max` are checked by `_check_posts`, to name the exact field.
    max: NonNegative = _omittable(description="defaults to min")
    skills: dict[Id, Annotated[StrictInt, Field(ge=1)]] = Field(default_factory=dict)
    days: list[DayToken] | None = None


class PostDoc(_Doc):
    id: Id
    name: Name
    kind: Literal[
        "checkpoint", "intersection", "hospital", "isolation_site", "supply_depot", "patrol", "other"
    ]
    unit: Id
    priority: Annotated[StrictInt, Field(ge=1, le=100)] = 1
    coverage: list[CoverageDoc]


class SpanDoc(_Doc):
    start: DateTimeValue
    end: DateTimeValue
    reason: StrictStr = ""


class RequestDoc(_Doc):
    kind: Literal["day_off", "shift_off", "shift_on"]
    date: DateValue
    # Required for shift_* and forbidden for day_off: checked by `_check_officers`, so that the
    # request's other fields are still validated.
    shift: Id | None = None
    weight: Annotated[StrictInt, Field(ge=1)]


class DutyDoc(_Doc):
    shift: Id
    date: DateValue


class WeightsDoc(_Doc):
    shortfall: NonNegative = _omittable()
    request: NonNegative = _omittable()
    fair_duties: NonNegative = _omittable()
    fair_nights: NonNegative = _omittable()
    continuity: NonNegative = _omittable()
    change: NonNegative = _omittable()


class OfficerRulesDoc(_Doc):
    min_rest_minutes: NonNegative = _omittable()
    max_minutes_per_7_days: NonNegative = _omittable()
    min_days_off_per_7_days: Annotated[StrictInt, Field(ge=0, le=7)] = _omittable()
    max_consecutive_days: NonNegative = _omittable()
    max_consecutive_nights: NonNegative = _omittable()


class RulesDoc(OfficerRulesDoc):
    weights: WeightsDoc = Field(default_factory=WeightsDoc)


class OfficerDoc(_Doc):
    id: Id
    name: Name
    unit: Id
    serves: list[Id] = _omittable(description="defaults to [unit]")
    skills: list[Id] = Field(default_factory=list)
    unavailable: list[SpanDoc] = Field(default_factory=list)
    requests: list[RequestDoc] = Field(default_factory=list)
    history: list[DutyDoc] = Field(default_factory=list)
    rules: OfficerRulesDoc = Field(default_factory=OfficerRulesDoc)


class AssignmentDoc(_Doc):
    officer: Id
    post: Id
    shift: Id
    date: DateValue


class ScenarioDoc(_Doc):
    """A scenario-format v1 document."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Duty-roster scenario, format v1",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    name: Name
    timezone: Annotated[StrictStr, AfterValidator(_parse_zone)] = "Asia/Shanghai"
    horizon: HorizonDoc
    shift_types: list[ShiftTypeDoc]
    units: list[UnitDoc]
    skills: list[SkillDoc] = _omittable(description="absent: no catalogue check")
    posts: list[PostDoc]
    officers: list[OfficerDoc]
    rules: RulesDoc = Field(default_factory=RulesDoc)
    pinned: list[AssignmentDoc] = Field(default_factory=list)
    baseline: list[AssignmentDoc] = Field(default_factory=list)
    frozen_until: DateTimeValue | None = Field(
        default=None,
        description="optional extension: no duty may start before this local time unless it is pinned",
    )


def scenario_json_schema() -> dict[str, Any]:
    return ScenarioDoc.model_json_schema()


# --------------------------------------------------------------------------- paths and raw access


def format_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def owner_id(raw: Any, loc: tuple[int | str, ...]) -> str | None:
    """The id of the innermost object on `loc` that has a string id (the offending object)."""
    found = None
    node = raw
    for part in loc:
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        found = node["id"]
    return found


def pydantic_errors(exc: ValidationError, raw: Any) -> list[FormatError]:
    errors = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        message = _friendly(err)
        if loc[-2:-1] and loc[-1] == "[key]":  # a bad key of an object: name the object, then the key
            message = f"key {json.dumps(loc[-2], ensure_ascii=False)}: {message}"
            loc = loc[:-2]
        errors.append(FormatError(format_path(loc), message, owner_id(raw, loc)))
    return errors


def _friendly(err: Any) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind in ("int_type", "int_from_float", "int_parsing"):
        return f"expected an integer, got {json.dumps(value, ensure_ascii=False)}"
    if kind == "string_type":
        return f"expected a string, got {json.dumps(value, ensure_ascii=False)}"
    if kind == "bool_type":
        return f"expected true or false, got {json.dumps(value, ensure_ascii=False)}"
    if kind in ("list_type", "dict_type", "model_type"):
        expected = {"list_type": "a list", "dict_type": "an object", "model_type": "an object"}[kind]
        return f"expected {expected}, got {json.dumps(value, ensure_ascii=False)[:60]}"
    message: str = err["msg"]
    return message.removeprefix("Value error, ")


def _items(container: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, object) for each object in container[key], skipping what is not a list of objects."""
    items = container.get(key) if isinstance(container, dict) else None
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def _str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) and value else None


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return _parse_date(value)
    except ValueError:
        return None


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return _parse_datetime(value)
    except ValueError:
        return None


# --------------------------------------------------------------------------- cross-object checks


class _Refs:
    """The ids a document declares, and helpers to check references against them."""

    def __init__(self, raw: dict[str, Any], errors: list[FormatError]) -> None:
        self.errors = errors
        self.shifts = self._declare(raw, "shift_types", "shift type")
        self.units = self._declare(raw, "units", "unit")
        self.skills: dict[str, int] | None = (
            self._declare(raw, "skills", "skill") if isinstance(raw.get("skills"), list) else None
        )
        self.posts = self._declare(raw, "posts", "post")
        self.officers = self._declare(raw, "officers", "officer")

    def _declare(self, raw: dict[str, Any], key: str, kind: str) -> dict[str, int]:
        seen: dict[str, int] = {}
        for i, item in _items(raw, key):
            ident = _str(item, "id")
            if ident is None:
                continue
            if ident in seen:
                self.errors.append(
                    FormatError(
                        f"{key}[{i}].id", f"duplicate {kind} id (first at {key}[{seen[ident]}])", ident
                    )
                )
            else:
                seen[ident] = i
        return seen

    def check(
        self, value: Any, known: dict[str, int] | None, kind: str, path: str, owner: str | None
    ) -> bool:
        """Report `value` if it is a string naming no declared `kind`; True when it resolves."""
        if not isinstance(value, str) or not value:
            return False  # a shape error, reported by the document models
        if known is None or value in known:
            return True
        self.errors.append(FormatError(path, f"unknown {kind} {value!r}", owner))
        return False


def _reference_errors(raw: dict[str, Any]) -> list[FormatError]:
    errors: list[FormatError] = []
    refs = _Refs(raw, errors)
    zone = _zone(raw.get("timezone", "Asia/Shanghai"))
    horizon: dict[str, Any] = raw["horizon"] if isinstance(raw.get("horizon"), dict) else {}
    start = _date(horizon.get("start"))
    days = horizon.get("days")
    dates: list[date] = []
    if start is not None and type(days) is int and 1 <= days <= MAX_HORIZON_DAYS:
        if start + timedelta(days=days - 1) > LAST_DATE:
            message = f"the horizon runs past {LAST_DATE}, the last supported date"
            errors.append(FormatError("horizon.days", message))
        else:
            dates = [start + timedelta(days=i) for i in range(days)]

    coverage_days = _check_posts(raw, refs, dates)
    _check_officers(raw, refs, zone, start)
    _check_pinned(raw, refs, zone, dates, coverage_days)
    return errors


def _zone(value: Any) -> ZoneInfo | None:
    try:
        return ZoneInfo(value) if isinstance(value, str) else None
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _selected(days_value: Any, dates: list[date]) -> set[date] | None:
    """Horizon dates a coverage `days` value selects; None when the value is malformed."""
    if days_value is None:
        return set(dates)
    if not isinstance(days_value, list):
        return None
    tokens = set()
    for token in days_value:
        if not isinstance(token, str):
            return None
        try:
            tokens.add(_parse_day_token(token))
        except ValueError:
            return None
    return {d for d in dates if WEEKDAY_TOKENS[d.weekday()] in tokens or d.isoformat() in tokens}


def _check_posts(raw: dict[str, Any], refs: _Refs, dates: list[date]) -> dict[tuple[str, str], set[date]]:
    """Check posts; return the horizon dates each (post, shift) has a slot on."""
    slots: dict[tuple[str, str], set[date]] = {}
    for i, post in _items(raw, "posts"):
        pid = _str(post, "id")
        refs.check(post.get("unit"), refs.units, "unit", f"posts[{i}].unit", pid)
        first_entry: dict[tuple[str, date], int] = {}
        for j, cov in _items(post, "coverage"):
            path = f"posts[{i}].coverage[{j}]"
            shift_ok = refs.check(cov.get("shift"), refs.shifts, "shift type", f"{path}.shift", pid)
            skills = cov.get("skills")
            if isinstance(skills, dict):
                for skill in skills:
                    refs.check(skill, refs.skills, "skill", f"{path}.skills.{skill}", pid)
            _check_limits(cov, path, pid, refs.errors)
            selected = _selected(cov.get("days"), dates)
            if not shift_ok or selected is None or pid is None:
                continue
            shift = cov["shift"]
            slots.setdefault((pid, shift), set()).update(selected)
            clashes = sorted(d for d in selected if (shift, d) in first_entry)
            if clashes:
                other = first_entry[(shift, clashes[0])]
                shown = ", ".join(d.isoformat() for d in clashes[:3]) + (" ..." if len(clashes) > 3 else "")
                errors_path = f"{path}.days"
                refs.errors.append(
                    FormatError(
                        errors_path,
                        f"coverage of shift {shift!r} on {shown} is already given by "
                        f"posts[{i}].coverage[{other}]",
                        pid,
                    )
                )
            for d in selected:
                first_entry.setdefault((shift, d), j)
    return slots


def _check_limits(cov: dict[str, Any], path: str, pid: str | None, errors: list[FormatError]) -> None:
    """`max` ≥ `min` (`max` defaults to `min`) and `skills[k]` ≤ `max`, for values of the right type."""

    def count(value: Any) -> int | None:
        return value if type(value) is int and value >= 0 else None

    low = count(cov.get("min"))
    top = count(cov.get("max")) if "max" in cov else low
    if low is None or top is None:
        return
    if top < low:
        errors.append(FormatError(f"{path}.max", f"max ({top}) is less than min ({low})", pid))
    skills = cov.get("skills")
    for skill, need in skills.items() if isinstance(skills, dict) else ():
        if type(need) is int and need > top:
            errors.append(FormatError(f"{path}.skills.{skill}", f"needs {need}, more than max ({top})", pid))


def _check_officers(raw: dict[str, Any], refs: _Refs, zone: ZoneInfo | None, start: date | None) -> None:
    for i, off in _items(raw, "officers"):
        oid = _str(off, "id")
        path = f"officers[{i}]"
        refs.check(off.get("unit"), refs.units, "unit", f"{path}.unit", oid)
        serves = off.get("serves")
        if isinstance(serves, list):
            for k, unit in enumerate(serves):
                refs.check(unit, refs.units, "unit", f"{path}.serves[{k}]", oid)
        skills = off.get("skills")
        if isinstance(skills, list):
            for k, skill in enumerate(skills):
                refs.check(skill, refs.skills, "skill", f"{path}.skills[{k}]", oid)
        for k, span in _items(off, "unavailable"):
            begin, end = _datetime(span.get("start")), _datetime(span.get("end"))
            if begin is None or end is None:
                continue
            if zone is not None:
                later = to_instant(end, zone) > to_instant(begin, zone)
            else:
                later = end > begin
            if not later:
                refs.errors.append(
                    FormatError(
                        f"{path}.unavailable[{k}].end",
                        f"ends ({span['end']}) before or when it starts ({span['start']})",
                        oid,
                    )
                )
        for k, req in _items(off, "requests"):
            kind, where = req.get("kind"), f"{path}.requests[{k}].shift"
            if kind == "day_off" and "shift" in req:
                refs.errors.append(FormatError(where, "a day_off request must not name a shift", oid))
            elif kind in ("shift_off", "shift_on") and req.get("shift") is None:
                refs.errors.append(FormatError(where, f"a {kind} request needs a shift", oid))
            elif req.get("shift") is not None:
                refs.check(req.get("shift"), refs.shifts, "shift type", where, oid)
        seen: dict[tuple[Any, Any], int] = {}
        for k, duty in _items(off, "history"):
            refs.check(duty.get("shift"), refs.shifts, "shift type", f"{path}.history[{k}].shift", oid)
            day = _date(duty.get("date"))
            if day is not None and start is not None and day >= start:
                refs.errors.append(
                    FormatError(
                        f"{path}.history[{k}].date",
                        f"history duty on {day} is not before the horizon start {start}",
                        oid,
                    )
                )
            key = (duty.get("shift"), duty.get("date"))
            if isinstance(key[0], str) and isinstance(key[1], str):
                if key in seen:
                    refs.errors.append(
                        FormatError(
                            f"{path}.history[{k}]",
                            f"duplicate history duty {key[0]} on {key[1]} (first at history[{seen[key]}])",
                            oid,
                        )
                    )
                else:
                    seen[key] = k


def _check_pinned(
    raw: dict[str, Any],
    refs: _Refs,
    zone: ZoneInfo | None,
    dates: list[date],
    slots: dict[tuple[str, str], set[date]],
) -> None:
    posts = {p["id"]: p for _, p in _items(raw, "posts") if _str(p, "id")}
    officers = {o["id"]: o for _, o in _items(raw, "officers") if _str(o, "id")}
    shifts = {s["id"]: s for _, s in _items(raw, "shift_types") if _str(s, "id")}
    for k, pin in _items(raw, "pinned"):
        path = f"pinned[{k}]"
        oid = _str(pin, "officer")
        ok = refs.check(pin.get("officer"), refs.officers, "officer", f"{path}.officer", oid)
        ok &= refs.check(pin.get("post"), refs.posts, "post", f"{path}.post", oid)
        ok &= refs.check(pin.get("shift"), refs.shifts, "shift type", f"{path}.shift", oid)
        day = _date(pin.get("date"))
        if not ok or day is None or not dates:
            continue
        post, officer, shift_id = posts[pin["post"]], officers[oid or ""], pin["shift"]
        if day not in dates:
            refs.errors.append(FormatError(f"{path}.date", f"{day} is outside the horizon", oid))
            continue
        if day not in slots.get((post["id"], shift_id), set()):
            refs.errors.append(
                FormatError(path, f"post {post['id']!r} has no {shift_id!r} slot on {day}", oid)
            )
        serves = officer.get("serves", [officer.get("unit")])
        if isinstance(serves, list) and post.get("unit") not in serves:
            refs.errors.append(
                FormatError(
                    path,
                    f"officer {oid!r} does not serve unit {post.get('unit')!r} of post {post['id']!r}",
                    oid,
                )
            )
        _check_pin_availability(refs, path, oid, officer, shifts.get(shift_id), day, zone)


def _check_pin_availability(
    refs: _Refs,
    path: str,
    oid: str | None,
    officer: dict[str, Any],
    shift: dict[str, Any] | None,
    day: date,
    zone: ZoneInfo | None,
) -> None:
    if zone is None or shift is None:
        return
    try:
        begin_local = datetime.combine(day, _parse_time(shift["start"]))
    except (KeyError, TypeError, ValueError):
        return
    minutes = shift.get("minutes")
    if type(minutes) is not int:
        return
    begin = to_instant(begin_local, zone)
    end = begin + timedelta(minutes=minutes)
    for s, span in _items(officer, "unavailable"):
        s_begin, s_end = _datetime(span.get("start")), _datetime(span.get("end"))
        if s_begin is None or s_end is None:
            continue
        if begin < to_instant(s_end, zone) and to_instant(s_begin, zone) < end:
            refs.errors.append(
                FormatError(
                    path,
                    f"officer {oid!r} is unavailable during this duty (unavailable[{s}] "
                    f"{span['start']}..{span['end']})",
                    oid,
                )
            )


# --------------------------------------------------------------------------- load


def parse_json(text: str | bytes, what: str = "scenario") -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidDocument(
            [FormatError("", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")], what
        ) from None
    except UnicodeDecodeError:
        raise InvalidDocument([FormatError("", "not UTF-8 text")], what) from None


def read_document(path: str | Path, what: str = "scenario") -> Any:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidDocument([FormatError("", f"cannot read {path}: {exc.strerror}")], what) from None
    return parse_json(data, what)


def load_scenario(path: str | Path) -> Scenario:
    return scenario_from_dict(read_document(path))


def scenario_from_dict(raw: Any) -> Scenario:
    """Validate a parsed scenario document and build the domain scenario, or raise InvalidDocument."""
    if not isinstance(raw, dict):
        raise InvalidDocument([FormatError("", f"expected a JSON object, got {type(raw).__name__}")])
    errors: list[FormatError] = []
    doc: ScenarioDoc | None = None
    try:
        doc = ScenarioDoc.model_validate(raw)
    except ValidationError as exc:
        errors.extend(pydantic_errors(exc, raw))
    errors.extend(_reference_errors(raw))
    if errors or doc is None:
        raise InvalidDocument(_ordered(errors))
    return _to_domain(doc)


def _ordered(errors: list[FormatError]) -> list[FormatError]:
    """Errors in document order (paths compared with their indices as numbers), without repeats."""

    def key(err: FormatError) -> list[tuple[int, int | str]]:
        parts = re.findall(r"[^.\[\]]+", err.path)
        return [(0, int(p)) if p.isdigit() else (1, p) for p in parts]

    unique = list(dict.fromkeys(errors))
    return sorted(unique, key=key)


def _to_domain(doc: ScenarioDoc) -> Scenario:
    weights = {k: v for k, v in doc.rules.weights.model_dump().items() if v is not None}
    work = {k: v for k, v in doc.rules.model_dump(exclude={"weights"}).items() if v is not None}
    return Scenario(
        name=doc.name,
        timezone=doc.timezone,
        start=doc.horizon.start,  # type: ignore[arg-type]
        days=doc.horizon.days,
        shift_types=tuple(
            ShiftType(s.id, s.name, s.start, s.minutes, s.night)  # type: ignore[arg-type]
            for s in doc.shift_types
        ),
        units=tuple(Unit(u.id, u.name) for u in doc.units),
        skills=None if doc.skills is None else tuple(Skill(s.id, s.name) for s in doc.skills),
        posts=tuple(
            Post(
                id=p.id,
                name=p.name,
                kind=PostKind(p.kind),
                unit=p.unit,
                priority=p.priority,
                coverage=tuple(
                    Coverage(
                        shift=c.shift,
                        min=c.min,
                        max=c.min if c.max is None else c.max,
                        skills=frozen_map(c.skills),
                        days=None if c.days is None else tuple(c.days),
                    )
                    for c in p.coverage
                ),
            )
            for p in doc.posts
        ),
        officers=tuple(_officer(o) for o in doc.officers),
        rules=WorkRules(**work),
        weights=Weights(**weights),
        pinned=tuple(_assignment(a) for a in doc.pinned),
        baseline=tuple(_assignment(a) for a in doc.baseline),
        frozen_until=doc.frozen_until,  # type: ignore[arg-type]
    )


def _officer(o: OfficerDoc) -> Officer:
    return Officer(
        id=o.id,
        name=o.name,
        unit=o.unit,
        serves=tuple(dict.fromkeys([o.unit] if o.serves is None else o.serves)),
        skills=frozenset(o.skills),
        unavailable=tuple(Span(s.start, s.end, s.reason) for s in o.unavailable),  # type: ignore[arg-type]
        requests=tuple(
            Request(RequestKind(r.kind), r.date, r.weight, r.shift)  # type: ignore[arg-type]
            for r in o.requests
        ),
        history=tuple(Duty(h.shift, h.date) for h in o.history),  # type: ignore[arg-type]
        rule_overrides=frozen_map({k: v for k, v in o.rules.model_dump().items() if v is not None}),
    )


def _assignment(a: AssignmentDoc) -> Assignment:
    return Assignment(date=a.date, shift=a.shift, post=a.post, officer=a.officer)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- write


def _hhmm(t: time) -> str:
    return t.strftime("%H:%M")


def _local(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M")


def assignment_to_dict(a: Assignment) -> dict[str, str]:
    return {"officer": a.officer, "post": a.post, "shift": a.shift, "date": a.date.isoformat()}


def assignment_from_dict(data: dict[str, Any]) -> Assignment:
    """The inverse of `assignment_to_dict` (for documents already validated)."""
    return Assignment(date.fromisoformat(data["date"]), data["shift"], data["post"], data["officer"])


def scenario_to_dict(s: Scenario) -> dict[str, Any]:
    """The scenario as a format-v1 document (defaults written out, so the file stands alone)."""
    doc: dict[str, Any] = {
        "name": s.name,
        "timezone": s.timezone,
        "horizon": {"start": s.start.isoformat(), "days": s.days},
        "shift_types": [
            {"id": t.id, "name": t.name, "start": _hhmm(t.start), "minutes": t.minutes, "night": t.night}
            for t in s.shift_types
        ],
        "units": [{"id": u.id, "name": u.name} for u in s.units],
    }
    if s.skills is not None:
        doc["skills"] = [{"id": k.id, "name": k.name} for k in s.skills]
    doc["posts"] = [
        {
            "id": p.id,
            "name": p.name,
            "kind": p.kind.value,
            "unit": p.unit,
            "priority": p.priority,
            "coverage": [
                {
                    "shift": c.shift,
                    "min": c.min,
                    "max": c.max,
                    **({"skills": dict(c.skills)} if c.skills else {}),
                    **({"days": list(c.days)} if c.days is not None else {}),
                }
                for c in p.coverage
            ],
        }
        for p in s.posts
    ]
    doc["officers"] = [_officer_to_dict(o) for o in s.officers]
    doc["rules"] = {
        **{k: getattr(s.rules, k) for k in WorkRules.__dataclass_fields__},
        "weights": {k: getattr(s.weights, k) for k in Weights.__dataclass_fields__},
    }
    doc["pinned"] = [assignment_to_dict(a) for a in s.pinned]
    doc["baseline"] = [assignment_to_dict(a) for a in s.baseline]
    if s.frozen_until is not None:
        doc["frozen_until"] = _local(s.frozen_until)
    return doc


def _officer_to_dict(o: Officer) -> dict[str, Any]:
    out: dict[str, Any] = {"id": o.id, "name": o.name, "unit": o.unit, "serves": list(o.serves)}
    out["skills"] = sorted(o.skills)
    if o.unavailable:
        out["unavailable"] = [
            {"start": _local(u.start), "end": _local(u.end), **({"reason": u.reason} if u.reason else {})}
            for u in o.unavailable
        ]
    if o.requests:
        out["requests"] = [
            {
                "kind": r.kind.value,
                "date": r.date.isoformat(),
                **({"shift": r.shift} if r.shift is not None else {}),
                "weight": r.weight,
            }
            for r in o.requests
        ]
    if o.history:
        out["history"] = [{"shift": h.shift, "date": h.date.isoformat()} for h in o.history]
    if o.rule_overrides:
        out["rules"] = dict(o.rule_overrides)
    return out
