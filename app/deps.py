"""FastAPI dependencies as `Annotated` aliases: the session (one transaction per request), the user."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import will_write
from app.errors import ErrorDetail, Forbidden, InvalidInput, Unauthorized
from app.jobs.runner import JobRunner
from app.models import Role, User
from app.services import auth as auth_service

bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back when it raises."""
    with request.app.state.session_factory() as session:
        if request.method not in READ_METHODS:
            will_write(session)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def get_runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.runner
    return runner


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
RunnerDep = Annotated[JobRunner, Depends(get_runner)]


def get_current_user(session: SessionDep, token: Annotated[str | None, Depends(bearer)]) -> User:
    if not token:
        raise Unauthorized("missing bearer token: POST /auth/token for one")
    user = auth_service.user_for_token(session, token)
    if user is None:
        raise Unauthorized("invalid or expired token")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: Role) -> Callable[[User], User]:
    allowed = {r.value for r in roles}

    def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise Forbidden(f"this needs the role {' or '.join(sorted(allowed))}; you are {user.role}")
        return user

    return check


AdminUser = Annotated[User, Depends(require_roles(Role.ADMIN))]
StaffUser = Annotated[User, Depends(require_roles(Role.ADMIN, Role.DISPATCHER))]


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def get_page(
    settings: SettingsDep,
    limit: Annotated[int | None, Query(ge=1, description="page size (capped by the server)")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> PageParams:
    if limit is not None and limit > settings.max_page_size:
        raise InvalidInput(
            f"limit is at most {settings.max_page_size}",
            [ErrorDetail("query.limit", f"must be at most {settings.max_page_size}")],
        )
    return PageParams(limit or settings.default_page_size, offset)


PageDep = Annotated[PageParams, Depends(get_page)]
