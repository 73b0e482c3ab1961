"""Client for the loyalty service's internal routes, called with this service's token.

Notifications asks loyalty one thing: a customer's balance, to answer the BALANCE SMS
command. Loyalty owns the ledger; nothing about points is stored here.
"""

from __future__ import annotations

from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mubayiro.common.errors import UpstreamError
from mubayiro.common.http import PeerClient, PeerError


class CustomerBalance(BaseModel):
    """Loyalty's answer for one customer (other fields are ignored)."""

    model_config = ConfigDict(extra="ignore")

    phone_number: str
    total_points: int = Field(ge=0)


class LoyaltyClient(PeerClient):
    """Loyalty's ``/internal/*`` routes."""

    peer_name = "loyalty"

    def balance(self, phone_number: str) -> int | None:
        """The total points of the E.164 ``phone_number``, or None when loyalty has no
        such customer (it never earned anything).

        Raises:
            UpstreamError: loyalty refused the call or answered something unreadable (502).
            UpstreamUnavailable: loyalty (or auth, for our token) could not be reached (503).
            UpstreamTimeout: loyalty did not answer in time (504).
        """
        path = f"/internal/customers/{quote(phone_number, safe='+')}/balance"
        try:
            data = self.get_json(path)
        except PeerError as exc:
            if exc.status_code == 404:
                return None
            # Any other refusal (403: our token refused, 422 …) is not the texter's fault.
            raise UpstreamError(
                f"loyalty refused the balance lookup ({exc.status_code})"
            ) from exc
        except ValueError as exc:
            raise UpstreamError("loyalty answered with a body that is not JSON") from exc
        try:
            balance = CustomerBalance.model_validate(data)
        except ValidationError as exc:
            raise UpstreamError("loyalty answered with an unexpected balance shape") from exc
        if balance.phone_number != phone_number:
            raise UpstreamError("loyalty answered for another phone number")
        return balance.total_points
