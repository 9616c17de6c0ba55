"""The kinds of change request, one class each: `swap`, `cover`, `leave`, `coverage_change`, `duty_level`,
`call_out`.

`request_of(change)` reads a stored change as its kind's object (body and context validated);
`request_for(body)` makes one from a request body.
"""

from __future__ import annotations

from typing import Any

from app.changes.kinds.base import Approving, ChangeRequest, Planned, Where
from app.changes.kinds.callout import CallOut
from app.changes.kinds.cover import Cover
from app.changes.kinds.coverage import CoverageChangeRequest
from app.changes.kinds.leave import Leave
from app.changes.kinds.level import DutyLevelRequest
from app.changes.kinds.replanned import Replanned
from app.changes.kinds.swap import Swap
from app.changes.models import ChangeKind, RosterChange
from app.changes.schemas import ChangeCreate
from app.changes.stored import REQUEST

AnyRequest = ChangeRequest[Any, Any]

KINDS: dict[ChangeKind, type[AnyRequest]] = {
    kind.kind: kind for kind in (Swap, Cover, Leave, CoverageChangeRequest, DutyLevelRequest, CallOut)
}


def request_for(body: ChangeCreate) -> AnyRequest:
    return KINDS[ChangeKind(body.kind)](body)


def request_of(change: RosterChange) -> AnyRequest:
    kind = KINDS[ChangeKind(change.kind)]
    context = None if change.context is None else kind.context_type.load(change.context)
    return kind(REQUEST.validate_python(change.payload), context)


__all__ = [
    "KINDS",
    "AnyRequest",
    "Approving",
    "ChangeRequest",
    "Planned",
    "Replanned",
    "Where",
    "request_for",
    "request_of",
]
