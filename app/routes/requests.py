from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.deps import CurrentUser, PageDep, SessionDep, StaffUser
from app.errors import NotFound
from app.models import Role
from app.schemas import data as s
from app.schemas.common import Page
from app.services import data as service

router = APIRouter(prefix="/requests", tags=["requests"])


@router.get("", summary="List requests (officers: their own)")
def list_requests(
    user: CurrentUser,
    session: SessionDep,
    page: PageDep,
    officer: Annotated[str | None, Query()] = None,
    unit: Annotated[str | None, Query()] = None,
    status: Annotated[Literal["pending", "approved", "rejected"] | None, Query()] = None,
) -> Page[s.RequestRead]:
    if user.role == Role.OFFICER:
        officer, unit = user.officer_id or "", None
    items, total = service.list_requests(
        session, page.limit, page.offset, officer=officer, unit=unit, status=status
    )
    return Page(
        items=[s.RequestRead.model_validate(r) for r in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{request_id}", summary="One request")
def get_request(request_id: int, user: CurrentUser, session: SessionDep) -> s.RequestRead:
    row = service.get_request(session, request_id)
    if user.role == Role.OFFICER and row.officer_id != user.officer_id:
        raise NotFound(f"no request {request_id}")
    return s.RequestRead.model_validate(row)


@router.patch("/{request_id}", summary="Approve or reject a request (dispatchers: their units)")
def decide_request(
    request_id: int, body: s.RequestDecision, user: StaffUser, session: SessionDep
) -> s.RequestRead:
    row = service.get_request(session, request_id)
    return s.RequestRead.model_validate(service.decide_request(session, row, body.status, user))


@router.delete("/{request_id}", status_code=204, summary="Withdraw a request (officers: while pending)")
def delete_request(request_id: int, user: CurrentUser, session: SessionDep) -> None:
    service.delete_request(session, service.get_request(session, request_id), user)
