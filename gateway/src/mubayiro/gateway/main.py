"""The development gateway as an ASGI app: own routes, then the Traefik route table.

A request goes through, in order:

1. :func:`~mubayiro.gateway.paths.clean_path` — ``/internal`` in any disguise is a 404,
   dot segments and encoded slashes are refused;
2. the gateway's own routes: ``GET /healthz`` (alive) and ``GET /readyz`` (every
   upstream's ``/readyz``, asked concurrently);
3. the router the route table picks, its middlewares (a redirect answers here), then its
   service: ``noop@internal`` → 404, ``ping@internal`` → the gateway's ``/healthz``,
   ``portal``/``admin`` → the build folders, any other → the upstream from
   ``settings.upstreams``.

:func:`create_app` wraps it in the shared ``RequestIdMiddleware`` (request id and access
log); :func:`create_redirect_app` is the plain-HTTP side, which only redirects to HTTPS.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from starlette.responses import JSONResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from mubayiro.common.logs import REQUEST_ID_HEADER, RequestIdMiddleware, current_request_id
from mubayiro.gateway.config import GatewaySettings
from mubayiro.gateway.paths import PathRefused, clean_path
from mubayiro.gateway.proxy import Proxy, send_error
from mubayiro.gateway.routes import (
    NOOP_SERVICE,
    PING_SERVICE,
    RouteTable,
    Target,
    load_route_table,
)
from mubayiro.gateway.static import StaticSite

logger = logging.getLogger(__name__)

SERVICE_NAME = "gateway"


class Gateway:
    """The gateway's ASGI app (see the module docstring for the order of things)."""

    def __init__(self, settings: GatewaySettings, table: RouteTable):
        self.settings = settings
        self.table = table
        docs = list(settings.upstreams)
        self.sites: dict[str, StaticSite] = {
            "admin": StaticSite("admin", settings.admin_ui_dir, spa=True, docs_services=docs,
                                build_hint="cd admin-ui && npm run build"),
            "portal": StaticSite("portal", settings.portal_dir, spa=False, docs_services=docs,
                                 build_hint="cd customer-portal && npm run build"),
        }
        self._client: httpx.AsyncClient | None = None
        self._proxy: Proxy | None = None
        unrouted = self.table.service_names - set(settings.upstreams) - set(self.sites)
        for service in sorted(s for s in unrouted if not s.endswith("@internal")):
            logger.warning("service %s has no upstream; its routes answer 502", service)

    # --- lifespan ---------------------------------------------------------------------

    async def startup(self) -> None:
        """Open the pooled upstream client."""
        s = self.settings
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(connect=s.connect_timeout_seconds, read=s.read_timeout_seconds,
                                  write=s.read_timeout_seconds, pool=s.connect_timeout_seconds),
            limits=httpx.Limits(max_connections=s.max_upstream_connections,
                                max_keepalive_connections=min(100, s.max_upstream_connections)),
            # Upstreams are local: no proxy from the environment, no redirects followed
            # (a redirect is the client's to follow).
            trust_env=False,
            follow_redirects=False,
        )
        self._proxy = Proxy(self._client)

    async def shutdown(self) -> None:
        """Close the upstream client."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None
            self._proxy = None

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # --- requests ---------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection (lifespan or HTTP)."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":  # websockets are not routed
            await send({"type": "websocket.close", "code": 1008})
            return
        try:
            clean = clean_path(scope.get("raw_path") or scope["path"].encode("utf-8"))
        except PathRefused as refused:
            await send_error(scope, receive, send, refused.status_code, refused.detail,
                             refused.error)
            return

        method = scope["method"]
        if clean.path in ("/healthz", "/readyz"):
            if method not in ("GET", "HEAD"):
                await send_error(scope, receive, send, 405, "Method Not Allowed",
                                 "MethodNotAllowed")
                return
            response = self.health() if clean.path == "/healthz" else await self.readiness()
            await response(scope, receive, send)
            return

        router = self.table.match(clean.path)
        if router is None:
            await send_error(scope, receive, send, 404, "Not Found", "NotFound")
            return
        target = Target(
            method=method,
            scheme=scope.get("scheme", "https"),
            host=_host_header(scope),
            path=clean.path,
            raw_path=clean.raw,
            query=scope.get("query_string", b"").decode("latin-1"),
        )
        redirect = router.apply_middlewares(target)
        if redirect is not None:
            await RedirectResponse(redirect.location, redirect.status_code)(scope, receive, send)
            return
        await self._serve(scope, receive, send, router.service, target)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, service: str,
                     target: Target) -> None:
        if service == NOOP_SERVICE:
            # Traefik's noop answers 418 and the guard's errors middleware makes it a 404.
            await send_error(scope, receive, send, 404, "Not Found", "NotFound")
            return
        if service == PING_SERVICE:
            await self.health()(scope, receive, send)
            return
        site = self.sites.get(service)
        if site is not None:
            await site(scope, receive, send, target)
            return
        base_url = self.settings.upstreams.get(service)
        if base_url is None or self._proxy is None:
            await send_error(scope, receive, send, 502, f"The {service} service is unavailable",
                             "BadGateway")
            return
        await self._proxy.forward(scope, receive, send, service=service, base_url=base_url,
                                  target=target)

    # --- own routes -------------------------------------------------------------------

    def health(self) -> JSONResponse:
        """``GET /healthz``: the gateway process answers."""
        return JSONResponse({"status": "ok", "service": SERVICE_NAME})

    async def readiness(self) -> JSONResponse:
        """``GET /readyz``: 200 only when every configured upstream's ``/readyz`` is 200."""
        results = await asyncio.gather(
            *(self._probe(name, url) for name, url in self.settings.upstreams.items())
        )
        services = dict(results)
        ready = all(state == "ready" for state in services.values())
        body: dict[str, Any] = {"status": "ready" if ready else "unavailable",
                                "services": services}
        return JSONResponse(body, status_code=200 if ready else 503)

    async def _probe(self, name: str, base_url: str) -> tuple[str, str]:
        if self._client is None:
            return name, "unavailable"
        headers = {REQUEST_ID_HEADER: current_request_id() or ""}
        try:
            response = await self._client.get(
                base_url.rstrip("/") + "/readyz",
                headers=headers,
                timeout=self.settings.readyz_timeout_seconds,
            )
        except httpx.HTTPError:
            return name, "unavailable"
        return name, "ready" if response.status_code == 200 else "unavailable"


def _host_header(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"host":
            return value.decode("latin-1")
    server = scope.get("server") or ("localhost", 443)
    return f"{server[0]}:{server[1]}"


def create_app(settings: GatewaySettings | None = None, *,
               table: RouteTable | None = None) -> ASGIApp:
    """The HTTPS-side app: routes from ``settings.routes_file`` unless ``table`` is given.

    Raises:
        RouteConfigError: the route file uses something the dev gateway does not implement.
    """
    settings = settings or GatewaySettings()
    table = table or load_route_table(settings.routes_file)
    return RequestIdMiddleware(Gateway(settings, table))


class HttpsRedirect:
    """The plain-HTTP app: every request gets a 308 to the same path and query on HTTPS.

    308 rather than 301 so a POST stays a POST. The target host is fixed (the
    certificate's name), never taken from the request, so it cannot be pointed elsewhere.
    """

    def __init__(self, settings: GatewaySettings):
        port = "" if settings.https_port == 443 else f":{settings.https_port}"
        self.origin = f"https://{settings.public_host}{port}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Redirect one HTTP request."""
        if scope["type"] != "http":
            return
        raw_path = (scope.get("raw_path") or scope["path"].encode("utf-8")).decode("latin-1")
        if not raw_path.startswith("/"):
            raw_path = "/" + raw_path
        query = scope.get("query_string", b"").decode("latin-1")
        location = self.origin + raw_path + (f"?{query}" if query else "")
        await RedirectResponse(location, 308)(scope, receive, send)


def create_redirect_app(settings: GatewaySettings | None = None) -> ASGIApp:
    """The HTTP-side app (see :class:`HttpsRedirect`)."""
    return RequestIdMiddleware(HttpsRedirect(settings or GatewaySettings()))
