"""The checks of a scenario document that span objects: declared ids, references between objects,
duplicates, coverage overlaps, limits, history dates and pinned duties.

They run on the raw parsed JSON, next to the document models and whatever those found, so that one
load reports every error in the document; values the document models reject are skipped here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from solver.domain import WEEKDAY_TOKENS
from solver.io.errors import FormatError
from solver.io.groups import group_errors
from solver.io.values import (
    LAST_DATE,
    MAX_HORIZON_DAYS,
    parse_date,
    parse_datetime,
    parse_day_token,
    parse_time,
)
from solver.timeline import to_instant

T = TypeVar("T")


def _items(container: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, object) for each object in container[key], skipping what is not a list of objects."""
    items = container.get(key) if isinstance(container, dict) else None
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def _spans(officer: dict[str, Any]) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(list, index, span) for each span an officer is away: `unavailable`, then `busy`."""
    for key in ("unavailable", "busy"):
        for k, span in _items(officer, key):
            yield key, k, span


def _str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) and value else None


def _parsed(parse: Callable[[str], T], value: Any) -> T | None:
    """`parse(value)`, or None for a value of the wrong type or form (the document models say why)."""
    if not isinstance(value, str):
        return None
    try:
        return parse(value)
    except ValueError:
        return None


def _date(value: Any) -> date | None:
    return _parsed(parse_date, value)


def _datetime(value: Any) -> datetime | None:
    return _parsed(parse_datetime, value)


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


def reference_errors(raw: dict[str, Any]) -> list[FormatError]:
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
    errors.extend(group_errors(raw, start if dates else None, len(dates) or None))
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
            tokens.add(parse_day_token(token))
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
        for listed, k, span in _spans(off):
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
                        f"{path}.{listed}[{k}].end",
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
        begin_local = datetime.combine(day, parse_time(shift["start"]))
    except (KeyError, TypeError, ValueError):
        return
    minutes = shift.get("minutes")
    if type(minutes) is not int:
        return
    begin = to_instant(begin_local, zone)
    end = begin + timedelta(minutes=minutes)
    for listed, s, span in _spans(officer):
        s_begin, s_end = _datetime(span.get("start")), _datetime(span.get("end"))
        if s_begin is None or s_end is None:
            continue
        if begin < to_instant(s_end, zone) and to_instant(s_begin, zone) < end:
            state = "unavailable" if listed == "unavailable" else "busy elsewhere"
            refs.errors.append(
                FormatError(
                    path,
                    f"officer {oid!r} is {state} during this duty ({listed}[{s}] "
                    f"{span['start']}..{span['end']})",
                    oid,
                )
            )
