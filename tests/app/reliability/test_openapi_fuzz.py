"""Schemathesis over the whole OpenAPI document (issue 10's reliability suite): every operation,
as an admin and as an officer, against SQLite and PostgreSQL (the `engine` fixture's backends), a
few generated requests each: no server error, and every response that the document describes
conforms to its schema (the documented `date-time`s included).

Bounded: `EXAMPLES` generated requests per operation and role, no shrinking (one role on SQLite
took 36 s of CPU, 3 min 53 s of wall time on a shared, overloaded two-core machine).
More: `ROSTER_FUZZ_EXAMPLES=50 pytest tests/app/reliability`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from app.main import create_app
from tests.conftest import TOKENS, served_app, test_settings

EXAMPLES = int(os.environ.get("ROSTER_FUZZ_EXAMPLES", "1"))


schema = schemathesis.openapi.from_dict(create_app(test_settings()).openapi())
"""The document only (an app without its database); requests go to `service` below."""


@pytest.fixture
def service(session_factory: Any) -> Iterator[TestClient]:
    """The service on the rolled-back test connection (SQLite, PostgreSQL), lifespan run."""
    with TestClient(served_app(test_settings(), session_factory), raise_server_exceptions=False) as client:
        yield client


BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def call_as(service: TestClient, case: Any, role: str) -> None:
    headers = {"Authorization": f"Bearer {TOKENS[role]}"}
    kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
    response = service.request(**kwargs, follow_redirects=False)
    response.request.read()  # a multipart body is a stream: read it, so the checks can show it
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


@schema.parametrize()
@BOUNDED
def test_as_an_admin(service: TestClient, case: Any) -> None:
    call_as(service, case, "admin")


@schema.parametrize()
@BOUNDED
def test_as_an_officer(service: TestClient, case: Any) -> None:
    call_as(service, case, "officer")
