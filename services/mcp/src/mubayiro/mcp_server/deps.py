"""FastAPI dependencies of the MCP server's JSON routes, as ``Annotated`` aliases.

``CallerDep`` is the same check as the MCP endpoint's guard (:mod:`.access`): a verified
business or customer token, counted against the token's rate limit; a 401 carries the
``WWW-Authenticate`` challenge that points at the protected-resource metadata.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mubayiro.common.deps import app_state
from mubayiro.common.errors import Unauthorized
from mubayiro.common.tokens import Principal
from mubayiro.mcp_server.access import RateLimiter, authenticate, challenge
from mubayiro.mcp_server.config import McpSettings
from mubayiro.mcp_server.service import LoyaltyReader


def current_caller(
    request: Request,
    settings: Annotated[McpSettings, Depends(app_state("settings"))],
    limiter: Annotated[RateLimiter, Depends(app_state("limiter"))],
) -> Principal:
    """The verified business or customer behind the request (401/403/429 otherwise)."""
    authorization = request.headers.get("authorization")
    try:
        return authenticate(
            request.app.state.token_verifier, settings.jwt_audience, limiter, authorization
        )
    except Unauthorized as exc:
        error = "invalid_token" if authorization else None
        raise Unauthorized(
            exc.detail,
            headers={"WWW-Authenticate": challenge(settings.resource_metadata_url, error)},
        ) from exc


SettingsDep = Annotated[McpSettings, Depends(app_state("settings"))]
ReaderDep = Annotated[LoyaltyReader, Depends(app_state("reader"))]
CallerDep = Annotated[Principal, Depends(current_caller)]
