"""The MCP server's app: ``create_app`` wires the MCP endpoint, its guard, the JSON
mirror routes, the protected-resource metadata and the peer clients.

Run with ``uvicorn --factory mubayiro.mcp_server.main:create_app`` (or
``mubayiro-mcp``). ``POST /mcp`` is the SDK's streamable-HTTP endpoint, stateless and
answering JSON (no session state, so replicas behind Traefik need no stickiness),
behind :class:`~mubayiro.mcp_server.access.BearerGuard`. The SDK's own DNS-rebinding
guard is off: it protects unauthenticated local servers, and every request here must
carry a bearer token. The server owns no database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.routing import Route

from mubayiro.common.app import create_service_app
from mubayiro.common.tokens import ServiceTokenProvider, TokenVerifier
from mubayiro.mcp_server.access import BearerGuard, RateLimiter
from mubayiro.mcp_server.clients.loyalty import LoyaltyClient
from mubayiro.mcp_server.clients.reports import ReportsClient
from mubayiro.mcp_server.config import McpSettings
from mubayiro.mcp_server.endpoints import metadata_router
from mubayiro.mcp_server.endpoints import router as mirror_router
from mubayiro.mcp_server.server import create_server
from mubayiro.mcp_server.service import LoyaltyReader

__all__ = ["create_app"]

DESCRIPTION = (
    "The Mubayiro loyalty data for assistants: a Model Context Protocol server at /mcp "
    "(bearer token required; a customer sees only their own phone's data, a business its "
    "own business and customers) and the same reads as plain JSON."
)
MCP_PATH = "/mcp"


def create_app(
    settings: McpSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    peer_transport: httpx.BaseTransport | None = None,
) -> FastAPI:
    """Build the MCP server app.

    ``token_verifier`` replaces the JWKS-backed verifier; ``peer_transport`` replaces
    the network under every peer call — auth's token endpoint, loyalty and reports
    (tests pass an ASGI transport onto the real apps).
    """
    settings = settings or McpSettings()
    token_http = httpx.Client(timeout=settings.http_timeout_seconds, transport=peer_transport)
    tokens = ServiceTokenProvider.for_service(settings, http=token_http)
    loyalty = LoyaltyClient(
        settings.loyalty_url, token_provider=tokens, timeout=settings.http_timeout_seconds,
        transport=peer_transport,
    )
    reports = ReportsClient(
        settings.reports_url, token_provider=tokens, timeout=settings.http_timeout_seconds,
        transport=peer_transport,
    )
    reader = LoyaltyReader(loyalty, reports, settings)
    server = create_server(reader)
    # Builds the SDK's session manager (server.session_manager); its Starlette app is
    # not used: the endpoint is mounted below, behind our guard.
    server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=True,
        json_response=True,
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )

    @asynccontextmanager
    async def run_session_manager(_app: FastAPI) -> AsyncIterator[None]:
        async with server.session_manager.run():
            yield

    app = create_service_app(
        settings,
        title="Mubayiro MCP server",
        description=DESCRIPTION,
        routers=[metadata_router, mirror_router],
        alembic_ini=None,
        token_verifier=token_verifier,
        with_database=False,
        lifespan_contexts=[run_session_manager],
        on_shutdown=[_close_clients],
    )
    limiter = RateLimiter(settings.rate_limit, settings.rate_window_seconds,
                          storage_url=settings.rate_limit_storage_url)
    guard = BearerGuard(
        StreamableHTTPASGIApp(server.session_manager),
        verifier=lambda: app.state.token_verifier,
        audience=settings.jwt_audience,
        limiter=limiter,
        resource_metadata_url=settings.resource_metadata_url,
    )
    app.router.routes.append(
        Route(MCP_PATH, endpoint=guard, methods=["GET", "POST", "DELETE"], include_in_schema=False)
    )
    app.state.mcp_server = server
    app.state.reader = reader
    app.state.limiter = limiter
    app.state.token_http = token_http
    app.state.loyalty_client = loyalty
    app.state.reports_client = reports
    return app


def _close_clients(app: FastAPI) -> None:
    app.state.loyalty_client.close()
    app.state.reports_client.close()
    app.state.token_http.close()
