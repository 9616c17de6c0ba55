"""Security headers on every response, and the access log without calendar secrets.

- `SecurityHeaders`: a Content-Security-Policy (scripts, styles, images and connections from this
  origin only; no framing, no plugins), X-Frame-Options DENY, X-Content-Type-Options nosniff and
  Referrer-Policy no-referrer. The token response adds Cache-Control no-store itself.
- `RedactSecrets`: a logging filter for `uvicorn.access` that writes `/ical/…` feed URLs with the
  secret replaced, so the log never holds a working feed URL.
"""

from __future__ import annotations

import logging
import re

from app.core.body_limit import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
DOCS_PATHS = ("/docs", "/redoc")
"""FastAPI's documentation pages load their scripts and styles from a CDN: no CSP there."""


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = str(scope.get("path", "")).startswith(DOCS_PATHS)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (k, v)
                    for k, v in HEADERS
                    if k not in present and not (docs and k.startswith(b"content-s"))
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


SECRET_IN_PATH = re.compile(r"(/ical/)[^/\s?\"]+")


class RedactSecrets(logging.Filter):
    """Replace the calendar feed secret in access-log lines (uvicorn passes the path in `args`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                SECRET_IN_PATH.sub(r"\1[secret].ics", a) if isinstance(a, str) else a for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = SECRET_IN_PATH.sub(r"\1[secret].ics", record.msg)
        return True


def redact_access_log() -> None:
    """Install `RedactSecrets` on uvicorn's access logger (once)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
