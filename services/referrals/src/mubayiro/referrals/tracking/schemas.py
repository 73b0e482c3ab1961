"""Bodies of the referral routes and the referral every route returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mubayiro.common.money import Points
from mubayiro.common.phone import PhoneNumber
from mubayiro.referrals.codes.schemas import ReferralCodeText

#: Ids are bounded so an absurd number is a 422, not a database overflow (PostgreSQL INTEGER).
MAX_ID = 2**31 - 1

#: An id in a JSON body: a JSON integer only (``true`` or ``"1"`` are refused).
Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID, examples=[1])]

ReferralStatus = Literal["pending", "completed"]


class ReferralOut(BaseModel):
    """A referral as every route returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    business_id: int | None = Field(
        description="The business that tracked it; null while it is only an invitation."
    )
    referrer_phone_number: str
    referred_phone_number: str
    status: ReferralStatus
    referral_code_used: str | None
    points_awarded: int | None = Field(description="The referrer's bonus, once completed.")
    loyalty_transaction_id: int | None = Field(
        description="Loyalty's ledger row of the bonus, once completed."
    )
    created_at: datetime
    tracked_at: datetime | None = Field(description="When a business tracked (or claimed) it.")
    completed_at: datetime | None
    first_purchase_at: datetime | None = Field(
        description="When the referred customer first bought at this business; null until "
        "then (the referral can be completed only after it)."
    )


class ReferralPage(BaseModel):
    """One page of a business's referrals, newest first, and how many there are in all."""

    items: list[ReferralOut]
    total: int


class TrackRequest(BaseModel):
    """A new customer, and who referred them: a phone number, a referral code, or both."""

    model_config = ConfigDict(extra="forbid")

    business_id: Id
    new_customer_phone_number: PhoneNumber
    referrer_phone_number: PhoneNumber | None = None
    referral_code_used: ReferralCodeText | None = None

    @model_validator(mode="after")
    def _names_a_referrer(self) -> TrackRequest:
        if self.referrer_phone_number is None and self.referral_code_used is None:
            raise ValueError("give referrer_phone_number or referral_code_used")
        return self


class CompleteRequest(BaseModel):
    """The referral to complete (by id or by the new customer's phone) and the bonus."""

    model_config = ConfigDict(extra="forbid")

    referral_id: Id | None = None
    new_customer_phone_number: PhoneNumber | None = None
    points_to_award_referrer: Points | None = Field(
        default=None,
        description="Whole points > 0, at most the configured maximum (10000 by default); "
        "without it, your business's default bonus (GET /referrals/settings).",
    )

    @model_validator(mode="after")
    def _exactly_one_target(self) -> CompleteRequest:
        if (self.referral_id is None) == (self.new_customer_phone_number is None):
            raise ValueError("give exactly one of referral_id and new_customer_phone_number")
        return self
