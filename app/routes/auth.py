from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from app.deps import CurrentUser, SessionDep, SettingsDep, bearer
from app.schemas.auth import TokenRead, UserRead
from app.services import auth as service

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", summary="Log in with username and password (OAuth2 password form)")
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, settings: SettingsDep
) -> TokenRead:
    value, expires, user = service.login(session, form.username, form.password, settings.token_ttl_hours)
    return TokenRead(access_token=value, expires_at=expires, role=user.role)


@router.get("/me", summary="The account of the token")
def me(user: CurrentUser) -> UserRead:
    return UserRead.of(user)


@router.post("/logout", status_code=204, summary="Revoke the token used for this request")
def logout(_: CurrentUser, session: SessionDep, value: Annotated[str | None, Depends(bearer)]) -> None:
    if value:
        service.logout(session, value)
