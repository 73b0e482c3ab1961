"""The chatbot's side of MCP: a session with the MCP server (the SDK's streamable-HTTP
client) that presents the customer's token on every request.

The token is the customer's own (web) or a short-lived one auth issued for the SMS
sender's phone; the MCP server decides what it may see, so nothing in a message can
widen it. A tool error (a refusal, an unknown business) comes back as
:class:`ToolOutcome` with ``ok=False``; failing to talk to MCP at all (down, refused the
token, timeout) raises :class:`McpUnavailable`, a 503 in the platform's shape — except
MCP's per-token rate limit, which is the caller's own doing and is passed on as
:class:`ChatRateLimited` (429 with MCP's ``Retry-After``). The SDK reports a failed HTTP
exchange without its status, so the session's HTTP client notes any 429 it receives.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from mubayiro.chatbot.exceptions import ChatRateLimited, McpUnavailable

logger = logging.getLogger(__name__)

#: Builds the HTTP client for one session from its headers (tests route it in-process).
HttpFactory = Callable[[dict[str, str]], httpx2.AsyncClient]


@dataclass
class ToolOutcome:
    """One tool call's result: the structured data, or the tool's error message."""

    name: str
    ok: bool
    data: dict[str, Any] = field(default_factory=dict)
    error: str = ""


class _RateLimitSeen:
    """Whether the MCP server answered 429 during a session, and its ``Retry-After``."""

    def __init__(self) -> None:
        self.retry_after: str | None = None

    async def on_response(self, response: httpx2.Response) -> None:
        """An httpx response hook: remember a 429."""
        if response.status_code == 429:
            self.retry_after = response.headers.get("Retry-After", "60")

    def refusal(self, step: str, exc: BaseException) -> McpUnavailable | ChatRateLimited:
        """The error for a failed ``step``: rate limited if MCP said so, else unavailable."""
        if self.retry_after is not None:
            return ChatRateLimited(self.retry_after)
        return _unavailable(step, exc)


class ToolSession:
    """An open MCP session for one caller."""

    def __init__(self, client: Client, seen: _RateLimitSeen | None = None):
        self._client = client
        self._seen = seen or _RateLimitSeen()
        self.used: list[str] = []

    async def tools(self) -> list[dict[str, Any]]:
        """The tools this caller may use: name, description, input schema."""
        try:
            listed = await self._client.list_tools()
        except Exception as exc:  # any transport or protocol failure: see module doc
            raise self._seen.refusal("tools/list", exc) from exc
        return [
            {"name": t.name, "description": t.description or "", "parameters": t.input_schema}
            for t in listed.tools
        ]

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolOutcome:
        """Call ``name``; a tool error is an outcome, not an exception."""
        self.used.append(name)
        try:
            result = await self._client.call_tool(name, arguments)
        except Exception as exc:  # any transport or protocol failure: see module doc
            raise self._seen.refusal(f"tools/call {name}", exc) from exc
        if result.is_error:
            text = " ".join(getattr(c, "text", "") for c in result.content)
            return ToolOutcome(name, ok=False, error=text)
        data = result.structured_content if isinstance(result.structured_content, dict) else {}
        return ToolOutcome(name, ok=True, data=data)


class McpConnector:
    """Opens :class:`ToolSession`s on the MCP server at ``url``."""

    def __init__(self, url: str, *, timeout: float, http_factory: HttpFactory | None = None):
        self.url = url
        self.timeout = timeout
        self._http_factory = http_factory or (
            lambda headers: httpx2.AsyncClient(headers=headers, timeout=timeout)
        )

    @asynccontextmanager
    async def session(self, token: str) -> AsyncIterator[ToolSession]:
        """A session presenting ``token`` (closed when the block ends).

        Raises:
            McpUnavailable: the session could not be opened.
            ChatRateLimited: MCP refused the token for now (its rate limit).
        """
        seen = _RateLimitSeen()
        async with AsyncExitStack() as stack:
            try:
                http = await stack.enter_async_context(
                    self._http_factory({"Authorization": f"Bearer {token}"}))
                http.event_hooks["response"].append(seen.on_response)
                transport = streamable_http_client(self.url, http_client=http)
                client = await stack.enter_async_context(
                    Client(transport, read_timeout_seconds=self.timeout))
            except Exception as exc:  # any transport or protocol failure: see module doc
                raise seen.refusal("initialize", exc) from exc
            yield ToolSession(client, seen)


def _unavailable(step: str, exc: BaseException) -> McpUnavailable:
    # The SDK reports a failed HTTP exchange in several shapes (an exception group from
    # its task group, MCPError, httpx2 errors); to a customer they all mean "try later".
    logger.warning("mcp call failed", extra={"step": step, "why": repr(exc)[:300]})
    return McpUnavailable()
