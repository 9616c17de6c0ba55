"""The OpenAPI document as the service behaves: every 4xx has the one error shape the handlers
write (`app.core.errors`: `{"error": {"code", "message", "details": [{path, message, value}]}}`),
not FastAPI's default validation shape; 401 and 403 are documented where a token is needed, 404
where a path names a record, 409 where a write can meet the current state; every operation and
parameter has a description."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field


class ErrorDetailOut(BaseModel):
    path: str = Field(description="where in the request, e.g. body.duty.officer or query.date")
    message: str
    value: Any = Field(None, description="the offending value or id, when there is one")


class ErrorInfo(BaseModel):
    code: str = Field(description="not_found, conflict, rule_violation, invalid_input, unauthorized, …")
    message: str = Field(description="in English, naming the field and the id")
    details: list[ErrorDetailOut]


class ErrorOut(BaseModel):
    """Every error response body."""

    error: ErrorInfo


ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}

STATUS = {
    "400": "Bad request",
    "401": "No token, or it is expired or revoked (log in with POST /auth/token)",
    "403": "The token's role or units may not do this",
    "404": "No such record",
    "409": "Conflicts with the current state (e.g. a rule would break, the record changed, already done)",
    "413": "Request body too large",
    "422": "Invalid input: each detail names the field path and the id",
}

PARAMETERS = {
    "limit": "page size (at most 500)",
    "offset": "how many items to skip",
    "start": "first day (YYYY-MM-DD), in the detachment's calendar",
    "end": "day after the last (exclusive, YYYY-MM-DD)",
    "days": "number of days",
    "date": "the day (YYYY-MM-DD)",
    "at": "a local wall-clock time in the detachment's zone (YYYY-MM-DDTHH:MM)",
    "unit": "unit id",
    "officer": "officer id",
    "post": "post id",
    "shift": "shift type id",
    "skill": "skill id",
    "serves": "unit id the officer may serve",
    "status": "status to filter by",
    "kind": "kind to filter by",
    "role": "account role: admin, dispatcher or officer",
    "q": "text to search in ids and names",
    "token": "the calendar feed's secret token",
    "level": "duty level: normal (常态), level3 (三级), level2 (二级) or level1 (一级)",
    "version": "version number (omitted: the latest)",
    "supervisor": "supervisor's officer id",
    "plan": "id of a tour plan: only its jobs",
    "unread": "only unread ones (true) or only read ones (false)",
}
RECORDS = {
    "officer_id": "officer",
    "roster_id": "roster version",
    "change_id": "change request",
    "user_id": "account",
    "unit_id": "unit",
    "skill_id": "skill",
    "shift_id": "shift type",
    "post_id": "post",
    "request_id": "officer's request",
    "job_id": "solve job",
    "span_id": "unavailability span",
    "duty_id": "history duty",
    "pinned_id": "pinned duty",
    "other_id": "other roster version",
    "plan_id": "tour plan",
    "notification_id": "notification",
    "declaration_id": "duty-level declaration",
    "group_id": "duty group",
}


def _parameter(p: dict[str, Any]) -> None:
    if p.get("description") or p.get("schema", {}).get("description"):
        p.setdefault("description", p.get("schema", {}).get("description"))
        return
    name = p["name"]
    if name in RECORDS:
        p["description"] = f"id of the {RECORDS[name]}"
    elif name in PARAMETERS:
        p["description"] = PARAMETERS[name]


def _operation(method: str, path: str, op: dict[str, Any]) -> None:
    secured = "security" in op
    if not op.get("description"):
        who = "Needs a bearer token (POST /auth/token)." if secured else "Public: no token needed."
        op["description"] = f"{op.get('summary', '')}.\n\n{who}".lstrip(".\n")
    for p in op.get("parameters", []):
        _parameter(p)
    responses = op.setdefault("responses", {})
    codes = {"422"}
    if secured:
        codes |= {"401", "403"}
    if "{" in path:
        codes.add("404")
    if method in ("post", "put", "patch", "delete") and not path.startswith("/auth/"):
        codes.add("409")
    for code in sorted(codes | {c for c in responses if c.startswith("4")}):
        entry = responses.setdefault(code, {"description": STATUS.get(code, "Error")})
        entry["content"] = {"application/json": {"schema": ERROR_REF}}


def install(app: FastAPI) -> None:
    """Make `app.openapi()` the document above (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorDetailOut, ErrorInfo, ErrorOut):
            schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(schema.pop("$defs", {}))
            schemas[model.__name__] = schema
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        for path, item in spec.get("paths", {}).items():
            for method, op in item.items():
                if isinstance(op, dict) and method in ("get", "post", "put", "patch", "delete"):
                    _operation(method, path, op)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
