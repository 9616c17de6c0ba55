"""Value types and base classes shared by every API schema (one family per resource: `XCreate`,
`XUpdate`, `XRead`)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from solver.io import limits

# The one set of limits (solver.io.limits): the same ids, names and integers as the scenario loader.
Id = Annotated[
    str,
    Field(min_length=1, max_length=limits.ID_LENGTH, json_schema_extra={"pattern": limits.ID_PATTERN}),
    AfterValidator(limits.check_id),
]
Name = Annotated[str, Field(min_length=1, max_length=limits.NAME_LENGTH), AfterValidator(limits.check_name)]
Text = Annotated[str, Field(max_length=limits.TEXT_LENGTH)]
"""Free text stored in a column (a reason): at most TEXT_LENGTH characters."""
RowId = Annotated[int, Path(ge=1, le=limits.INT_MAX, description="a row id")]
"""A row id in a path: 1..2^31 - 1 (a larger one is no row; 422 rather than a database error)."""


def _utc_text(moment: datetime) -> str:
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat()


UtcDateTime = Annotated[
    datetime,
    PlainSerializer(_utc_text, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2026-12-01T20:04:13+00:00"]}),
]
"""A timestamp (the columns hold naive UTC): written with its offset, `+00:00`."""
LocalDateTime = Annotated[
    datetime,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$",
            "description": "local wall-clock time in the detachment's time zone, no offset",
            "examples": ["2021-11-10T08:00:00"],
        },
        mode="serialization",
    ),
]
"""A local wall-clock time (not an instant): as entered, without an offset."""

ClockTime = Annotated[
    time,
    AfterValidator(lambda t: t.replace(second=0, microsecond=0)),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
    Field(examples=["08:00"]),
]


def literal_of(values: type[StrEnum]) -> Any:
    """`Literal[...]` of the enum's values, in order: an enum of strings in the OpenAPI document, as
    if typed out. Use it under `if not TYPE_CHECKING` (to mypy the name is `str`)."""
    return Literal[tuple(v.value for v in values)]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReadSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True)
