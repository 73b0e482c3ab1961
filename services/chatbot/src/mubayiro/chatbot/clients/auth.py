"""Client for auth's ``POST /internal/customer_tokens``: a short-lived customer token for
the phone an SMS came from (the SMS channel vouches for the sender)."""

from __future__ import annotations

from pydantic import BaseModel

from mubayiro.common.http import PeerClient


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
        return self.call("POST", "/internal/customer_tokens", DelegatedToken,
                         json={"phone_number": phone_number}).access_token
