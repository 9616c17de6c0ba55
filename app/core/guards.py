"""Input that no route can store, refused before any route sees it (`solver.io.limits`):

- `NulInUrl`: a URL whose path or query holds a NUL character (400): no id or filter can contain
  one, and PostgreSQL cannot even compare with one;
- `storable_body`: a JSON request body with a NUL or a lone surrogate in any string, or an integer
  beyond 2^31 - 1 (422, naming each field as `body.…`). The scenario import checks the same limits
  in the scenario loader, with the loader's field paths, so it is left to it.
"""

from __future__ import annotations

import json
import re

from fastapi import Request

from app.core.body_limit import ASGIApp, Receive, Scope, Send
from app.core.errors import ErrorDetail, InvalidInput, error_response, validation_path
from solver.io.limits import strings_problems

_NUL = re.compile(rb"%00|\x00")
LOADER_ROUTES = ("/import/scenario",)


class NulInUrl:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            where = None
            if "\x00" in scope.get("path", "") or _NUL.search(scope.get("raw_path") or b""):
                where = "path"
            elif _NUL.search(scope.get("query_string") or b""):
                where = "query"
            if where is not None:
                response = error_response(
                    400,
                    "bad_request",
                    f"the URL {where} contains a NUL character",
                    [ErrorDetail(where, "must not contain a NUL character")],
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def storable_body(request: Request) -> None:
    """An app-wide dependency: the JSON body (already read and cached for the route) holds nothing
    the database cannot store."""
    if request.method in ("GET", "HEAD", "OPTIONS", "DELETE") or request.url.path in LOADER_ROUTES:
        return
    if not request.headers.get("content-type", "").startswith("application/json"):
        return
    try:
        value = json.loads(await request.body())
    except (ValueError, RecursionError):
        return  # FastAPI's own parser answers with 400 or 422
    problems = strings_problems(value, integers=True)
    if problems:
        raise InvalidInput(
            "the request holds values that cannot be stored",
            [ErrorDetail(validation_path(("body", *where)), problem) for where, problem in problems],
        )
