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


def test_the_docs_page_needs_no_network_beyond_the_service(api: Api) -> None:
    import re

    html = api.get("/docs", as_=None).text
    assert "cdn." not in html and not re.search(r"""(src|href)=["']https?://""", html), html
    assets = re.findall(r"""(?:src|href)=["'](/[^"']+)["']""", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        assert api.get(asset, as_=None).status_code == 200, asset
    assert api.get("/docs/oauth2-redirect", as_=None).status_code == 200
