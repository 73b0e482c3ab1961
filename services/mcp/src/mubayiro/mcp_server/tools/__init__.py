"""The MCP tools, grouped by domain (``customers``, ``businesses``), and who sees which.

Every tool is read-only. Each module's ``register(server, reader)`` adds its tools to
the :class:`~mcp.server.mcpserver.MCPServer`; :data:`AUDIENCE` says which token roles
see (and may call) each tool — the server's middleware hides the others from
``tools/list`` and refuses them on ``tools/call`` exactly as it refuses an unknown tool.
"""

from __future__ import annotations

from mubayiro.common.tokens import Role

#: Tool name → the token roles allowed to list and call it.
AUDIENCE: dict[str, frozenset[Role]] = {
    "get_customer_points": frozenset({"customer", "business"}),
    "get_customer_transactions": frozenset({"customer", "business"}),
    "get_recommendations": frozenset({"customer"}),
    "get_business": frozenset({"customer", "business"}),
    "get_business_offers": frozenset({"customer", "business"}),
    "get_business_summary": frozenset({"business"}),
    "find_customer": frozenset({"business"}),
}
