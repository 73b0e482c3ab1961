"""The client-credentials token request, read from the form and HTTP Basic auth."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import unquote_plus

from fastapi import Depends, Request
from starlette.datastructures import FormData

from mubayiro.auth.oauth.exceptions import (
    InvalidClient,
    InvalidTokenRequest,
    UnsupportedGrantType,
)

_MAX_FIELD = 512


@dataclass(frozen=True)
class ClientCredentials:
    """The client id and secret a token request presents."""

    client_id: str
    client_secret: str


def _basic_credentials(header: str | None) -> ClientCredentials | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidClient("invalid_client: malformed Basic credentials") from exc
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise InvalidClient("invalid_client: malformed Basic credentials")
    # RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
    return ClientCredentials(unquote_plus(client_id), unquote_plus(secret))


def _field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > _MAX_FIELD:
        raise InvalidTokenRequest(f"invalid_request: {name} must be a short text field")
    return value


async def client_credentials_request(request: Request) -> ClientCredentials:
    """The presented client credentials of a valid client-credentials token request.

    Raises:
        InvalidTokenRequest: not a form, or credentials given twice differently (400).
        UnsupportedGrantType: ``grant_type`` is not ``client_credentials`` (400).
        InvalidClient: no client credentials at all (401).
    """
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        raise InvalidTokenRequest(
            "invalid_request: send an application/x-www-form-urlencoded form"
        )
    form = await request.form()
    grant_type = _field(form, "grant_type")
    if grant_type is None:
        raise InvalidTokenRequest("invalid_request: grant_type is required")
    if grant_type != "client_credentials":
        raise UnsupportedGrantType()
    form_id = _field(form, "client_id")
    form_secret = _field(form, "client_secret")
    basic = _basic_credentials(request.headers.get("authorization"))
    if basic is not None:
        if form_secret is not None or (form_id is not None and form_id != basic.client_id):
            raise InvalidTokenRequest(
                "invalid_request: use one client authentication method, not two"
            )
        return basic
    if not form_id or form_secret is None:
        raise InvalidClient("invalid_client: client_id and client_secret are required")
    return ClientCredentials(form_id, form_secret)


TokenRequest = Annotated[ClientCredentials, Depends(client_credentials_request)]
