"""FastAPI dependencies as `Annotated` aliases: the settings, the session (one transaction per
request), paging. Who is asking (`CurrentUser`, `StaffUser`, `AdminUser`) is `app.accounts.deps`;
the job runner is `app.jobs.deps`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import transaction
from app.core.errors import ErrorDetail, InvalidInput
from app.core.paging import PageParams, page_params
from solver.io.limits import INT_MAX


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back when it raises."""
    with transaction(request.app.state.session_factory, writes=request.method not in READ_METHODS) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_page(
    settings: SettingsDep,
    limit: Annotated[int | None, Query(ge=1, description="page size (capped by the server)")] = None,
    offset: Annotated[int, Query(ge=0, le=INT_MAX)] = 0,
) -> PageParams:
    return page_params(settings, limit, offset)


def get_numbered_page(
    settings: SettingsDep,
    page: Annotated[int | None, Query(ge=1, le=INT_MAX, description="1-based page number")] = None,
    size: Annotated[int | None, Query(ge=1, description="page size (capped by the server)")] = None,
    limit: Annotated[int | None, Query(ge=1, description="same as size")] = None,
    offset: Annotated[int, Query(ge=0, le=INT_MAX)] = 0,
) -> PageParams:
    """`page` and `size` (1-based pages), or the usual `limit` and `offset`."""
    params = page_params(settings, size or limit, offset, name="size")
    if page is None:
        return params
    if (page - 1) * params.limit > INT_MAX:
        raise InvalidInput(
            "the page is out of range", [ErrorDetail("query.page", "beyond the last possible page")]
        )
    return PageParams(params.limit, (page - 1) * params.limit)


PageDep = Annotated[PageParams, Depends(get_page)]
NumberedPageDep = Annotated[PageParams, Depends(get_numbered_page)]
