"""Domain errors raised by services, and the one handler that turns every failure into one JSON shape.

Every error response body is `{"error": {"code": ..., "message": ..., "details": [...]}}`; each
detail has a `path` (field path, e.g. `body.officers[3].unit`) and a `message`, and may name an `id`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from solver.io.errors import format_path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorDetail:
    path: str
    message: str
    id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "message": self.message}
        if self.id is not None:
            out["id"] = self.id
        return out


class DomainError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, details: Sequence[ErrorDetail] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details)


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class RuleViolation(DomainError):
    """The input is well-formed but breaks a rule of the domain (a reference, a hard roster rule)."""

    status_code = 422
    code = "rule_violation"


class InvalidInput(DomainError):
    """A document or sheet that does not validate; details list every problem."""

    status_code = 422
    code = "invalid_input"


class Unauthorized(DomainError):
    status_code = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class TooManyRequests(DomainError):
    """Refused for now (a login lockout): try again after `retry_after` seconds."""

    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
    500: "internal_error",
    503: "overloaded",
}
RETRY = {"Retry-After": "1"}


def error_body(code: str, message: str, details: Sequence[ErrorDetail] = ()) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": [d.as_dict() for d in details]}}


class ErrorJSON(JSONResponse):
    """JSON with non-ASCII escaped: an error that quotes a bad value (a lone surrogate) still encodes."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def error_response(
    status: int,
    code: str,
    message: str,
    details: Sequence[ErrorDetail] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return ErrorJSON(error_body(code, message, details), status_code=status, headers=headers)


UNSTORABLE = (
    "a value cannot be stored: a number out of range, a text too long, or a character that is not "
    "allowed (NUL, a lone surrogate)"
)


def validation_path(loc: Sequence[int | str]) -> str:
    """`("body", "officers", 3, "unit")` → `body.officers[3].unit` (as the scenario loader writes it)."""
    return format_path(tuple(loc))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        if isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after)}
        return error_response(exc.status_code, exc.code, exc.message, exc.details, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            ErrorDetail(validation_path(e.get("loc", ())), str(e.get("msg", ""))) for e in exc.errors()
        ]
        return error_response(422, "invalid_input", "the request is not valid", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "error")
        headers = dict(exc.headers) if exc.headers else None
        return error_response(exc.status_code, code, str(exc.detail), headers=headers)

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError) -> JSONResponse:
        log.info("integrity error: %s", exc.orig)
        return error_response(409, "conflict", "the change conflicts with stored data (a concurrent change?)")

    @app.exception_handler(DataError)
    async def _data(_: Request, exc: DataError) -> JSONResponse:
        # The database refused a value the schemas let through; the message names no parameter.
        log.info("data error: %s", type(exc.orig).__name__)
        return error_response(422, "invalid_input", UNSTORABLE)

    @app.exception_handler(OverflowError)
    @app.exception_handler(UnicodeError)
    async def _unstorable(_: Request, exc: Exception) -> JSONResponse:
        log.info("unstorable value: %s", type(exc).__name__)
        return error_response(422, "invalid_input", UNSTORABLE)

    @app.exception_handler(SQLAlchemyTimeout)
    async def _pool_timeout(_: Request, exc: SQLAlchemyTimeout) -> JSONResponse:
        log.warning("no database connection in time: %s", exc)
        return error_response(503, "overloaded", "the service is busy: try again shortly", headers=RETRY)

    @app.exception_handler(RecursionError)
    async def _too_deep(_: Request, exc: RecursionError) -> JSONResponse:
        return error_response(400, "bad_request", "the request is nested too deeply")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return error_response(500, "internal_error", "internal server error")
