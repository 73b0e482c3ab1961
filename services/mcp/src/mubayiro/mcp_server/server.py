"""``create_server``: the MCP server (official ``mcp`` SDK 2.x) with the loyalty tools.

The tools live in :mod:`mubayiro.mcp_server.tools`; this module assembles them and adds
one piece of middleware, :class:`ToolAudience`, which makes the tool list depend on the
caller: a customer never sees (nor can call) the business-only tools. A hidden tool
called anyway gets exactly the answer an unknown tool gets, so the refusal reveals
nothing. The tools check the caller's role again themselves (defence in depth).

The server is served statelessly over streamable HTTP (see ``main``): no session lives
between requests, so any replica can answer any request.
"""

from __future__ import annotations

from typing import Any

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, ListToolsResult, TextContent

from mubayiro.mcp_server.access import PRINCIPAL_STATE
from mubayiro.mcp_server.service import LoyaltyReader
from mubayiro.mcp_server.tools import AUDIENCE, businesses, customers

INSTRUCTIONS = (
    "Mubayiro is a coalition loyalty programme: customers earn points at many shops, "
    "identified by phone number, with one balance valid everywhere. Use these read-only "
    "tools to answer questions about the caller's points, history, recommendations and "
    "shops' offers. With a customer's token, pass that customer's own phone number; other "
    "numbers are refused. Points are whole numbers; money amounts are decimal strings."
)


def _role(ctx: ServerRequestContext[Any, Any]) -> str | None:
    state = getattr(ctx.request, "state", None)
    principal = getattr(state, PRINCIPAL_STATE, None)
    return getattr(principal, "role", None)


class ToolAudience:
    """Middleware: ``tools/list`` shows, and ``tools/call`` runs, only the caller's tools."""

    async def __call__(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        """Filter the tool list, or refuse a tool the caller's role may not use."""
        role = _role(ctx)
        if ctx.method == "tools/call":
            name = (ctx.params or {}).get("name")
            if isinstance(name, str) and not self.allowed(name, role):
                return CallToolResult(
                    content=[TextContent(type="text", text=f"Unknown tool: {name}")],
                    is_error=True,
                )
        result = await call_next(ctx)
        if ctx.method != "tools/list":
            return result
        # The runner may hand the result on as the model or already serialized.
        if isinstance(result, ListToolsResult):
            return result.model_copy(
                update={"tools": [t for t in result.tools if self.allowed(t.name, role)]}
            )
        if isinstance(result, dict) and isinstance(result.get("tools"), list):
            return {
                **result,
                "tools": [
                    t for t in result["tools"]
                    if isinstance(t, dict) and self.allowed(str(t.get("name")), role)
                ],
            }
        return result

    @staticmethod
    def allowed(tool: str, role: str | None) -> bool:
        """Whether ``role`` may list and call ``tool`` (tools not in the table: nobody)."""
        return role is not None and role in AUDIENCE.get(tool, frozenset())


def create_server(reader: LoyaltyReader) -> MCPServer[Any]:
    """The MCP server with every loyalty tool, reading through ``reader``."""
    server: MCPServer[Any] = MCPServer(
        "mubayiro-loyalty",
        title="Mubayiro loyalty",
        instructions=INSTRUCTIONS,
        version="0.1.0",
        middleware=[ToolAudience()],
    )
    customers.register(server, reader)
    businesses.register(server, reader)
    return server
