"""The OpenAPI document tells the truth: every 4xx has the error shape the service really sends,
401/403/404/409 are documented where they can happen, every operation and parameter is described."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from tests.conftest import EXAMPLE_SMALL, Api

ERROR = {"$ref": "#/components/schemas/ErrorOut"}


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, item in spec["paths"].items() for m, op in item.items()]


def test_every_operation_and_parameter_is_described_and_every_4xx_has_the_error_shape(api: Api) -> None:
    spec = api.get("/openapi.json", as_=None).json()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for method, path, op in operations(spec):
        assert op.get("description"), (method, path)
        for p in op.get("parameters", []):
            assert p.get("description"), (method, path, p["name"])
        for code, response in op["responses"].items():
            if code.startswith("4"):
                assert response["content"]["application/json"]["schema"] == ERROR, (method, path, code)
        codes = set(op["responses"])
        if "security" in op:
            assert {"401", "403"} <= codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if method in ("post", "patch", "delete") and not path.startswith("/auth/"):
            assert "409" in codes, (method, path)


def test_every_reference_resolves(api: Api) -> None:
    """A client generator follows every `$ref`: each names a component of the document (the
    scenario body's definitions included, which pydantic would keep under a `$defs` of its own)."""
    spec = api.get("/openapi.json", as_=None).json()
    components = spec["components"]["schemas"]
    refs: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            assert "$defs" not in node
            if isinstance(node.get("$ref"), str):
                refs.add(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    prefix = "#/components/schemas/"
    assert "#/components/schemas/PostDoc" in refs  # (the scenario body's)
    assert {r for r in refs if not r.startswith(prefix) or r[len(prefix) :] not in components} == set()
    body = spec["paths"]["/import/scenario"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    # the documented body, its references resolved in the document, takes a valid scenario
    document = json.loads(EXAMPLE_SMALL.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator({**body, "components": spec["components"]}).validate(document)


def test_the_errors_the_service_sends_match_the_documented_shape(api: Api) -> None:
    spec = api.get("/openapi.json", as_=None).json()
    schema = {**ERROR, "components": spec["components"]}
    sent = [
        api.get("/officers/no-such-officer"),  # 404
        api.get("/officers", as_=None),  # 401
        api.get("/duties", params={"start": "not-a-date"}),  # 422
        api.post("/jobs", as_="officer", json={"start": "2021-11-08"}),  # 403
    ]
    assert [r.status_code for r in sent] == [404, 401, 422, 403]
    for response in sent:
        jsonschema.validate(response.json(), schema)
