"""The contract (issue 10): every timestamp the API returns carries its UTC offset, as the
OpenAPI document's `date-time` says; local wall-clock times are documented as such."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from tests.conftest import Api

TIMESTAMP_KEYS = {"created_at", "updated_at", "published_at", "started_at", "finished_at", "expires_at", "at"}


def timestamps(value: Any) -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in TIMESTAMP_KEYS and isinstance(item, str):
                found.append(item)
            else:
                found += timestamps(item)
    elif isinstance(value, list):
        for item in value:
            found += timestamps(item)
    return found


def test_every_timestamp_has_an_offset(api: Api, published: int) -> None:
    token = api.post("/auth/token", as_=None, data={"username": "admin", "password": "password-admin"})
    bodies = [token.json()]
    for path in ("/auth/me", "/users", "/rosters", f"/rosters/{published}", "/audit", "/jobs", "/changes"):
        response = api.get(path)
        assert response.status_code == 200, (path, response.text)
        bodies.append(response.json())
    found = timestamps(bodies)
    assert len(found) >= 5, found
    for text in found:
        moment = datetime.fromisoformat(text)
        assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 0, text
        assert text.endswith("+00:00"), text


def test_the_openapi_document_says_which_times_are_local(api: Api) -> None:
    schemas = api.get("/openapi.json", as_=None).json()["components"]["schemas"]
    for name in ("UserRead", "RosterRead", "JobRead", "AuditEventRead", "ChangeRead"):
        if name not in schemas:
            continue
        for field, spec in schemas[name]["properties"].items():
            if field in TIMESTAMP_KEYS:
                options = spec.get("anyOf", [spec])
                assert any(o.get("format") == "date-time" for o in options), (name, field)
    unavailability = schemas["UnavailabilityRead"]["properties"]["start"]
    assert "format" not in unavailability and re.search("local", unavailability["description"])
