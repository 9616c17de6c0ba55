"""What a change request stores in its JSON columns, as typed models: validated when read
(`load`), dumped when written (`dump`), with the same JSON the columns have always held.

- `payload`: the request as submitted, its `ChangeCreate` body (`app.changes.schemas`);
- `context`: what the service works with, one model per kind (`app.changes.kinds`);
- `scope`: the published version the change lives in, and the unit-day it is anchored on;
- `validation`: the referee's verdict (`StoredCheck`, the API's `CheckOut`);
- `proposal`: a re-planned change's duties added and removed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, PlainSerializer, TypeAdapter

from app.changes.schemas import ChangeCreate, CheckOut
from app.planning.schemas import DutyOut
from app.planning.scope import Scope

# Times a change works with are kept to the minute: "2021-11-09T12:00".
Minutes = Annotated[datetime, PlainSerializer(lambda t: t.isoformat(timespec="minutes"), return_type=str)]


class StoredModel(BaseModel):
    """A JSON column's content. Optional fields that are None are left out of the JSON (a change
    that lives in no published roster has no re-plan context, and never had)."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def load(cls, data: dict[str, Any]) -> Self:
        return cls.model_validate(data)

    def dump(self) -> dict[str, Any]:
        unset = {
            name
            for name, field in type(self).model_fields.items()
            if not field.is_required() and getattr(self, name) is None
        }
        return self.model_dump(mode="json", exclude=unset)


REQUEST = TypeAdapter[ChangeCreate](ChangeCreate)
"""The `payload` column: the body as submitted (`model_dump(mode="json")` of it)."""


class StoredScope(StoredModel):
    start: date
    days: int
    units: list[str]
    roster_id: int
    anchor_unit: str
    anchor_date: date

    @classmethod
    def of(cls, scope: Scope, anchor: tuple[str, date]) -> StoredScope:
        unit, day = anchor
        return cls(
            start=scope.start,
            days=scope.days,
            units=list(scope.unit_ids),
            roster_id=scope.roster_id,
            anchor_unit=unit,
            anchor_date=day,
        )

    def scope(self) -> Scope:
        return Scope(self.start, self.days, tuple(self.units), self.roster_id)

    @property
    def anchor(self) -> tuple[str, date]:
        """The unit and day whose published version the change is applied on."""
        return self.anchor_unit, self.anchor_date


class StoredCheck(CheckOut):
    """The referee's verdict as stored (`now` to the minute); read back as the API's `CheckOut`."""

    model_config = ConfigDict(extra="forbid")

    now: Minutes | None = None

    @classmethod
    def load(cls, data: dict[str, Any]) -> StoredCheck:
        return cls.model_validate(data)

    def dump(self) -> dict[str, Any]:
        out = self.model_dump(mode="json")
        for v in out["violations"]:  # a rule without values stores as it always has
            if not v.get("params"):
                v.pop("params", None)
        return out


class StoredProposal(StoredModel):
    added: list[DutyOut]
    removed: list[DutyOut]

    @classmethod
    def empty(cls) -> StoredProposal:
        return cls(added=[], removed=[])
