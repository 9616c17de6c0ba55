"""Who is asking: the account of the bearer token, and the role gates of the routes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from app.accounts import service
from app.accounts.models import Role, User
from app.core.deps import SessionDep
from app.core.errors import Forbidden, Unauthorized

bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


def get_current_user(session: SessionDep, token: Annotated[str | None, Depends(bearer)]) -> User:
    if not token:
        raise Unauthorized("missing bearer token: POST /auth/token for one")
    user = service.user_for_token(session, token)
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
