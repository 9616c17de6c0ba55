"""The bad-input corpus (issue 10, point 5): every malformed request gets a clean 4xx in the one error
shape, on SQLite and PostgreSQL; never a 500, and nothing is stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import TOKENS, test_settings

INT32_MAX = 2**31 - 1

# --------------------------------------------------------------------------- raw bodies


def _deep(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


def _deep_object(depth: int) -> bytes:
    return ('{"a":' * depth + "1" + "}" * depth).encode()


def _scenario(**changes: Any) -> dict[str, Any]:
    """A tiny valid scenario with `changes` applied to its first officer."""
    officer = {"id": "t-01", "name": "测试警员", "unit": "tu"}
    officer.update(changes.pop("officer", {}))
    doc: dict[str, Any] = {
        "name": "tiny",
        "horizon": {"start": "2021-11-08", "days": 1},
        "shift_types": [{"id": "D", "name": "白班", "start": "08:00", "minutes": 480}],
        "units": [{"id": "tu", "name": "测试大队"}],
        "posts": [
            {
                "id": "tp",
                "name": "测试岗",
                "kind": "other",
                "unit": "tu",
                "coverage": [{"shift": "D", "min": 0}],
            }
        ],
        "officers": [officer],
    }
    doc.update(changes)
    return doc


BODIES: dict[str, tuple[str, str, bytes]] = {
    # name: (method, path, raw JSON body)
    "array nested 5000 deep": ("POST", "/units", _deep(5000)),
    "object nested 5000 deep": ("POST", "/units", _deep_object(5000)),
    "scenario nested 5000 deep": ("POST", "/import/scenario", _deep(5000)),
    "integer of 5000 digits": (
        "POST",
        "/shift-types",
        b'{"id":"Z","name":"z","start":"08:00","minutes":' + b"9" * 5000 + b"}",
    ),
    "scenario integer of 5000 digits": (
        "POST",
        "/import/scenario",
        json.dumps(_scenario()).replace('"days": 1', '"days": ' + "9" * 5000).encode(),
    ),
    "lone surrogate in a unit name": ("POST", "/units", b'{"id":"sur","name":"a\\ud800b"}'),
    "lone surrogate in an id": ("POST", "/units", b'{"id":"s\\udfffr","name":"n"}'),
    "lone surrogate in a scenario name": (
        "POST",
        "/import/scenario",
        json.dumps(_scenario(officer={"name": "\ud800"})).encode(),
    ),
    "NUL in a unit name": ("POST", "/units", b'{"id":"nul","name":"a\\u0000b"}'),
    "NUL in a unit id": ("POST", "/units", b'{"id":"n\\u0000l","name":"n"}'),
    "NUL in a reason": (
        "POST",
        "/officers/gz-01/unavailability",
        b'{"start":"2021-11-20T08:00","end":"2021-11-20T10:00","reason":"\\u0000"}',
    ),
    "NUL in a scenario officer name": (
        "POST",
        "/import/scenario",
        json.dumps(_scenario(officer={"name": "a\x00b"})).encode(),
    ),
    "weight 10^30 in a scenario": (
        "POST",
        "/import/scenario",
        json.dumps(_scenario(rules={"weights": {"shortfall": 10**30}})).encode(),
    ),
    "weight 2^31 in a scenario": (
        "POST",
        "/import/scenario",
        json.dumps(_scenario(rules={"weights": {"request": 2**31}})).encode(),
    ),
    "request weight 10^30 in a scenario": (
        "POST",
        "/import/scenario",
        json.dumps(
            _scenario(officer={"requests": [{"kind": "day_off", "date": "2021-11-08", "weight": 10**30}]})
        ).encode(),
    ),
    "weight 10^30 in the settings": (
        "PATCH",
        "/settings",
        b'{"weights":{"shortfall":' + str(10**30).encode() + b"}}",
    ),
    "weight 2^31 in the settings": (
        "PATCH",
        "/settings",
        b'{"weights":{"change":' + str(2**31).encode() + b"}}",
    ),
    "shift position 2^31": (
        "POST",
        "/shift-types",
        b'{"id":"Z","name":"z","start":"08:00","minutes":60,"position":' + str(2**31).encode() + b"}",
    ),
    "scenario officer id of 65 characters": (
        "POST",
        "/import/scenario",
        json.dumps(_scenario(officer={"id": "x" * 65})).encode(),
    ),
    "scenario officer name of 201 characters": (
        "POST",
        "/import/scenario",
        json.dumps(_scenario(officer={"name": "名" * 201})).encode(),
    ),
    "scenario unit id of 65 characters": (
        "POST",
        "/import/scenario",
        json.dumps(
            _scenario(
                units=[{"id": "u" * 65, "name": "n"}],
                posts=[],
                officers=[{"id": "t-01", "name": "n", "unit": "u" * 65}],
            )
        ).encode(),
    ),
}


PATHS: dict[str, str] = {
    "change id 2^31": f"/changes/{2**31}",
    "change id 14290380645082": "/changes/14290380645082",
    "change id 2^63": f"/changes/{2**63}",
    "change id 2^70": f"/changes/{2**70}",
    "job id 2^31": f"/jobs/{2**31}",
    "roster id 2^63": f"/rosters/{2**63}",
    "user id 2^40": f"/users/{2**40}",
    "request id 2^40": f"/requests/{2**40}",
    "offset 2^31": f"/officers?offset={2**31}",
    "offset 2^63": f"/units?offset={2**63}",
    "change page 2^62": f"/changes?page={2**62}",
    "audit offset 2^64": f"/audit?offset={2**64}",
    "officer id with NUL": "/officers/gz%0001",
    "unit id with NUL": "/units/a%00b",
    "officer id of 65 characters": "/officers/" + "x" * 65,
    "officer id with a lone surrogate (bad UTF-8)": "/officers/%ED%A0%80",
    "query with NUL": "/officers?q=a%00b",
    "duties filter with NUL": "/duties?officer=a%00b",
    "roster query 2^63": f"/rosters?offset={2**63}",
}


@pytest.fixture
def raw(session_factory: Any) -> Iterator[TestClient]:
    """A client that reports a server error as a 500 response instead of raising it."""
    from app.main import create_app

    app = create_app(test_settings(), session_factory)
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {TOKENS['admin']}"
        yield client


def _clean_error(response: Any) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    body = response.json()
    assert set(body) == {"error"} and {"code", "message", "details"} <= set(body["error"]), body
    return dict(body["error"])


@pytest.mark.parametrize("name", list(BODIES))
def test_bad_body_is_a_clean_4xx(raw: TestClient, name: str) -> None:
    method, path, body = BODIES[name]
    units_before = raw.get("/units").json()["total"]
    response = raw.request(method, path, content=body, headers={"Content-Type": "application/json"})
    _clean_error(response)
    assert raw.get("/units").json()["total"] == units_before  # nothing stored half-way


HARMLESS: dict[str, str] = {
    # decoded with replacement characters: an ordinary filter that matches nothing
    "query with bad UTF-8": "/officers?unit=%ff%fe",
    "path with bad UTF-8": "/officers/%ff%fe",
}


@pytest.mark.parametrize("name", list(HARMLESS))
def test_undecodable_url_is_no_server_error(raw: TestClient, name: str) -> None:
    assert raw.get(HARMLESS[name]).status_code in (200, 404)


@pytest.mark.parametrize("name", list(PATHS))
def test_bad_path_or_query_is_a_clean_4xx(raw: TestClient, name: str) -> None:
    _clean_error(raw.get(PATHS[name]))


def test_error_paths_name_the_field(raw: TestClient) -> None:
    nul = raw.post("/units", json={"id": "nul", "name": "a\x00b"})
    assert [d["path"] for d in _clean_error(nul)["details"]] == ["body.name"]
    big = raw.get(f"/changes/{2**31}")
    assert [d["path"] for d in _clean_error(big)["details"]] == ["path.change_id"]
    offset = raw.get(f"/officers?offset={2**31}")
    assert [d["path"] for d in _clean_error(offset)["details"]] == ["query.offset"]
    weight = raw.post("/import/scenario", json=_scenario(rules={"weights": {"shortfall": 10**30}}))
    assert [d["path"] for d in _clean_error(weight)["details"]] == ["rules.weights.shortfall"]
