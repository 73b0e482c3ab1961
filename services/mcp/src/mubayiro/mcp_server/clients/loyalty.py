"""Client for loyalty's internal reads, called with the MCP server's own service token.

The server has already verified the caller's token and decided what it may see; each
call names that subject (a phone number, a business id) in the path. Loyalty's 404s
come back as :class:`LoyaltyNotFound` with loyalty's error name (``CustomerNotFound``,
``BusinessNotFound``); anything else it refuses is not the caller's doing and becomes a
502/503/504 (:mod:`mubayiro.common.http`).
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel, TypeAdapter

from mubayiro.common.http import PeerClient, PeerRefused
from mubayiro.mcp_server.clients.exceptions import LoyaltyNotFound
from mubayiro.mcp_server.schemas import (
    BusinessRef,
    CustomerPoints,
    Recommendation,
    Transaction,
)

#: Page size of the directory reads (loyalty's maximum).
DIRECTORY_PAGE = 1000


class CustomerReward(BaseModel):
    """A reward as loyalty shows it to one customer."""

    id: int
    business_id: int
    business_name: str
    name: str
    points_cost: int
    redeemable: bool


class BusinessOffersData(BaseModel):
    """Loyalty's offers read: the business's page and its promoted partners."""

    id: int
    name: str
    loyalty_rate: str
    rewards: list[dict[str, Any]]
    partners: list[BusinessRef]


class BusinessCustomerData(BaseModel):
    """Loyalty's view of a customer from one business."""

    phone_number: str
    total_points: int
    transactions: list[Transaction]


def _not_found(refusal: PeerRefused) -> LoyaltyNotFound:
    return LoyaltyNotFound(refusal.peer_detail, error=refusal.peer_error)


_T = TypeVar("_T")

#: Loyalty's answers that mean "no such subject"; any other refusal is a 502.
_NOT_FOUND = {"CustomerNotFound": _not_found, "BusinessNotFound": _not_found}


def _phone(phone_number: str) -> str:
    return quote(phone_number, safe="+")


class LoyaltyClient(PeerClient):
    """Loyalty's ``/internal/*`` reads."""

    peer_name = "loyalty"

    def _read(
        self, path: str, shape: type[_T], params: dict[str, Any] | None = None
    ) -> _T:
        return self.call("GET", path, shape, params=params, errors=_NOT_FOUND)

    def customer_points(self, phone_number: str) -> CustomerPoints:
        """Balance and last 5 transactions of the E.164 ``phone_number`` (0 when unknown).

        Raises:
            UpstreamError: loyalty refused or answered something unreadable (502).
            UpstreamUnavailable: loyalty (or auth, for our token) is unreachable (503).
            UpstreamTimeout: loyalty did not answer in time (504).
        """
        return self._read(f"/internal/customers/{_phone(phone_number)}/points", CustomerPoints)

    def customer_transactions(self, phone_number: str, *, limit: int) -> list[Transaction]:
        """The newest ``limit`` transactions of ``phone_number`` (errors as above)."""
        return self._read(
            f"/internal/customers/{_phone(phone_number)}/transactions",
            list[Transaction],
            {"limit": limit},
        )

    def customer_rewards(self, phone_number: str, *, limit: int) -> list[CustomerReward]:
        """Active rewards with ``redeemable`` for ``phone_number``, redeemable first."""
        return self._read(
            f"/internal/customers/{_phone(phone_number)}/rewards",
            list[CustomerReward],
            {"limit": limit},
        )

    def recommendations(self, phone_number: str) -> list[Recommendation]:
        """``phone_number``'s recommendations, best first (errors as above)."""
        data = self._read(
            f"/internal/customers/{_phone(phone_number)}/recommendations", dict[str, Any]
        )
        return TypeAdapter(list[Recommendation]).validate_python(
            data.get("recommendations", [])
        )

    def business_offers(self, business_id: int) -> BusinessOffersData:
        """A business's program, active rewards and partners.

        Raises:
            LoyaltyNotFound: no such business (``BusinessNotFound``).
        """
        return self._read(f"/internal/businesses/{business_id}/offers", BusinessOffersData)

    def business_customer(
        self, business_id: int, phone_number: str, *, limit: int
    ) -> BusinessCustomerData:
        """``phone_number`` as ``business_id`` sees them.

        Raises:
            LoyaltyNotFound: unknown business or customer.
        """
        return self._read(
            f"/internal/businesses/{business_id}/customers/{_phone(phone_number)}",
            BusinessCustomerData,
            {"limit": limit},
        )

    def businesses_named(self, name: str) -> list[BusinessRef]:
        """The businesses whose name contains ``name`` (any case), by name: the first page."""
        return self._read(
            "/internal/businesses", list[BusinessRef], {"q": name, "limit": DIRECTORY_PAGE}
        )

    def directory(self) -> list[BusinessRef]:
        """Every business, by name (read a page of 1,000 at a time)."""
        out: list[BusinessRef] = []
        while True:
            page = self._read(
                "/internal/businesses",
                list[BusinessRef],
                {"limit": DIRECTORY_PAGE, "offset": len(out)},
            )
            out.extend(page)
            if len(page) < DIRECTORY_PAGE:
                return out
