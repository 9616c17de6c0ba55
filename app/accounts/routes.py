"""Logging in and out (`/auth`), and the accounts themselves (`/users`, admins only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from app.accounts import service
from app.accounts.deps import AdminUser, CurrentUser, bearer
from app.accounts.schemas import RoleName, TokenRead, UserCreate, UserRead, UserUpdate
from app.accounts.throttle import LoginThrottle
from app.core.deps import PageDep, SessionDep, SettingsDep
from app.core.errors import TooManyRequests, Unauthorized
from app.core.paging import Page
from app.core.schemas import RowId

auth_router = APIRouter(prefix="/auth", tags=["auth"])
users_router = APIRouter(prefix="/users", tags=["users"])


@auth_router.post("/token", summary="Log in with username and password (OAuth2 password form)")
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
) -> TokenRead:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    throttle: LoginThrottle = request.app.state.login_throttle
    client = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(form.username, client)
    if wait is not None:
        raise TooManyRequests(f"too many failed logins: try again in {wait} s", wait)
    try:
        value, expires, user = service.login(session, form.username, form.password, settings.token_ttl_hours)
    except Unauthorized:
        throttle.failed(form.username, client)
        raise
    throttle.succeeded(form.username)
    return TokenRead(access_token=value, expires_at=expires, role=user.role)


@auth_router.get("/me", summary="The account of the token")
def me(user: CurrentUser) -> UserRead:
    return UserRead.of(user)


@auth_router.post("/logout", status_code=204, summary="Revoke the token used for this request")
def logout(_: CurrentUser, session: SessionDep, value: Annotated[str | None, Depends(bearer)]) -> None:
    if value:
        service.logout(session, value)


@users_router.get("", summary="List accounts")
def list_users(
    _: AdminUser, session: SessionDep, page: PageDep, role: Annotated[RoleName | None, Query()] = None
) -> Page[UserRead]:
    items, total = service.list_users(session, page, role)
    return Page.of([UserRead.of(u) for u in items], total, page)


@users_router.post("", status_code=201, summary="Create an account")
def create_user(body: UserCreate, _: AdminUser, session: SessionDep) -> UserRead:
    user = service.create_user(session, body.username, body.role, body.password, body.units, body.officer_id)
    return UserRead.of(user)


@users_router.get("/{user_id}", summary="One account")
def get_user(user_id: RowId, _: AdminUser, session: SessionDep) -> UserRead:
    return UserRead.of(service.get_user(session, user_id))


@users_router.patch("/{user_id}", summary="Change role, password, units, officer link or activity")
def update_user(user_id: RowId, body: UserUpdate, _: AdminUser, session: SessionDep) -> UserRead:
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


@users_router.delete("/{user_id}", status_code=204, summary="Delete an account")
def delete_user(user_id: RowId, admin: AdminUser, session: SessionDep) -> None:
    service.delete_user(session, service.get_user(session, user_id), admin)
