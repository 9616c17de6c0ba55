"""Officers and their records: unavailability, history, requests, schedule and calendar feed."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.access import ensure_manages, ensure_manages_feed, ensure_self_or_staff, reason_for
from app.accounts.deps import AdminUser, CurrentUser, StaffUser
from app.accounts.models import User
from app.core.deps import PageDep, SessionDep, SettingsDep
from app.core.paging import Page
from app.core.schemas import RowId
from app.reference import officers as service
from app.reference import requests as requests_service
from app.reference import schemas as s
from app.reference.lookups import get_or_404
from app.reference.models import Officer
from app.rosters import calendar as calendar_service
from app.rosters import queries
from app.rosters import schemas as rs

router = APIRouter(prefix="/officers", tags=["officers"])


def officer_read(o: Officer) -> s.OfficerRead:
    return s.OfficerRead.model_validate(o).model_copy(
        update={"calendar_feed": o.calendar_token_hash is not None}
    )


def visible_officer(session: SessionDep, officer_id: str, user: User) -> Officer:
    """The officer, if the user may see them (officers see only themselves; others get 404 or 403)."""
    officer = get_or_404(session, Officer, officer_id, "officer")
    ensure_self_or_staff(user, officer_id)
    return officer


@router.get("", summary="List officers (filter by home unit, unit served, skill, text)")
def list_officers(
    _: StaffUser,
    session: SessionDep,
    page: PageDep,
    unit: Annotated[str | None, Query()] = None,
    serves: Annotated[str | None, Query()] = None,
    skill: Annotated[str | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[s.OfficerRead]:
    items, total = service.list_officers(session, page, unit, serves, skill, q)
    return Page.of([officer_read(o) for o in items], total, page)


@router.post("", status_code=201, summary="Create an officer (dispatchers: of their units, serving them)")
def create_officer(body: s.OfficerCreate, user: StaffUser, session: SessionDep) -> s.OfficerRead:
    ensure_manages(user, [body.unit, *(body.serves or [])], "add officers")
    return officer_read(service.create_officer(session, body))


@router.get("/{officer_id}", summary="One officer (officers: only themselves)")
def get_officer(officer_id: str, user: CurrentUser, session: SessionDep) -> s.OfficerRead:
    return officer_read(visible_officer(session, officer_id, user))


@router.patch(
    "/{officer_id}", summary="Change an officer (dispatchers: of their units, moved or serving within them)"
)
def update_officer(
    officer_id: str, body: s.OfficerUpdate, user: StaffUser, session: SessionDep
) -> s.OfficerRead:
    officer = get_or_404(session, Officer, officer_id, "officer")
    units = [officer.unit_id, *([body.unit] if body.unit else []), *(body.serves or [])]
    ensure_manages(user, units, "change officers")
    return officer_read(service.update_officer(session, officer, body))


@router.delete("/{officer_id}", status_code=204, summary="Delete an officer no roster names")
def delete_officer(officer_id: str, _: AdminUser, session: SessionDep) -> None:
    service.delete_officer(session, get_or_404(session, Officer, officer_id, "officer"))


# --------------------------------------------------------------------------- unavailability


@router.get("/{officer_id}/unavailability", summary="The officer's unavailability spans")
def list_unavailability(
    officer_id: str, user: CurrentUser, session: SessionDep, page: PageDep
) -> Page[s.UnavailabilityRead]:
    officer = visible_officer(session, officer_id, user)
    items, total = service.list_unavailability(session, officer_id, page)
    return Page.of(
        [
            s.UnavailabilityRead.model_validate(u).model_copy(
                update={"reason": reason_for(user, officer.id, officer.unit_id, u.reason)}
            )
            for u in items
        ],
        total,
        page,
    )


@router.post("/{officer_id}/unavailability", status_code=201, summary="Record leave, training, sickness")
def add_unavailability(
    officer_id: str, body: s.UnavailabilityCreate, user: StaffUser, session: SessionDep
) -> s.UnavailabilityRead:
    officer = get_or_404(session, Officer, officer_id, "officer")
    return s.UnavailabilityRead.model_validate(service.add_unavailability(session, officer, body, user))


@router.delete(
    "/{officer_id}/unavailability/{span_id}", status_code=204, summary="Remove an unavailability span"
)
def delete_unavailability(officer_id: str, span_id: RowId, user: StaffUser, session: SessionDep) -> None:
    officer = get_or_404(session, Officer, officer_id, "officer")
    service.delete_unavailability(
        session, service.get_unavailability(session, officer, span_id), officer, user
    )


# --------------------------------------------------------------------------- history


@router.get("/{officer_id}/history", summary="Duties worked before the planned horizons")
def list_history(
    officer_id: str, user: CurrentUser, session: SessionDep, page: PageDep
) -> Page[s.HistoryRead]:
    visible_officer(session, officer_id, user)
    items, total = service.list_history(session, officer_id, page)
    return Page.of([s.HistoryRead.model_validate(h) for h in items], total, page)


@router.post("/{officer_id}/history", status_code=201, summary="Record a duty worked")
def add_history(
    officer_id: str, body: s.HistoryCreate, user: StaffUser, session: SessionDep
) -> s.HistoryRead:
    officer = get_or_404(session, Officer, officer_id, "officer")
    return s.HistoryRead.model_validate(service.add_history(session, officer, body, user))


@router.delete("/{officer_id}/history/{duty_id}", status_code=204, summary="Remove a history duty")
def delete_history(officer_id: str, duty_id: RowId, user: StaffUser, session: SessionDep) -> None:
    officer = get_or_404(session, Officer, officer_id, "officer")
    service.delete_history(session, service.get_history(session, officer, duty_id), officer, user)


# --------------------------------------------------------------------------- requests


@router.post(
    "/{officer_id}/requests",
    status_code=201,
    summary="File a request (officers: their own, pending until the duty office decides)",
)
def add_request(
    officer_id: str, body: s.RequestCreate, user: CurrentUser, session: SessionDep
) -> s.RequestRead:
    officer = get_or_404(session, Officer, officer_id, "officer")
    return s.RequestRead.model_validate(requests_service.add_request(session, officer, body, user))


# --------------------------------------------------------------------------- schedule and calendar


@router.get("/{officer_id}/schedule", summary="The officer's published duties")
def officer_schedule(
    officer_id: str,
    user: CurrentUser,
    session: SessionDep,
    page: PageDep,
    start: Annotated[date | None, Query()] = None,
    end: Annotated[date | None, Query(description="exclusive")] = None,
) -> Page[rs.DutyRead]:
    visible_officer(session, officer_id, user)
    items, total = queries.duties(session, queries.DutyFilter(officer=officer_id, start=start, end=end), page)
    return Page.of(items, total, page)


@router.post(
    "/{officer_id}/calendar-feed",
    status_code=201,
    summary="Issue (or replace) the officer's secret calendar feed URL",
)
def issue_calendar_feed(
    officer_id: str, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> rs.CalendarFeedRead:
    officer = visible_officer(session, officer_id, user)
    ensure_manages_feed(user, officer)
    url = calendar_service.issue_feed(session, officer, settings.public_url)
    return rs.CalendarFeedRead(url=url)


@router.delete(
    "/{officer_id}/calendar-feed", status_code=204, summary="Revoke the officer's calendar feed URL"
)
def revoke_calendar_feed(officer_id: str, user: CurrentUser, session: SessionDep) -> None:
    officer = visible_officer(session, officer_id, user)
    ensure_manages_feed(user, officer)
    calendar_service.revoke_feed(session, officer)
