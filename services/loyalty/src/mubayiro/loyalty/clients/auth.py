"""Client for the auth service's internal routes, called with loyalty's service token.

Loyalty asks auth for one thing: a business it has not heard about yet (the
``business.registered`` event is still on its way), so that a business can use
loyalty right after registering (read-your-writes; see ``businesses.service``).
Auth's answer carries what the event would: the name, the status, and the rate the
business gave at registration (docs/events.md), so the program starts the same either way.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mubayiro.common.errors import UpstreamError
from mubayiro.common.http import PeerClient


class AuthBusiness(BaseModel):
    """The fields loyalty copies from auth's business record (others are ignored)."""

    model_config = ConfigDict(extra="ignore")

    id: int
    name: str = Field(min_length=1)
    #: The rate given at registration (``null`` when none was): the program's first rate.
    loyalty_rate: Decimal | None
    #: Whether the business may award and redeem. An auth from before business status
    #: existed sends none: every business was allowed then.
    status: Literal["pending", "active", "suspended"] = "active"


class AuthClient(PeerClient):
    """Auth's ``/internal/*`` routes."""

    peer_name = "auth"

    def get_business(self, business_id: int) -> AuthBusiness | None:
        """The business with ``business_id`` according to auth, or None when auth has none.

        Raises:
            UpstreamError: auth refused the call or answered something unreadable (502).
            UpstreamUnavailable: auth could not be reached (503).
            UpstreamTimeout: auth did not answer in time (504).
        """
        business = self.call("GET", f"/internal/businesses/{business_id}", AuthBusiness,
                             none_if={"BusinessNotFound"})
        if business is not None and business.id != business_id:
            raise UpstreamError("auth answered with another business")
        return business
