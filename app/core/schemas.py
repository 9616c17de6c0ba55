"""Value types and base classes shared by every API schema (one family per resource: `XCreate`,
`XUpdate`, `XRead`)."""

from __future__ import annotations

from datetime import time
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints

Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^/\s]([^/]*[^/\s])?$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


ClockTime = Annotated[
    time,
    AfterValidator(lambda t: t.replace(second=0, microsecond=0)),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
    Field(examples=["08:00"]),
]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReadSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True)
