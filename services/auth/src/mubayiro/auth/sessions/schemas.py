"""Request and response bodies of the session routes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from mubayiro.auth.businesses.schemas import TokenResponse
from mubayiro.auth.secret_tokens import MAX_TOKEN_LENGTH


class RefreshRequest(BaseModel):
    """A refresh token to exchange or revoke."""

    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=MAX_TOKEN_LENGTH)


class TokenPair(TokenResponse):
    """An OAuth2 access token response with the session's next refresh token."""

    refresh_token: str = Field(
        description="Opaque; exchange it once at /auth/refresh for the next pair."
    )
    refresh_expires_in: int = Field(
        description="Seconds until the session ends (one shift from the login)."
    )
