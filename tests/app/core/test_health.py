from __future__ import annotations

from tests.conftest import Api


def test_health_needs_no_token(api: Api) -> None:
    response = api.get("/health", as_=None)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] in ("sqlite", "postgresql")


def test_openapi_docs_are_served(api: Api) -> None:
    assert api.get("/docs", as_=None).status_code == 200
    paths = api.get("/openapi.json", as_=None).json()["paths"]
    assert "/on-duty" in paths and "/jobs" in paths
