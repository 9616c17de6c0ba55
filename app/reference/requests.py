"""Officers' requests for a day off, a shift off or a shift on: filed, decided, withdrawn."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.access import ensure_manages, ensure_own_record, records_limited_to
from app.accounts.models import User
from app.core.errors import Conflict
from app.core.paging import PageParams, fetch_page
from app.reference import schemas as s
from app.reference.lookups import check_refs, get_or_404, raise_if
from app.reference.models import Officer, OfficerRequest, RequestStatus, ShiftType


def list_requests(
    session: Session,
    page: PageParams,
    *,
    officer: str | None = None,
    unit: str | None = None,
    status: str | None = None,
) -> tuple[list[OfficerRequest], int]:
    stmt = select(OfficerRequest).order_by(OfficerRequest.date, OfficerRequest.id)
    if officer:
        stmt = stmt.where(OfficerRequest.officer_id == officer)
    if unit:
        stmt = stmt.join(Officer, Officer.id == OfficerRequest.officer_id).where(Officer.unit_id == unit)
    if status:
        stmt = stmt.where(OfficerRequest.status == status)
    return fetch_page(session, stmt, page)


def add_request(session: Session, officer: Officer, body: s.RequestCreate, user: User) -> OfficerRequest:
    """Officers file their own requests as pending; the duty office's go in approved."""
    if records_limited_to(user) is not None:
        ensure_own_record(user, officer.id, f"no officer {officer.id!r}")
        status = RequestStatus.PENDING
    else:
        ensure_manages(user, [officer.unit_id], "record requests")
        status = RequestStatus.APPROVED
    if body.shift is not None:
        raise_if(check_refs(session, ShiftType, [body.shift], "body.shift", "shift type"))
    row = OfficerRequest(
        officer_id=officer.id,
        kind=body.kind,
        date=body.date,
        shift_id=body.shift,
        weight=body.weight,
        status=status,
        note=body.note,
    )
    session.add(row)
    session.flush()
    return row


def get_request(session: Session, request_id: int) -> OfficerRequest:
    return get_or_404(session, OfficerRequest, request_id, "request")


def decide_request(session: Session, row: OfficerRequest, status: str, user: User) -> OfficerRequest:
    ensure_manages(user, [row.officer.unit_id], "decide requests")
    row.status = status
    session.flush()
    return row


def delete_request(session: Session, row: OfficerRequest, user: User) -> None:
    if records_limited_to(user) is not None:
        ensure_own_record(user, row.officer_id, f"no request {row.id}")
        if row.status != RequestStatus.PENDING:
            raise Conflict(f"request {row.id} has been decided ({row.status}); ask the duty office")
    else:
        ensure_manages(user, [row.officer.unit_id], "delete requests")
    session.delete(row)
    session.flush()
