"""Accounts and tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, Field

from app.accounts.models import Role, User
from app.core.schemas import Schema, UtcDateTime, literal_of
from app.core.security import MIN_PASSWORD_LENGTH, password_problem

if TYPE_CHECKING:
    RoleName = str
else:
    RoleName = literal_of(Role)


def _strong_enough(password: str) -> str:
    problem = password_problem(password)
    if problem is not None:
        raise ValueError(problem)
    return password


Username = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")]
Password = Annotated[
    str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=256), AfterValidator(_strong_enough)
]


class TokenRead(Schema):
    access_token: str
    token_type: str = "bearer"
    expires_at: UtcDateTime
    role: str


class UserCreate(Schema):
    username: Username
    role: RoleName
    password: Password
    units: list[str] = Field(default_factory=list, description="units a dispatcher manages")
    officer_id: str | None = Field(None, description="the officer an officer account belongs to")


class UserUpdate(Schema):
    role: RoleName | None = None
    password: Password | None = None
    units: list[str] | None = None
    officer_id: str | None = None
    is_active: bool | None = None


class UserRead(Schema):
    id: int
    username: str
    role: str
    units: list[str]
    officer_id: str | None
    is_active: bool
    created_at: UtcDateTime

    @classmethod
    def of(cls, user: User) -> UserRead:
        return cls(
            id=user.id,
            username=user.username,
            role=user.role,
            units=user.unit_ids,
            officer_id=user.officer_id,
            is_active=user.is_active,
            created_at=user.created_at,
        )
