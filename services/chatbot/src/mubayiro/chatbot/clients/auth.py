"""Client for auth's ``POST /internal/customer_tokens``: a short-lived customer token for
the phone an SMS came from (the SMS channel vouches for the sender)."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from mubayiro.common.errors import UpstreamError
from mubayiro.common.http import PeerClient, PeerError


class DelegatedToken(BaseModel):
    """Auth's answer."""

    access_token: str
    expires_in: int


class AuthClient(PeerClient):
    """Auth's ``/internal/*`` routes."""

    peer_name = "auth"

    def customer_token(self, phone_number: str) -> str:
        """A customer token for ``phone_number``, valid for a couple of minutes.

        Raises:
            UpstreamError: auth refused (this service not allowed, say) or answered
                something unreadable (502).
            UpstreamUnavailable: auth could not be reached (503).
            UpstreamTimeout: auth did not answer in time (504).
        """
        try:
            data = self.post_json("/internal/customer_tokens",
                                  json={"phone_number": phone_number})
        except PeerError as exc:
            raise UpstreamError(f"auth refused a customer token ({exc.status_code})") from exc
        except ValueError as exc:
            raise UpstreamError("auth answered with a body that is not JSON") from exc
        try:
            return DelegatedToken.model_validate(data).access_token
        except ValidationError as exc:
            raise UpstreamError("auth answered with an unexpected shape") from exc
