from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.deps import AdminUser, PageDep, SessionDep
from app.schemas.auth import RoleName, UserCreate, UserRead, UserUpdate
from app.schemas.common import Page
from app.services import auth as service

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", summary="List accounts")
def list_users(
    _: AdminUser, session: SessionDep, page: PageDep, role: Annotated[RoleName | None, Query()] = None
) -> Page[UserRead]:
    items, total = service.list_users(session, page.limit, page.offset, role)
    return Page(items=[UserRead.of(u) for u in items], total=total, limit=page.limit, offset=page.offset)


@router.post("", status_code=201, summary="Create an account")
def create_user(body: UserCreate, _: AdminUser, session: SessionDep) -> UserRead:
    user = service.create_user(session, body.username, body.role, body.password, body.units, body.officer_id)
    return UserRead.of(user)


@router.get("/{user_id}", summary="One account")
def get_user(user_id: int, _: AdminUser, session: SessionDep) -> UserRead:
    return UserRead.of(service.get_user(session, user_id))


@router.patch("/{user_id}", summary="Change role, password, units, officer link or activity")
def update_user(user_id: int, body: UserUpdate, _: AdminUser, session: SessionDep) -> UserRead:
    user = service.get_user(session, user_id)
    fields = body.model_dump(exclude_unset=True)
    updated = service.update_user(
        session,
        user,
        role=body.role,
        password=body.password,
        unit_ids=body.units,
        officer_id=body.officer_id,
        clear_officer="officer_id" in fields and body.officer_id is None,
        is_active=body.is_active,
    )
    return UserRead.of(updated)


@router.delete("/{user_id}", status_code=204, summary="Delete an account")
def delete_user(user_id: int, admin: AdminUser, session: SessionDep) -> None:
    service.delete_user(session, service.get_user(session, user_id), admin)
