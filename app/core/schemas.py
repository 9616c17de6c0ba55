"""Value types and base classes shared by every API schema (one family per resource: `XCreate`,
`XUpdate`, `XRead`)."""

from __future__ import annotations

from datetime import time
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints

Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^/\s]([^/]*[^/\s])?$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


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
