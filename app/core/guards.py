"""Refuse, before routing, a URL whose path or query holds a NUL character (400): no id or filter
can contain one (`solver.io.limits`), and PostgreSQL cannot even compare with one."""

from __future__ import annotations

import re

from app.core.body_limit import ASGIApp, Receive, Scope, Send
from app.core.errors import ErrorDetail, error_response

_NUL = re.compile(rb"%00|\x00")


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
