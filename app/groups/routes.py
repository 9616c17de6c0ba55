"""Duty groups (执勤组): list per unit, create, rename, members, pattern with its start date,
delete; and the preview of a unit's patterns over the coming weeks. Admins manage every group,
dispatchers the groups of their units; an officer reads their own group."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.access import ensure_manages
from app.accounts.deps import CurrentUser, StaffUser
from app.core.deps import SessionDep
from app.groups import preview as preview_service
from app.groups import schemas as gs
from app.groups import service

router = APIRouter(prefix="/groups", tags=["duty groups"])


@router.get("", summary="Duty groups (of one unit), with members and patterns")
def list_groups(
    user: CurrentUser,
    session: SessionDep,
    unit: Annotated[str | None, Query(max_length=64)] = None,
) -> list[gs.GroupRead]:
    return [service.group_read(session, g) for g in service.list_groups(session, user, unit)]


@router.get(
    "/preview",
    summary="A unit's patterns over the coming weeks: who works which shift on which date, and warnings",
)
def preview(
    user: StaffUser,
    session: SessionDep,
    unit: Annotated[str, Query(max_length=64)],
    start: Annotated[date, Query()],
    days: Annotated[int, Query(ge=1, le=preview_service.MAX_PREVIEW_DAYS)] = preview_service.PREVIEW_DAYS,
) -> gs.PreviewRead:
    ensure_manages(user, [unit], "preview duty groups")
    return preview_service.preview(session, unit, start, days)


@router.post("", status_code=201, summary="Create a duty group (members and pattern optional)")
def create_group(body: gs.GroupCreate, user: StaffUser, session: SessionDep) -> gs.GroupRead:
    return service.group_read(session, service.create_group(session, body, user))


@router.get("/{group_id}", summary="One duty group (officers: only their own)")
def get_group(group_id: str, user: CurrentUser, session: SessionDep) -> gs.GroupRead:
    return service.group_read(session, service.get_group(session, group_id, user))


@router.patch("/{group_id}", summary="Rename a group, or set its pattern and start date (null: none)")
def update_group(group_id: str, body: gs.GroupUpdate, user: StaffUser, session: SessionDep) -> gs.GroupRead:
    row = service.managed_group(session, group_id, user)
    return service.group_read(session, service.update_group(session, row, body, user))


@router.post("/{group_id}/members", summary="Add officers to a group (each in no other group)")
def add_members(group_id: str, body: gs.MembersIn, user: StaffUser, session: SessionDep) -> gs.GroupRead:
    row = service.managed_group(session, group_id, user)
    return service.group_read(session, service.add_members(session, row, body, user))


@router.delete("/{group_id}/members/{officer_id}", summary="Remove an officer from a group")
def remove_member(group_id: str, officer_id: str, user: StaffUser, session: SessionDep) -> gs.GroupRead:
    row = service.managed_group(session, group_id, user)
    return service.group_read(session, service.remove_member(session, row, officer_id, user))


@router.delete("/{group_id}", status_code=204, summary="Delete a duty group (its officers stay)")
def delete_group(group_id: str, user: StaffUser, session: SessionDep) -> None:
    service.delete_group(session, service.managed_group(session, group_id, user), user)
