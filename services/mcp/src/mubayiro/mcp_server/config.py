"""Settings of the MCP server (environment variables prefixed ``MCP_``).

Besides the shared :class:`~mubayiro.common.settings.ServiceSettings` (auth URL, token
checks, its own client credentials) the server needs its two peers — loyalty and
reports, read over ``/internal`` with its own service token — the public URL it is
reached at (the resource identifier of the MCP authorization spec, announced in the
protected-resource metadata), and the bounds of its tools (history page size, rate
limit per token, fuzzy-match threshold).
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from mubayiro.common.settings import ServiceSettings, dev_url


class McpSettings(ServiceSettings):
    """Configuration of the MCP server."""

    model_config = SettingsConfigDict(env_prefix="MCP_", env_file=".env", extra="ignore")

    service_name: str = "mcp"

    #: Base URL of loyalty (``/internal/customers/…``, ``/internal/businesses/…``).
    loyalty_url: str = Field(default_factory=lambda: dev_url("loyalty"))
    #: Base URL of reports (``/internal/reports/{business_id}/summary``).
    reports_url: str = Field(default_factory=lambda: dev_url("reports"))

    #: The MCP endpoint as clients reach it (through the gateway): the protected
    #: resource's identifier in ``/.well-known/oauth-protected-resource``.
    public_url: str = "https://localhost:8443/mcp"
    #: The authorization server that issues the tokens this resource accepts.
    authorization_server_url: str = "https://localhost:8443/auth"

    #: Default and largest ``limit`` of ``get_customer_transactions``.
    default_transactions: int = Field(default=10, ge=1, le=100)
    max_transactions: int = Field(default=50, ge=1, le=500)
    #: Requests one token may make per ``rate_window_seconds`` (MCP calls and JSON routes).
    rate_limit: int = Field(default=60, ge=1, le=100_000)
    rate_window_seconds: float = Field(default=60.0, gt=0)
    #: Lowest fuzzy-match score (0–100) for a business name to count as a candidate.
    min_match_score: float = Field(default=60.0, ge=0, le=100)

    @property
    def resource_metadata_url(self) -> str:
        """Where clients read this resource's metadata: under ``/mcp/`` (the prefix the
        gateway routes here), announced in every 401's ``WWW-Authenticate``."""
        return f"{self.public_url.rstrip('/')}/.well-known/oauth-protected-resource"
