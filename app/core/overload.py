"""Answer fast under overload: at most `limit` requests are worked on at once in this process; one
more is answered at once with 503 and Retry-After instead of waiting in a queue (for a database
connection, a worker thread) until every client times out. `/health` is never refused."""

from __future__ import annotations

from app.core.body_limit import ASGIApp, Receive, Scope, Send
from app.core.errors import error_response

EXEMPT = ("/health",)


class InFlightLimit:
    def __init__(self, app: ASGIApp, limit: int, retry_after: int = 1) -> None:
        self.app = app
        self.limit = limit
        self.retry_after = retry_after
        self.in_flight = 0  # one event loop per process: no lock needed between awaits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in EXEMPT:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            response = error_response(
                503,
                "overloaded",
                f"the service is busy ({self.limit} requests in progress): try again shortly",
                headers={"Retry-After": str(self.retry_after)},
            )
            await response(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
