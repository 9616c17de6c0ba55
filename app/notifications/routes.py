"""/notifications: the signed-in officer's notifications (paged, unread filter), marking them read,
the unread count for the page header's badge."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.deps import CurrentUser
from app.core.deps import PageDep, SessionDep
from app.notifications import service
from app.notifications.schemas import NotificationPage, NotificationRead, ReadAllResult, UnreadCount

router = APIRouter(prefix="/notifications", tags=["notifications"])


@router.get("", summary="My notifications, newest first")
def list_notifications(
    user: CurrentUser,
    session: SessionDep,
    paging: PageDep,
    unread: Annotated[bool, Query(description="only those not read yet")] = False,
) -> NotificationPage:
    items, total = service.list_mine(session, user, paging, unread)
    return NotificationPage(
        items=[NotificationRead.of(n) for n in items],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
        unread=service.unread_count(session, user),
    )


@router.get("/unread-count", summary="How many of my notifications are unread (the header's badge)")
def unread_count(user: CurrentUser, session: SessionDep) -> UnreadCount:
    return UnreadCount(unread=service.unread_count(session, user))


@router.post("/read-all", summary="Mark all my notifications read")
def read_all(user: CurrentUser, session: SessionDep) -> ReadAllResult:
    marked = service.mark_all_read(session, user)
    return ReadAllResult(marked=marked, unread=service.unread_count(session, user))


@router.post("/{notification_id}/read", summary="Mark one of my notifications read")
def read_one(notification_id: int, user: CurrentUser, session: SessionDep) -> NotificationRead:
    return NotificationRead.of(service.mark_read(session, user, notification_id))
