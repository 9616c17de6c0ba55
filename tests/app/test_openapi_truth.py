"""The OpenAPI document against the service itself, route by route: an operation says it needs a
token exactly when the service asks for one, each documented 401/403/404/409 says what it means,
who may call it is written in its description, and the sheet imports name their columns."""

from __future__ import annotations

from typing import Any

import jsonschema

from app.reference import sheets
from tests.app.accounts.test_access import ACCESS, ADMIN, ANY, PUBLIC, STAFF
from tests.conftest import Api

WRITES = ("post", "put", "patch", "delete")


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, item in spec["paths"].items() for m, op in item.items()]


def test_security_and_the_4xx_of_every_route(api: Api) -> None:
    spec = api.get("/openapi.json", as_=None).json()
    generic = {"Error", ""}
    for method, path, op in operations(spec):
        rule = ACCESS[(method.upper(), path)]
        assert ("security" in op) == (rule != PUBLIC), (method, path, rule)
        responses = op["responses"]
        for code in [c for c in responses if c.startswith("4")]:
            assert responses[code]["description"] not in generic, (method, path, code)
        if rule in (STAFF, ADMIN):
            who = "admins" if rule == ADMIN else "dispatchers and admins"
            assert who in responses["403"]["description"], (method, path, responses["403"])
            assert who in op["description"].lower(), (method, path)
        if rule == ANY:
            assert "any account" in op["description"], (method, path)
        if "{" in path:
            assert responses["404"]["description"].startswith("No such "), (method, path)
        if method in WRITES and not path.startswith("/auth/"):
            assert "409" in responses, (method, path)


def test_the_sheet_imports_name_their_columns(api: Api) -> None:
    spec = api.get("/openapi.json", as_=None).json()
    for path, columns in (
        ("/import/officers", sheets.OFFICER_COLUMNS),
        ("/import/posts", sheets.POST_COLUMNS),
        ("/import/unavailability", sheets.UNAVAILABILITY_COLUMNS),
    ):
        description = spec["paths"][path]["post"]["description"]
        for column in columns:
            for header in sheets.HEADERS[column]:
                assert header in description, (path, header)


def test_a_conflict_and_a_forbidden_write_are_sent_in_the_documented_shape(api: Api) -> None:
    spec = api.get("/openapi.json", as_=None).json()
    schema = {"$ref": "#/components/schemas/ErrorOut", "components": spec["components"]}
    unit = api.get("/units").json()["items"][0]
    sent = [
        api.post("/units", json={"id": unit["id"], "name": "again"}),  # 409
        api.post("/officers", as_="hq_dispatcher", json={"id": "gz-99", "name": "x", "unit": "ganzhou"}),
        api.get("/audit", as_="dispatcher", params={"start": "2021-11-10", "end": "2021-11-09"}),
    ]
    assert [r.status_code for r in sent] == [409, 403, 422]
    for response in sent:
        jsonschema.validate(response.json(), schema)
        assert response.json()["error"]["message"]
    assert sent[2].json()["error"]["details"][0]["path"] == "query.end"
