"""The web app behind Traefik: the two built web apps, ``/readyz`` and JSON error pages.

``dynamic.yml`` routes to it (service ``web``):

- ``/admin/…`` — the admin UI build (Angular, a single-page app): a path that looks like a
  page (no file extension) and is not a file gets ``index.html``, so the app's deep links
  work on reload; a missing asset stays a 404. ``/admin`` is redirected to ``/admin/`` with a
  relative ``Location`` (never built from the request's ``Host``).
- everything else under ``/`` — the customer portal build (plain files).
- ``/readyz`` — 200 only when every service's own ``/readyz`` answers 200, each one's
  status in the body; asked concurrently, each with a short timeout.
- ``/gateway-errors/{status}`` — the body Traefik's ``errors`` middleware puts on the errors
  it makes itself (502 a service is down, 503 none is running, 504 too slow, 413 body too
  large, and the ``/internal`` guard's 404), in the platform's ``{"detail", "error"}`` shape.

Caching: Angular's output files carry a content hash in their names (``main-GH3OYRSU.js``),
so they are cached for a year as ``immutable``; everything else (``index.html``, the portal's
unhashed files, ``config.json``) is ``no-cache``: browsers revalidate with the ETag and get a
304 when nothing changed. Until a site has been built, a small page says how to build it.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import re
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from mubayiro.common.errors import error_body
from mubayiro.common.logs import REQUEST_ID_HEADER, RequestIdMiddleware
from mubayiro.gateway.config import GatewaySettings

SERVICE_NAME = "web"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
#: Angular's build names: ``main-GH3OYRSU.js``, ``chunk--oJPsS5L.js``, ``styles-G42TJ45N.css``.
_HASHED_NAME = re.compile(r"^[a-z]+-[A-Za-z0-9_-]{8}\.(?:js|css|woff2?|svg|png|webp)$")

#: The errors Traefik makes itself, as the platform names them.
GATEWAY_ERRORS: dict[int, tuple[str, str]] = {
    404: ("Not Found", "NotFound"),
    413: ("Request body too large", "PayloadTooLarge"),
    500: ("The gateway failed to handle the request", "InternalServerError"),
    502: ("The service is unavailable; try again shortly", "BadGateway"),
    503: ("The service is unavailable; try again shortly", "ServiceUnavailable"),
    504: ("The service did not answer in time", "GatewayTimeout"),
}


def cache_control(path: str) -> str:
    """The ``Cache-Control`` for a file of a built site (see the module docstring)."""
    return IMMUTABLE if _HASHED_NAME.match(path.rsplit("/", 1)[-1]) else REVALIDATE


def _json_error(status: int, detail: str, error: str) -> JSONResponse:
    return JSONResponse(error_body(detail, error), status_code=status,
                        headers={"Cache-Control": "no-store"})


class StaticSite:
    """One build folder served below ``prefix`` (``/admin/`` or ``/``)."""

    def __init__(self, directory: Path, *, prefix: str, spa: bool, build_hint: str,
                 docs_services: Sequence[str]):
        self.directory = directory
        self.prefix = prefix
        self.spa = spa
        self.build_hint = build_hint
        self.docs_services = tuple(docs_services)
        # check_dir=False: the folder may be built while the app runs.
        self.files = StaticFiles(directory=directory, check_dir=False)

    @property
    def built(self) -> bool:
        """Whether the folder holds a build (an ``index.html``)."""
        return (self.directory / "index.html").is_file()

    async def respond(self, request: Request) -> Response:
        """Answer a GET or HEAD for a path below :attr:`prefix`."""
        relative = request.url.path[len(self.prefix):]
        if not self.built:
            if self.spa or relative in ("", "index.html"):
                return HTMLResponse(self.placeholder(), headers={"Cache-Control": REVALIDATE})
            return _json_error(404, "Not Found", "NotFound")
        if relative in ("", "index.html") or relative.endswith("/"):
            return self._index(relative)
        scope: Scope = {**request.scope, "path": "/" + relative}
        try:
            response = await self.files.get_response(relative, scope)
        except HTTPException as exc:
            if exc.status_code == 404 and self.spa and _looks_like_page(relative):
                return self._index("")
            if exc.status_code == 404:
                return _json_error(404, "Not Found", "NotFound")
            return _json_error(exc.status_code, str(exc.detail), "HTTPError")
        response.headers["Cache-Control"] = cache_control(relative)
        return response

    def _index(self, relative: str) -> Response:
        index = self.directory / relative / "index.html" if relative.endswith("/") else (
            self.directory / "index.html")
        if not index.is_file():
            return _json_error(404, "Not Found", "NotFound")
        return FileResponse(index, headers={"Cache-Control": REVALIDATE})

    def placeholder(self) -> str:
        """The page shown until the folder has been built."""
        what = "admin app" if self.spa else "customer portal"
        links = "\n".join(
            f'      <li><a href="/docs/{html.escape(s)}">/docs/{html.escape(s)}</a></li>'
            for s in self.docs_services
        )
        return _PLACEHOLDER.format(what=html.escape(what), folder=html.escape(str(self.directory)),
                                   hint=html.escape(self.build_hint), links=links)


def _looks_like_page(path: str) -> bool:
    # `customers/42` is a page of the app; `main-3f2a.js` is a file that is not there.
    return "." not in path.rsplit("/", 1)[-1]


class Readiness:
    """``GET /readyz``: asks every service's own ``/readyz`` (every replica) at once."""

    def __init__(self, servers: dict[str, list[str]]):
        self.servers = servers
        #: Made by the app's lifespan, with the ``readyz_timeout_seconds`` per probe.
        self.client: httpx.AsyncClient | None = None

    async def probe(self, base_url: str, request_id: str) -> bool:
        """Whether one server of a service answers its ``/readyz`` with 200."""
        assert self.client is not None
        try:
            response = await self.client.get(f"{base_url.rstrip('/')}/readyz",
                                              headers={REQUEST_ID_HEADER: request_id})
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def state(self, urls: list[str], request_id: str) -> str:
        """A service is ``ready`` when every one of its servers is (Traefik may pick any)."""
        results = await asyncio.gather(*(self.probe(url, request_id) for url in urls))
        return "ready" if results and all(results) else "unavailable"

    async def __call__(self, request: Request) -> JSONResponse:
        """200 with every service ``ready``, else 503; each service's state in the body."""
        request_id = request.headers.get(REQUEST_ID_HEADER, "")
        names = sorted(self.servers)
        states = await asyncio.gather(*(self.state(self.servers[n], request_id) for n in names))
        services = dict(zip(names, states, strict=True))
        ready = all(state == "ready" for state in services.values())
        body: dict[str, Any] = {"status": "ready" if ready else "unavailable",
                                "services": services}
        return JSONResponse(body, status_code=200 if ready else 503,
                            headers={"Cache-Control": "no-store"})


def create_app(settings: GatewaySettings | None = None) -> Starlette:
    """The web app (see the module docstring) for ``settings``."""
    settings = settings or GatewaySettings()
    docs = sorted(settings.upstreams)
    admin = StaticSite(settings.admin_ui_dir, prefix="/admin/", spa=True, docs_services=docs,
                       build_hint="cd admin-ui && npm run build")
    portal = StaticSite(settings.portal_dir, prefix="/", spa=False, docs_services=docs,
                        build_hint="cd customer-portal && npm run build")
    readiness = Readiness({name: settings.servers(name) for name in settings.upstreams})

    async def admin_root(request: Request) -> Response:
        query = f"?{request.url.query}" if request.url.query else ""
        return Response(status_code=308, headers={"Location": f"/admin/{query}"})

    async def admin_files(request: Request) -> Response:
        return await admin.respond(request)

    async def portal_files(request: Request) -> Response:
        return await portal.respond(request)

    async def gateway_error(request: Request) -> Response:
        status = request.path_params["status"]
        detail, error = GATEWAY_ERRORS.get(status, ("Gateway error", "GatewayError"))
        return _json_error(status if 400 <= status <= 599 else 502, detail, error)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok", "service": SERVICE_NAME})

    async def method_not_allowed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        response = _json_error(exc.status_code, str(exc.detail), "MethodNotAllowed"
                               if exc.status_code == 405 else "HTTPError")
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def ready(request: Request) -> Response:
        return await readiness(request)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=settings.readyz_timeout_seconds,
                                     trust_env=False) as client:
            readiness.client = client
            yield
            readiness.client = None

    read = ["GET", "HEAD"]
    app = Starlette(
        routes=[
            Route("/readyz", ready, methods=read),
            Route("/healthz", healthz, methods=read),
            # Traefik's errors middleware asks with the original method: answer them all.
            Route("/gateway-errors/{status:int}", gateway_error,
                  methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
            Route("/admin", admin_root, methods=read),
            Route("/admin/{path:path}", admin_files, methods=read),
            Route("/{path:path}", portal_files, methods=read),
        ],
        exception_handlers={HTTPException: method_not_allowed},
        lifespan=lifespan,
    )
    app.add_middleware(RequestIdMiddleware)
    return app


_PLACEHOLDER = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Mubayiro loyalty platform</title>
</head>
<body>
  <h1>Mubayiro</h1>
  <p><em>Mubayiro</em> (Shona for "reward") is a coalition loyalty platform: many small
     businesses, one points balance per customer, identified by phone number alone.
     Businesses award and redeem points; customers check them on the web, by SMS or by
     chatting with an assistant.</p>
  <p>The gateway is running, but the {what} has not been built yet
     (<code>{folder}</code> is missing). Build it with <code>{hint}</code>.</p>
  <h2>Meanwhile</h2>
  <ul>
    <li><a href="/healthz">/healthz</a> &mdash; the gateway is alive</li>
    <li><a href="/readyz">/readyz</a> &mdash; is every service ready?</li>
  </ul>
  <p>API documentation of each service:</p>
  <ul>
{links}
  </ul>
</body>
</html>
"""
