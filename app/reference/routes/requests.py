"""Officers' requests: filed by officers (pending) or the duty office (approved), decided by
dispatchers of the unit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.access import ensure_own_record, records_limited_to, sees_reasons
from app.accounts.deps import CurrentUser, StaffUser
from app.accounts.models import User
from app.core.deps import PageDep, SessionDep
from app.core.paging import Page
from app.core.schemas import RowId
from app.reference import requests as service
from app.reference import schemas as s
from app.reference.models import OfficerRequest


def request_read(row: OfficerRequest, user: User) -> s.RequestRead:
    """The request as `user` may read it: its note (often why) only if they may know the
    officer's reasons (`access.sees_reasons`)."""
    out = s.RequestRead.model_validate(row)
    if out.note and not sees_reasons(user, row.officer_id, row.officer.unit_id):
        out = out.model_copy(update={"note": ""})
    return out


router = APIRouter(prefix="/requests", tags=["requests"])


@router.get("", summary="List requests (officers: their own)")
def list_requests(
    user: CurrentUser,
    session: SessionDep,
    page: PageDep,
    officer: Annotated[str | None, Query()] = None,
    unit: Annotated[str | None, Query()] = None,
    status: Annotated[s.RequestStatusName | None, Query()] = None,
) -> Page[s.RequestRead]:
    own = records_limited_to(user)
    if own is not None:
        officer, unit = own, None
    items, total = service.list_requests(session, page, officer=officer, unit=unit, status=status)
    return Page.of([request_read(r, user) for r in items], total, page)


@router.get("/{request_id}", summary="One request")
def get_request(request_id: RowId, user: CurrentUser, session: SessionDep) -> s.RequestRead:
    row = service.get_request(session, request_id)
    ensure_own_record(user, row.officer_id, f"no request {request_id}")
    return request_read(row, user)


@router.patch("/{request_id}", summary="Approve or reject a request (dispatchers: their units)")
def decide_request(
    request_id: RowId, body: s.RequestDecision, user: StaffUser, session: SessionDep
) -> s.RequestRead:
    row = service.get_request(session, request_id)
    return request_read(service.decide_request(session, row, body.status, user), user)


@router.delete("/{request_id}", status_code=204, summary="Withdraw a request (officers: while pending)")
def delete_request(request_id: RowId, user: CurrentUser, session: SessionDep) -> None:
    service.delete_request(session, service.get_request(session, request_id), user)
