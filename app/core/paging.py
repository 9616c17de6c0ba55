"""The one paging scheme: `limit` and `offset` (capped by the server), the page envelope, and the
query that fills it.

Change requests and the audit trail also take 1-based `page` and `size` (`size` is `limit` by
another name); their envelope says `page` and `size` too. Both read into the same `PageParams`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, Self, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.errors import ErrorDetail, InvalidInput

T = TypeVar("T")


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int

    @property
    def page(self) -> int:
        """The 1-based page the offset falls on."""
        return self.offset // self.limit + 1


def page_params(settings: Settings, size: int | None, offset: int, name: str = "limit") -> PageParams:
    """`size` items from `offset` (the service's default size when None); 422 above the cap,
    naming the query parameter `name`."""
    if size is not None and size > settings.max_page_size:
        raise InvalidInput(
            f"{name} is at most {settings.max_page_size}",
            [ErrorDetail(f"query.{name}", f"must be at most {settings.max_page_size}")],
        )
    return PageParams(size or settings.default_page_size, offset)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, items: Sequence[T], total: int, params: PageParams) -> Self:
        return cls(items=list(items), total=total, **cls._position(params))

    @classmethod
    def _position(cls, params: PageParams) -> dict[str, int]:
        return {"limit": params.limit, "offset": params.offset}


# A page that also says its 1-based number and size (no docstring: it would describe every page
# schema in the OpenAPI document).
class NumberedPage(Page[T], Generic[T]):
    page: int
    size: int

    @classmethod
    def _position(cls, params: PageParams) -> dict[str, int]:
        return {"limit": params.limit, "offset": params.offset, "page": params.page, "size": params.limit}


def count_rows(session: Session, stmt: Select[*tuple[Any, ...]]) -> int:
    """How many rows `stmt` selects."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def fetch_page(session: Session, stmt: Select[*tuple[Any, ...]], params: PageParams) -> tuple[list[Any], int]:
    """One page of the (ordered) statement's rows, and how many there are in all."""
    return list(session.scalars(stmt.limit(params.limit).offset(params.offset))), count_rows(session, stmt)
