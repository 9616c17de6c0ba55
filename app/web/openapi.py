"""The OpenAPI document as the service behaves: every 4xx has the one error shape the handlers
write (`app.core.errors`: `{"error": {"code", "message", "details": [{path, message, value}]}}`),
not FastAPI's default validation shape; 401 and 403 are documented where a token is needed, 404
where a path names a record (which), 409 where a write can meet the current state; every operation
says who may call it (read from the route's role gate, `app.accounts.deps.RequireRoles`) and every
operation and parameter has a description."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, Field

from app.accounts.deps import RequireRoles, get_current_user


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
    "token": "calendar feed",
}

ADMIN, STAFF, ANY = "admin", "staff", "any"
WHO = {
    ADMIN: "Admins only (POST /auth/token for a bearer token).",
    STAFF: "For dispatchers and admins (a bearer token from POST /auth/token); dispatchers only for "
    "the units they manage.",
    ANY: "Needs a bearer token of any account (POST /auth/token); officers see and change only what "
    "their role allows (their own records, their unit's roster).",
}
FORBIDDEN = {
    ADMIN: "Only admins may do this: the token's role is not admin",
    STAFF: "Only dispatchers and admins may do this, and dispatchers only for the units they manage",
    ANY: "The token's role or units may not do this (e.g. an officer asking for another officer's records)",
}


def _gate(dependant: Dependant) -> str | None:
    """Who the route's dependencies let in: admin, staff, any account, or None (public)."""
    found: str | None = None
    for dep in dependant.dependencies:
        if isinstance(dep.call, RequireRoles):
            return ADMIN if dep.call.roles == {"admin"} else STAFF
        if dep.call is get_current_user:
            found = ANY
        found = _gate(dep) or found
    return found


def gates(app: FastAPI) -> dict[tuple[str, str], str | None]:
    """(path, method) → who may call it, for every API route."""
    out: dict[tuple[str, str], str | None] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.path_format:
            for method in route.methods or ():
                out[(context.path_format, method.lower())] = _gate(route.dependant)
    return out


def _parameter(p: dict[str, Any]) -> None:
    if p.get("description") or p.get("schema", {}).get("description"):
        p.setdefault("description", p.get("schema", {}).get("description"))
        return
    name = p["name"]
    if name in RECORDS:
        p["description"] = f"id of the {RECORDS[name]}"
    elif name in PARAMETERS:
        p["description"] = PARAMETERS[name]


def _not_found(path: str) -> str:
    names = [part[1:].split("}")[0] for part in path.split("/") if part.startswith("{")]
    return "No such " + " or ".join(RECORDS.get(n, "record") for n in names)


def _operation(method: str, path: str, op: dict[str, Any], gate: str | None) -> None:
    secured = "security" in op
    who = WHO[gate] if gate else "Public: no token needed."
    if not op.get("description"):
        op["description"] = f"{op.get('summary', '')}.\n\n{who}".lstrip(".\n")
    elif who not in op["description"]:
        op["description"] = f"{op['description']}\n\n{who}"
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
    described = {"403": FORBIDDEN.get(gate or "", STATUS["403"]), "404": _not_found(path)}
    for code in sorted(codes | {c for c in responses if c.startswith("4")}):
        entry = responses.setdefault(code, {"description": described.get(code, STATUS.get(code, "Error"))})
        if code in described and entry.get("description") in ("", STATUS.get(code)):
            entry["description"] = described[code]
        entry["content"] = {"application/json": {"schema": ERROR_REF}}


def _hoist_definitions(op: dict[str, Any], schemas: dict[str, Any], where: str) -> None:
    """A body schema given whole (`openapi_extra`) brings its own definitions, referred to as
    components: move them there, so every `$ref` of the document resolves."""
    for media in op.get("requestBody", {}).get("content", {}).values():
        for name, schema in media.get("schema", {}).pop("$defs", {}).items():
            if schemas.get(name, schema) != schema:
                raise ValueError(f"{where}: the body's schema {name} differs from the component of that name")
            schemas[name] = schema


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
        who = gates(app)
        for path, item in spec.get("paths", {}).items():
            for method, op in item.items():
                if isinstance(op, dict) and method in ("get", "post", "put", "patch", "delete"):
                    _operation(method, path, op, who.get((path, method)))
                    _hoist_definitions(op, schemas, f"{method.upper()} {path}")
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
