"""Shared value types and the page envelope."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints

T = TypeVar("T")

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


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
