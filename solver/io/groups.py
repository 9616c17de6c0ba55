"""The checks of the version-2 fields of duty groups, owed rest and post locations that span objects:
group ids, members (known officers, at most one group each), pattern shifts, owed rest that the
horizon cannot hold.

Like `solver.io.references`, they run on the raw parsed JSON and skip values the document models
already reject, so that one load reports every error.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from solver.io.errors import FormatError
from solver.io.values import parse_date


def _items(container: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
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
        return parse_date(value)
    except ValueError:
        return None


def _ids(raw: dict[str, Any], key: str) -> set[str]:
    return {ident for _, item in _items(raw, key) if (ident := _str(item, "id")) is not None}


def group_errors(raw: dict[str, Any], start: date | None, days: int | None) -> list[FormatError]:
    """Every error of the groups and owed rest of a scenario document (the version check of every
    version-2 field is `solver.io.v2.version_errors`)."""
    errors: list[FormatError] = []
    _check_groups(raw, errors)
    _check_owed_rest(raw, start, days, errors)
    return errors


def _check_groups(raw: dict[str, Any], errors: list[FormatError]) -> None:
    officers = _ids(raw, "officers")
    shifts = _ids(raw, "shift_types")
    first_id: dict[str, int] = {}
    member_of: dict[str, tuple[str, str]] = {}  # officer -> (group id, path of first listing)
    for i, group in _items(raw, "groups"):
        path = f"groups[{i}]"
        gid = _str(group, "id")
        if gid is not None:
            if gid in first_id:
                errors.append(
                    FormatError(f"{path}.id", f"duplicate group id (first at groups[{first_id[gid]}])", gid)
                )
            else:
                first_id[gid] = i
        members = group.get("members")
        for k, member in enumerate(members) if isinstance(members, list) else ():
            if not isinstance(member, str) or not member:
                continue  # a shape error, reported by the document models
            where = f"{path}.members[{k}]"
            if member not in officers:
                errors.append(FormatError(where, f"unknown officer {member!r}", gid))
                continue
            if member in member_of:
                other, first = member_of[member]
                same = other == gid
                message = (
                    f"officer {member!r} is listed twice in this group (first at {first})"
                    if same
                    else f"officer {member!r} is already a member of group {other!r} ({first}); "
                    "an officer is a member of at most one group"
                )
                errors.append(FormatError(where, message, member))
            else:
                member_of[member] = (gid or "", where)
        pattern = group.get("pattern")
        if isinstance(pattern, dict):
            days = pattern.get("days")
            for k, shift in enumerate(days) if isinstance(days, list) else ():
                if isinstance(shift, str) and shift and shift not in shifts:
                    errors.append(
                        FormatError(f"{path}.pattern.days[{k}]", f"unknown shift type {shift!r}", gid)
                    )


def _check_owed_rest(
    raw: dict[str, Any], start: date | None, days: int | None, errors: list[FormatError]
) -> None:
    if start is None or days is None:
        return
    last = start + timedelta(days=days - 1)
    for i, off in _items(raw, "officers"):
        oid = _str(off, "id")
        for k, entry in _items(off, "owed_rest"):
            need, by = entry.get("days"), _date(entry.get("by"))
            if type(need) is not int or need < 1 or by is None or by < start:
                continue  # a shape error, or an entry before the horizon (ignored)
            dates = (min(by, last) - start).days + 1
            if need > dates:
                errors.append(
                    FormatError(
                        f"officers[{i}].owed_rest[{k}].days",
                        f"officer {oid!r} is owed {need} day(s) off by {by}, but the horizon has only "
                        f"{dates} date(s) up to then",
                        oid,
                    )
                )
