"""The value types of the scenario format: dates, date-times, times, zones, day tokens and ids.

Each parser raises `ValueError` in the format's own words; the annotated types below wrap them for
the pydantic document models, with the JSON Schema each value has in the published schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, StrictInt, StrictStr, WithJsonSchema

from solver.domain import WEEKDAY_TOKENS
from solver.io.limits import INT_MAX, DocId, DocName

T = TypeVar("T")

MAX_HORIZON_DAYS = 366
# Dates a scenario may use: every duty, day and span must have a real instant that Python can
# represent, whatever the zone's offset and however long the duty, so years 1 and 9999 are left out.
FIRST_DATE = date(2, 1, 1)
LAST_DATE = date(9998, 12, 31)


def _parsed(value: str, pattern: str, expected: str, invalid: str, parse: Callable[[str], T]) -> T:
    """`parse(value)` once `value` has the format's shape; each failure in the format's own words."""
    if not re.fullmatch(pattern, value):
        raise ValueError(f"expected {expected}, got {value!r}")
    try:
        return parse(value)
    except ValueError:
        raise ValueError(f"{invalid}: {value!r}") from None


def parse_date(value: str) -> date:
    day = _parsed(value, r"\d{4}-\d{2}-\d{2}", "a date YYYY-MM-DD", "not a calendar date", date.fromisoformat)
    check_range(day)
    return day


def parse_datetime(value: str) -> datetime:
    moment = _parsed(
        value,
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}",
        "a date-time YYYY-MM-DDTHH:MM",
        "not a valid date-time",
        datetime.fromisoformat,
    )
    check_range(moment.date())
    return moment


def check_range(day: date) -> None:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(f"{day} is outside the supported dates {FIRST_DATE}..{LAST_DATE}")


def parse_time(value: str) -> time:
    return _parsed(
        value, r"\d{2}:\d{2}", "a time HH:MM", "not a valid time of day (00:00-23:59)", time.fromisoformat
    )


def parse_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory such as "America"
        raise ValueError(f"unknown IANA time zone {value!r}") from None
    return value


def parse_day_token(value: str) -> str:
    if value in WEEKDAY_TOKENS:
        return value
    try:
        parse_date(value)
    except ValueError:
        raise ValueError(f"expected mon..sun or a date YYYY-MM-DD, got {value!r}") from None
    return value


Id = DocId
Name = DocName
DateValue = Annotated[
    StrictStr,
    AfterValidator(parse_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
DateTimeValue = Annotated[
    StrictStr,
    AfterValidator(parse_datetime),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$"}),
]
TimeValue = Annotated[
    StrictStr,
    AfterValidator(parse_time),
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}$"}),
]
DayToken = Annotated[
    StrictStr,
    AfterValidator(parse_day_token),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(mon|tue|wed|thu|fri|sat|sun|\d{4}-\d{2}-\d{2})$",
        }
    ),
]
ZoneValue = Annotated[StrictStr, AfterValidator(parse_zone)]
NonNegative = Annotated[StrictInt, Field(ge=0, le=INT_MAX)]
