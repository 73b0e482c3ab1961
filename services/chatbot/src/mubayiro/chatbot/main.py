"""The chatbot's app: ``create_app`` wires the chat routes, the MCP connector and the
auth client. It owns no database.

Run with ``uvicorn --factory mubayiro.chatbot.main:create_app`` (or ``mubayiro-chatbot``).
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from mubayiro.chatbot.agent import Chatbot
from mubayiro.chatbot.clients.auth import AuthClient
from mubayiro.chatbot.config import ChatbotSettings
from mubayiro.chatbot.endpoints import router
from mubayiro.chatbot.mcp_client import HttpFactory, McpConnector
from mubayiro.common.app import create_service_app
from mubayiro.common.tokens import ServiceTokenProvider, TokenVerifier

__all__ = ["create_app"]

DESCRIPTION = (
    "The Mubayiro assistant: answers a customer's questions about points, history, shop "
    "offers and recommendations by calling the MCP server with the customer's token."
)


def create_app(
    settings: ChatbotSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    peer_transport: httpx.BaseTransport | None = None,
    mcp_http_factory: HttpFactory | None = None,
    llm_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """Build the chatbot app (tests replace the network under auth, MCP and the model)."""
    settings = settings or ChatbotSettings()
    app = create_service_app(
        settings,
        title="Mubayiro chatbot",
        description=DESCRIPTION,
        routers=[router],
        alembic_ini=None,
        token_verifier=token_verifier,
        with_database=False,
        on_shutdown=[_close_clients],
    )
    token_http = httpx.Client(timeout=settings.http_timeout_seconds, transport=peer_transport)
    tokens = ServiceTokenProvider.for_service(settings, http=token_http)
    app.state.token_http = token_http
    app.state.auth_client = AuthClient(
        settings.auth_url, token_provider=tokens, timeout=settings.http_timeout_seconds,
        transport=peer_transport,
    )
    connector = McpConnector(settings.mcp_url, timeout=settings.mcp_timeout_seconds,
                             http_factory=mcp_http_factory)
    app.state.chatbot = Chatbot(settings, connector, llm_transport=llm_transport)
    return app


def _close_clients(app: FastAPI) -> None:
    app.state.auth_client.close()
    app.state.token_http.close()
