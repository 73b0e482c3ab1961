"""Client for the auth service's internal routes, called with loyalty's service token.

Loyalty asks auth for one thing: a business it has not heard about yet (the
``business.registered`` event is still on its way), so that a business can use
loyalty right after registering (read-your-writes; see ``businesses.service``).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mubayiro.common.errors import UpstreamError
from mubayiro.common.http import PeerClient, PeerError


class AuthBusiness(BaseModel):
    """The fields loyalty copies from auth's business record (others are ignored)."""

    model_config = ConfigDict(extra="ignore")

    id: int
    name: str = Field(min_length=1)
    # The rate given at registration, if auth reports it: it becomes the first rate.
    loyalty_rate: Decimal | None = None


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
        try:
            data = self.get_json(f"/internal/businesses/{business_id}")
        except PeerError as exc:
            if exc.status_code == 404:
                return None
            # Any other refusal (403: our service token refused, …) is auth's problem,
            # not the caller's: do not pass it through as if the caller had been refused.
            raise UpstreamError(f"auth refused the business lookup ({exc.status_code})") from exc
        except ValueError as exc:
            raise UpstreamError("auth answered with a body that is not JSON") from exc
        try:
            business = AuthBusiness.model_validate(data)
        except ValidationError as exc:
            raise UpstreamError("auth answered with an unexpected business shape") from exc
        if business.id != business_id:
            raise UpstreamError("auth answered with another business")
        return business
