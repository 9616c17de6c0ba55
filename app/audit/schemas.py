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

    @classmethod
    def of(cls, e: AuditEvent) -> AuditEventRead:
        return cls(
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


class RosterDiffRead(Schema):
    before: int = Field(description="the roster version compared from")
    after: int
    added: list[DutyOut]
    removed: list[DutyOut]
    by_officer: dict[str, OfficerDiff]
    changed: int
