"""The interactive API docs (`/docs`), served with no network beyond this service: Swagger UI 5
(which reads OpenAPI 3.1) comes from the `swagger-ui-bundle-v2` package, mounted under
`/static/swagger-ui/`, instead of the CDN FastAPI links by default (a duty office's network is
often offline). ReDoc, which has no such package, is not served."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/static/swagger-ui"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"


def install(app: FastAPI) -> None:
    """`/docs` and its assets; call on an app made with `docs_url=None, redoc_url=None`."""
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        # FastAPI's page starts Swagger UI with an inline script, which the service's CSP
        # (script-src 'self') blocks: the same page, its start-up in a script file of its own.
        return HTMLResponse(
            f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{app.title} · API</title>
<link rel="icon" href="/static/favicon.svg">
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body></html>"""
        )

    @app.get("/docs/start.js", include_in_schema=False)
    def swagger_ui_start() -> Response:
        config = {
            "url": app.openapi_url or "/openapi.json",
            "dom_id": "#swagger-ui",
            "layout": "BaseLayout",
            "deepLinking": True,
            "showExtensions": True,
            "showCommonExtensions": True,
        }
        script = (
            f"const config = {json.dumps(config)};\n"
            f"config.oauth2RedirectUrl = window.location.origin + {json.dumps(OAUTH2_REDIRECT)};\n"
            "config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];\n"
            "window.ui = SwaggerUIBundle(config);\n"
        )
        return Response(script, media_type="text/javascript")

    @app.get(OAUTH2_REDIRECT, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
