"""The rows a request names: found, or an error that names the field and the id."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import Conflict, ErrorDetail, NotFound, RuleViolation
from app.reference.models import Officer, Post, ShiftType

T = TypeVar("T")


def get_or_404(session: Session, model: type[T], key: Any, what: str) -> T:
    row = session.get(model, key)
    if row is None:
        raise NotFound(f"no {what} {key!r}")
    return row


Known = TypeVar("Known", Officer, Post, ShiftType)
_NAMES: dict[type[Any], str] = {Officer: "officer", Post: "post", ShiftType: "shift type"}


def known(session: Session, model: type[Known], key: str, path: str) -> Known:
    """The row named in a request, or 422 naming the field and the id."""
    row = session.get(model, key)
    if row is None:
        what = _NAMES[model]
        raise RuleViolation(f"unknown {what} {key!r}", [ErrorDetail(path, f"unknown {what}", key)])
    return row


def ensure_new(session: Session, model: type[Any], key: str, what: str) -> None:
    if session.get(model, key) is not None:
        raise Conflict(f"{what} {key!r} already exists")


def check_refs(
    session: Session, model: type[Any], ids: Iterable[str], path: str, what: str
) -> list[ErrorDetail]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    found = set(session.scalars(select(model.id).where(model.id.in_(wanted))))
    return [ErrorDetail(path, f"unknown {what} {i!r}", i) for i in wanted if i not in found]


def raise_if(
    problems: list[ErrorDetail], message: str = "the request names something that does not exist"
) -> None:
    if problems:
        raise RuleViolation(message, problems)


def ensure_unreferenced(what: str, key: str, uses: list[tuple[str, int]]) -> None:
    used = [f"{n} {label}" for label, n in uses if n]
    if used:
        raise Conflict(f"{what} {key!r} is still used by " + ", ".join(used))
