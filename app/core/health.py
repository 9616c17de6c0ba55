"""`GET /health`: liveness and the database, without a token."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from app.core.deps import SessionDep
from app.core.schemas import Schema

router = APIRouter(tags=["health"])


class HealthRead(Schema):
    status: str
    database: str


@router.get("/health", summary="Liveness and database check (no token needed)")
def health(session: SessionDep) -> HealthRead:
    session.execute(text("SELECT 1"))
    return HealthRead(status="ok", database=session.get_bind().dialect.name)
