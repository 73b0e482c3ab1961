"""Bodies of the ledger routes and the transaction row every list returns.

Besides the public routes' bodies: the internal ``referral_bonus`` request and answer
(called by referrals), the internal import of a purchase from a shop's earlier history,
and the page of the whole ledger (read by reports' backfill).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)

from mubayiro.common.db import utcnow
from mubayiro.common.money import Money, Points
from mubayiro.common.phone import PhoneNumber
from mubayiro.common.text import ShortText
from mubayiro.loyalty.businesses.schemas import MAX_ID, BusinessId
from mubayiro.loyalty.redemption_codes.schemas import CustomerCode

TransactionType = Literal["earn", "redeem", "referral_bonus", "reversal", "expire", "import"]


class TransactionRow(BaseModel):
    """One ledger row as every list shows it (docs/api.md: the transaction row)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    type: TransactionType
    business_id: int
    business_name: str
    amount_spent: Decimal | None = Field(description="Money spent (decimal string); null if none.")
    points: int = Field(description="Signed: positive when earned (or given back), "
                        "negative when redeemed, taken back or expired.")
    reward_description: str | None = Field(
        description="What a redemption was for; a reversal's reason; an import's note.")
    reversed_transaction_id: int | None = Field(
        default=None, description="A reversal's original transaction (null otherwise).")
    shortfall: int | None = Field(
        default=None, description="A reversal's points that could not be taken back "
        "because the customer had spent them (null for other rows).")
    timestamp: datetime


class BusinessTransactionRow(TransactionRow):
    """A ledger row in a business's own list: also says which customer, and which staff
    member made it (null for rows paid by a service, e.g. a referral bonus, and for rows
    from before staff accounts)."""

    customer_phone_number: str
    staff_id: int | None


class AddPointsRequest(BaseModel):
    """A purchase to award points for."""

    model_config = ConfigDict(extra="forbid")

    business_id: BusinessId
    customer_phone_number: PhoneNumber
    amount_spent: Money


#: What a redemption was for, as typed at the till (or the catalog reward's name).
RewardDescriptionText = Annotated[ShortText, Field(examples=["Free coffee"])]


class RedeemPointsRequest(BaseModel):
    """Points a customer spends at a business, for a catalog reward or anything else."""

    model_config = ConfigDict(extra="forbid")

    business_id: BusinessId
    customer_phone_number: PhoneNumber
    points_to_redeem: Points
    reward_description: RewardDescriptionText
    reward_id: Annotated[int, Field(strict=True, ge=1, le=MAX_ID)] | None = Field(
        default=None,
        description="A reward of this business's catalog; then points_to_redeem must be "
        "its points_cost.",
    )
    customer_code: CustomerCode | None = Field(
        default=None,
        description="The code the customer received by SMS after "
        "POST /transactions/redemption_codes (required unless the platform turned "
        "customer codes off).",
    )


class RedeemPointsResult(BaseModel):
    """The outcome of a redemption."""

    transaction_id: int
    points_redeemed: int
    total_points: int


class AddPointsResult(BaseModel):
    """The outcome of awarding points."""

    transaction_id: int
    customer_phone_number: str
    points_earned: int
    total_points: int


#: Referral ids are referrals' 64-bit integer keys.
MAX_REFERRAL_ID = 2**63 - 1


class ReferralBonusRequest(BaseModel):
    """A referral bonus to pay a referrer (from the referrals service)."""

    model_config = ConfigDict(extra="forbid")

    business_id: BusinessId
    customer_phone_number: PhoneNumber
    points: Points
    referral_id: Annotated[int, Field(strict=True, ge=1, le=MAX_REFERRAL_ID, examples=[42])]


class ReferralBonusResult(BaseModel):
    """The outcome of a referral bonus."""

    transaction_id: int
    customer_phone_number: str
    points_awarded: int
    total_points: int


#: How far back a purchase may be imported (a year of paper stamp cards, leap day included).
MAX_IMPORT_AGE = timedelta(days=366)


def _iso_text(value: Any) -> Any:
    # A bare number would be read as a Unix time; history should say what it means.
    if not isinstance(value, str | datetime):
        raise ValueError("must be an ISO-8601 date-time with a UTC offset")
    return value


class ImportTransactionRequest(BaseModel):
    """A purchase from a shop's earlier history, to bring into the ledger."""

    model_config = ConfigDict(extra="forbid")

    business_id: BusinessId
    customer_phone_number: PhoneNumber
    amount_spent: Money
    occurred_at: Annotated[AwareDatetime, BeforeValidator(_iso_text)] = Field(
        description="When the purchase happened: in the past, at most 366 days ago, "
        "with a UTC offset.",
        examples=["2026-10-02T08:15:00+02:00"],
    )

    @field_validator("occurred_at")
    @classmethod
    def _within_the_past_year(cls, value: datetime) -> datetime:
        # In UTC, so "+02:00" and "Z" spellings of one moment are the same request.
        value = value.astimezone(UTC)
        now = utcnow()
        if value > now:
            raise ValueError("must be in the past")
        if value < now - MAX_IMPORT_AGE:
            raise ValueError(f"must be at most {MAX_IMPORT_AGE.days} days ago")
        return value


class ImportTransactionResult(AddPointsResult):
    """The outcome of an imported purchase: ``add_points``'s answer and when it happened."""

    timestamp: datetime


class LedgerRow(BusinessTransactionRow):
    """A ledger row as the whole-ledger read shows it: also the catalog reward redeemed."""

    reward_id: int | None


class LedgerPage(BaseModel):
    """A page of the whole ledger, ascending by id.

    ``next_after_id`` is the last id of the page, to pass as ``after_id`` for the next
    one; null when the page is shorter than asked (the end of the ledger).
    """

    transactions: list[LedgerRow]
    next_after_id: int | None
