"""Client for the loyalty service's internal routes, called with this service's token.

Referrals asks loyalty three things (docs/events.md):

- whether a phone number is a customer anywhere (``GET /internal/customers/{phone}/
  balance``: 200 yes, 404 no) — an invited friend must not be one;
- a customer as one business sees them (``GET /internal/businesses/{id}/customers/
  {phone}``: 404 unless the customer has a transaction at that business or gave it a
  redemption code) — a referrer a shop names must be the shop's own customer, and a
  referral is completed only once the friend has bought at the shop. Asking this way
  keeps each shop's answer to the shop's own data (issue 11);
- to pay a referrer's bonus (``POST /internal/transactions/referral_bonus``) under the
  ``Idempotency-Key`` ``referral-<referral_id>``. Loyalty stores the key with the ledger
  row, so the same key with the same body returns the first answer and pays nothing
  more; the same key with another body is refused (422 ``IdempotencyKeyReused``).

Loyalty's refusals are re-raised as the local errors below, by loyalty's error name,
where the meaning is one the caller can act on; anything else is a 502/503/504
(loyalty's problem, not the caller's: :mod:`mubayiro.common.http`).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from mubayiro.common.errors import (
    UpstreamError,
)
from mubayiro.common.http import PeerClient
from mubayiro.referrals.clients.exceptions import (
    AwardLimitExceeded,
    BusinessNotActive,
    DailyAwardLimitReached,
    LoyaltyProgramNotFound,
    ReferralBonusInProgress,
    ReferralBonusMismatch,
)

BALANCE_PATH = "/internal/customers/{phone}/balance"
BUSINESS_CUSTOMER_PATH = "/internal/businesses/{business_id}/customers/{phone}"
#: The longest page of a customer's transactions at a business loyalty gives.
_MAX_PAGE = 500
#: The ledger row type of a purchase.
EARN = "earn"
REFERRAL_BONUS_PATH = "/internal/transactions/referral_bonus"


class CustomerBalance(BaseModel):
    """Loyalty's balance answer (only what is checked here)."""

    model_config = ConfigDict(extra="ignore")

    phone_number: str
    total_points: int = Field(ge=0)


class ShopTransaction(BaseModel):
    """One of a customer's transactions at a business (only what is read here)."""

    model_config = ConfigDict(extra="ignore")

    id: int
    type: str
    timestamp: datetime


class ShopCustomer(BaseModel):
    """Loyalty's view of a customer at one business: their transactions there."""

    model_config = ConfigDict(extra="ignore")

    phone_number: str
    transactions: list[ShopTransaction]

    def first_purchase(self) -> ShopTransaction | None:
        """The earliest purchase (``earn``) among the transactions, if any."""
        earns = [t for t in self.transactions if t.type == EARN]
        return min(earns, key=lambda t: (t.timestamp, t.id)) if earns else None


class ReferralBonus(BaseModel):
    """Loyalty's answer to a referral bonus: the ledger row it wrote (or wrote first)."""

    model_config = ConfigDict(extra="ignore")

    transaction_id: int = Field(ge=1)
    customer_phone_number: str
    points_awarded: int = Field(ge=1)
    total_points: int = Field(ge=0)


def bonus_idempotency_key(referral_id: int) -> str:
    """The key loyalty stores a referral's bonus under: one payment per referral."""
    return f"referral-{referral_id}"


class LoyaltyClient(PeerClient):
    """Loyalty's ``/internal/*`` routes."""

    peer_name = "loyalty"

    def is_customer(self, phone_number: str) -> bool:
        """True when the E.164 ``phone_number`` has a balance in loyalty (ever earned).

        Raises:
            UpstreamError: loyalty refused the lookup or answered something unreadable (502).
            UpstreamUnavailable: loyalty (or auth, for our token) could not be reached (503).
            UpstreamTimeout: loyalty did not answer in time (504).
        """
        balance = self.call(
            "GET", BALANCE_PATH.format(phone=quote(phone_number, safe="+")), CustomerBalance,
            none_if={"CustomerNotFound"},
        )
        if balance is None:
            return False
        if balance.phone_number != phone_number:
            raise UpstreamError("loyalty answered for another phone number")
        return True

    def customer_at(self, business_id: int, phone_number: str) -> ShopCustomer | None:
        """The customer as ``business_id`` sees them, or None when that business may not
        see them (no transaction there, no code given there) or loyalty does not know it.

        Raises:
            UpstreamError: loyalty refused the lookup or answered something unreadable (502).
            UpstreamUnavailable: loyalty (or auth, for our token) could not be reached (503).
            UpstreamTimeout: loyalty did not answer in time (504).
        """
        path = BUSINESS_CUSTOMER_PATH.format(
            business_id=business_id, phone=quote(phone_number, safe="+"))
        customer = self.call(
            "GET", path, ShopCustomer, params={"limit": _MAX_PAGE},
            none_if={"CustomerNotFound", "BusinessNotFound"},
        )
        if customer is not None and customer.phone_number != phone_number:
            raise UpstreamError("loyalty answered for another phone number")
        return customer

    def award_referral_bonus(
        self, *, referral_id: int, business_id: int, phone_number: str, points: int
    ) -> ReferralBonus:
        """Pay ``points`` to ``phone_number`` for ``referral_id``, at most once ever.

        Safe to call again after any failure: the same referral and points give loyalty's
        first answer back. Timeouts and 502/503/504 are retried here with the same key.

        Raises:
            ReferralBonusMismatch: loyalty already paid this referral with other points (409).
            ReferralBonusInProgress: loyalty is still paying it for another request (409).
            LoyaltyProgramNotFound: loyalty does not know the business (409).
            BusinessNotActive: the business is pending or suspended (403).
            AwardLimitExceeded, DailyAwardLimitReached: above the business's award
                limits (422, 429; loyalty's detail is passed on).
            UpstreamError: any other refusal or an unreadable answer (502).
            UpstreamUnavailable: loyalty (or auth) could not be reached (503).
            UpstreamTimeout: loyalty did not answer in time (504).
        """
        body = {
            "business_id": business_id,
            "customer_phone_number": phone_number,
            "points": points,
            "referral_id": referral_id,
        }
        bonus = self.call(
            "POST", REFERRAL_BONUS_PATH, ReferralBonus, json=body,
            headers={"Idempotency-Key": bonus_idempotency_key(referral_id)},
            errors={
                "IdempotencyKeyReused": lambda _: ReferralBonusMismatch(),
                "IdempotencyInFlight": lambda _: ReferralBonusInProgress(),
                "BusinessNotFound": lambda _: LoyaltyProgramNotFound(
                    f"Loyalty has no loyalty program for business {business_id} yet"
                ),
                "BusinessNotActive": lambda _: BusinessNotActive(),
                "AwardLimitExceeded": AwardLimitExceeded,
                "DailyAwardLimitReached": DailyAwardLimitReached,
            },
        )
        if bonus.customer_phone_number != phone_number or bonus.points_awarded != points:
            raise UpstreamError("loyalty answered for another customer or amount")
        return bonus
