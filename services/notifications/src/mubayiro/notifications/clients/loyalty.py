"""Client for the loyalty service's internal routes, called with this service's token.

Notifications asks loyalty one thing: a customer's balance and the points that expire
next, to answer the BALANCE SMS command. Loyalty owns the ledger; nothing about points is
stored here.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from mubayiro.common.errors import UpstreamError
from mubayiro.common.http import PeerClient


class NextExpiry(BaseModel):
    """The customer's points that expire soonest (unless spent first), and the UTC day."""

    model_config = ConfigDict(extra="ignore")

    points: int = Field(ge=1)
    date: date


class CustomerBalance(BaseModel):
    """Loyalty's answer for one customer (other fields are ignored)."""

    model_config = ConfigDict(extra="ignore")

    phone_number: str
    total_points: int = Field(ge=0)
    next_expiry: NextExpiry | None = None


class LoyaltyClient(PeerClient):
    """Loyalty's ``/internal/*`` routes."""

    peer_name = "loyalty"

    def balance(self, phone_number: str) -> CustomerBalance | None:
        """The balance (total points, next expiry) of the E.164 ``phone_number``, or None
        when loyalty has no such customer (it never earned anything).

        Raises:
            UpstreamError: loyalty refused the call or answered something unreadable (502).
            UpstreamUnavailable: loyalty (or auth, for our token) could not be reached (503).
            UpstreamTimeout: loyalty did not answer in time (504).
        """
        balance = self.call(
            "GET", f"/internal/customers/{quote(phone_number, safe='+')}/balance",
            CustomerBalance, none_if={"CustomerNotFound"},
        )
        if balance is None:
            return None
        if balance.phone_number != phone_number:
            raise UpstreamError("loyalty answered for another phone number")
        return balance
