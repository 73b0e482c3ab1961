"""Errors of the OAuth2 token endpoint (RFC 6749 §5.2 error codes in the detail)."""

from __future__ import annotations

from mubayiro.common.errors import BadRequest, Unauthorized


class InvalidClient(Unauthorized):
    default_detail = "invalid_client: unknown client or wrong client secret"

    def __init__(self, detail: str | None = None):
        # RFC 6749 §5.2: a 401 for client authentication names the Basic scheme.
        super().__init__(detail, headers={"WWW-Authenticate": 'Basic realm="mubayiro-auth"'})


class InvalidTokenRequest(BadRequest):
    default_detail = "invalid_request: the token request is malformed"


class UnsupportedGrantType(BadRequest):
    default_detail = "unsupported_grant_type: only client_credentials is supported"
