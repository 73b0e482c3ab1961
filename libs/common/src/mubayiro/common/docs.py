"""API documentation and cross-origin access, the same in every service.

:func:`install_docs` serves a service's OpenAPI document at ``/openapi/<service>.json`` and
Swagger UI at ``/docs/<service>`` (paths the gateway routes to that service unchanged), with
Swagger UI's own files served by the service from the ``swagger-ui-bundle-v2`` package: no
page loads a script from a CDN. Documentation is on by default outside production and off in
production (``<SVC>_DOCS_ENABLED`` overrides either way); when off, those paths are 404.

:func:`install_cors` answers cross-origin requests and preflights for exactly the origins in
``<SVC>_CORS_ORIGINS`` (empty by default: same-origin only, as every app is served through the
gateway today). Tokens travel in the ``Authorization`` header, never in cookies, so credentials
are never allowed and ``*`` is never sent.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from mubayiro.common.settings import ServiceSettings

#: What a cross-origin caller may send and read (beyond the CORS-safelisted headers).
CORS_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
CORS_REQUEST_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"]
CORS_EXPOSED_HEADERS = ["X-Request-ID", "Idempotent-Replayed", "Retry-After", "Location",
                        "Content-Disposition"]


def docs_urls(settings: ServiceSettings) -> tuple[str | None, str | None]:
    """The Swagger UI path and the OpenAPI path, or ``None`` each when docs are off."""
    if not settings.docs_are_enabled:
        return None, None
    name = settings.service_name
    return f"/docs/{name}", f"/openapi/{name}.json"


def install_docs(app: FastAPI, settings: ServiceSettings) -> None:
    """Serve Swagger UI at ``/docs/<service>`` from local files (see the module docstring).

    The app must have been built with ``docs_url=None`` and ``openapi_url`` from
    :func:`docs_urls`; nothing is installed when docs are off.
    """
    docs_url, openapi_url = docs_urls(settings)
    if docs_url is None or openapi_url is None:
        return
    static = f"{docs_url}/static"
    redirect = f"{docs_url}/oauth2-redirect"
    app.mount(static, StaticFiles(directory=str(swagger_ui_path)), name=f"{docs_url}-static")

    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{app.title} — API",
            swagger_js_url=f"{static}/swagger-ui-bundle.js",
            swagger_css_url=f"{static}/swagger-ui.css",
            swagger_favicon_url=f"{static}/favicon-32x32.png",
            oauth2_redirect_url=redirect,
        )

    async def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    app.add_api_route(docs_url, swagger_ui, include_in_schema=False)
    app.add_api_route(redirect, oauth2_redirect, include_in_schema=False)


def install_cors(app: FastAPI, settings: ServiceSettings) -> None:
    """Allow cross-origin calls from exactly ``settings.cors_origins`` (none by default)."""
    if not settings.cors_origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_credentials=False,
        allow_methods=CORS_METHODS,
        allow_headers=CORS_REQUEST_HEADERS,
        expose_headers=CORS_EXPOSED_HEADERS,
        max_age=600,
    )
