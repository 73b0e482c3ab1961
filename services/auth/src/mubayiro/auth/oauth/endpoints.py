"""``POST /auth/token`` (service tokens) and ``GET /auth/.well-known/jwks.json``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from mubayiro.auth.businesses.schemas import TokenResponse
from mubayiro.auth.deps import IssuerDep, KeySetDep, SettingsDep
from mubayiro.auth.limits import ClientCredentialsGuard
from mubayiro.auth.oauth.dependencies import TokenRequest
from mubayiro.auth.oauth.exceptions import InvalidClient, InvalidTokenRequest
from mubayiro.auth.oauth.service import client_service
from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import error_responses
from mubayiro.common.ratelimit import TooManyAttempts

router = APIRouter(prefix="/auth", tags=["auth"], route_class=SessionRoute)

_TOKEN_FORM_SCHEMA = {
    "type": "object",
    "required": ["grant_type"],
    "properties": {
        "grant_type": {"type": "string", "enum": ["client_credentials"]},
        "client_id": {"type": "string"},
        "client_secret": {"type": "string", "format": "password"},
    },
}
JWKS_MAX_AGE = 300


@router.post(
    "/token",
    response_model=TokenResponse,
    responses=error_responses(InvalidTokenRequest, InvalidClient, TooManyAttempts),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": _TOKEN_FORM_SCHEMA}},
        }
    },
)
def issue_service_token(
    _limits: ClientCredentialsGuard,
    credentials: TokenRequest, settings: SettingsDep, issuer: IssuerDep, response: Response
) -> TokenResponse:
    """OAuth2 client credentials: a service's id and secret (form or HTTP Basic) for a token."""
    client_id = client_service.authenticate(
        settings.service_clients, credentials.client_id, credentials.client_secret
    )
    issued = issuer.service_token(client_id)
    response.headers["Cache-Control"] = "no-store"
    return TokenResponse(access_token=issued.access_token, expires_in=issued.expires_in)


@router.get("/.well-known/jwks.json")
def jwks(keys: KeySetDep, response: Response) -> dict[str, Any]:
    """The public keys that verify the platform's tokens (RFC 7517 JWK Set)."""
    response.headers["Cache-Control"] = f"public, max-age={JWKS_MAX_AGE}"
    return keys.jwks()
