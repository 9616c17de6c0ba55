"""Pinned duties: the duty office's fixed points of every roster."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.deps import StaffUser
from app.core.deps import PageDep, SessionDep
from app.core.paging import Page
from app.core.schemas import RowId
from app.reference import pinned as service
from app.reference import schemas as s
from app.reference.lookups import get_or_404
from app.reference.models import PinnedDuty

router = APIRouter(prefix="/pinned-duties", tags=["pinned duties"])


@router.get("", summary="Duties every roster of their date must contain")
def list_pinned(
    _: StaffUser,
    session: SessionDep,
    page: PageDep,
    start: Annotated[date | None, Query()] = None,
    end: Annotated[date | None, Query(description="exclusive")] = None,
    post: Annotated[str | None, Query()] = None,
) -> Page[s.PinnedRead]:
    items, total = service.list_pinned(session, page, start, end, post)
    return Page.of([s.PinnedRead.model_validate(p) for p in items], total, page)


@router.post("", status_code=201, summary="Pin a duty (dispatchers: posts of their units)")
def add_pinned(body: s.PinnedCreate, user: StaffUser, session: SessionDep) -> s.PinnedRead:
    return s.PinnedRead.model_validate(service.add_pinned(session, body, user))


@router.delete("/{pinned_id}", status_code=204, summary="Unpin a duty")
def delete_pinned(pinned_id: RowId, user: StaffUser, session: SessionDep) -> None:
    service.delete_pinned(session, get_or_404(session, PinnedDuty, pinned_id, "pinned duty"), user)
