"""Who is asking: the account of the bearer token, and the role gates of the routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from app.accounts import service
from app.accounts.models import Role, User
from app.core.db import transaction
from app.core.deps import READ_METHODS, SessionDep, SettingsDep
from app.core.errors import Forbidden, Unauthorized

bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


def get_current_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(bearer)],
) -> User:
    if not token:
        raise Unauthorized("missing bearer token: POST /auth/token for one")
    found = service.token_in_use(session, token, settings.token_idle_minutes)
    if found is None:
        raise Unauthorized("invalid or expired token")
    user, token_id, touch = found
    if touch and request.method not in READ_METHODS:  # the request's own transaction writes anyway
        service.touch_token(session, token_id)
    elif touch:  # its own short transaction: a reading request stays a read
        with transaction(request.app.state.session_factory) as own:
            service.touch_token(own, token_id)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


@dataclass(frozen=True)
class RequireRoles:
    """A dependency: the current user, when their role is one of `roles` (403 otherwise). The
    OpenAPI document reads `roles` to say who may call each operation."""

    roles: frozenset[str]

    def __call__(self, user: CurrentUser) -> User:
        if user.role not in self.roles:
            raise Forbidden(f"this needs the role {' or '.join(sorted(self.roles))}; you are {user.role}")
        return user


def require_roles(*roles: Role) -> RequireRoles:
    return RequireRoles(frozenset(r.value for r in roles))


AdminUser = Annotated[User, Depends(require_roles(Role.ADMIN))]
StaffUser = Annotated[User, Depends(require_roles(Role.ADMIN, Role.DISPATCHER))]
