"""The audit trail, and the difference between two roster versions."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from app.audit.models import AuditEvent
from app.core.paging import NumberedPage
from app.core.schemas import Schema, UtcDateTime
from app.planning.schemas import DutyOut, OfficerDiff


class AuditEventRead(Schema):
    id: int
    at: UtcDateTime
    actor: str
    action: str
    roster_id: int | None
    change_id: int | None
    officer: str | None
    post: str | None
    shift: str | None
    date: date | None
    reason: str
    details: dict[str, Any]
    change_kind: str | None = Field(None, description="the kind of the change request it belongs to")

    @classmethod
    def of(cls, e: AuditEvent, change_kind: str | None = None) -> AuditEventRead:
        return cls(
            change_kind=change_kind,
            id=e.id,
            at=e.at,
            actor=e.actor,
            action=e.action,
            roster_id=e.roster_id,
            change_id=e.change_id,
            officer=e.officer_id,
            post=e.post_id,
            shift=e.shift_id,
            date=e.date,
            reason=e.reason,
            details=e.details,
        )


class AuditPage(NumberedPage[AuditEventRead]):
    pass


class MovedDuty(Schema):
    before: DutyOut = Field(description="the duty in the version compared from")
    after: DutyOut = Field(description="where it is in the other version")


class RosterDiffRead(Schema):
    before: int = Field(description="the roster version compared from")
    after: int = Field(description="the roster version compared to")
    added: list[DutyOut] = Field(description="duties only in `after`")
    removed: list[DutyOut] = Field(description="duties only in `before`")
    by_officer: dict[str, OfficerDiff] = Field(description="added and removed duties per officer")
    changed: int = Field(description="added + removed")
    moved: list[MovedDuty] = Field(
        default_factory=list,
        description="removed and added duties paired: the same officer on the same date at another "
        "post or shift, or the same slot (post, shift, date) handed to another officer",
    )
