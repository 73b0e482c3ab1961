"""Payloads of the events this service consumes (``data`` of the envelope).

Only the fields used here are read; others (``transaction_id``, ``amount_spent``,
``timestamp`` …) are ignored, so producers may add fields without breaking this
consumer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from mubayiro.common.money import MAX_POINTS, PointsAmount
from mubayiro.common.phone import PhoneNumber


class PointsEarned(BaseModel):
    """``points.earned`` from loyalty."""

    business_id: int
    business_name: str = Field(min_length=1, max_length=500)
    customer_phone_number: PhoneNumber
    #: Bounded by the constant loyalty caps an award with: loyalty never sends more.
    points: PointsAmount
    total_points: int = Field(ge=0)
    #: True for a purchase from the shop's earlier history brought into the ledger
    #: (loyalty's ``/internal/transactions/import``); absent on live purchases.
    imported: bool = False


class PointsRedeemed(BaseModel):
    """``points.redeemed`` from loyalty; ``points`` is the positive number redeemed."""

    business_id: int
    business_name: str = Field(min_length=1, max_length=500)
    customer_phone_number: PhoneNumber
    points: int = Field(ge=1, le=MAX_POINTS)
    # Free text typed at the till (or the catalog reward's name); a missing one only
    # shortens the SMS, it is no reason to hold the event back.
    reward_description: str | None = Field(default=None, max_length=1000)
    total_points: int = Field(ge=0)


class PointsReferralBonus(BaseModel):
    """``points.referral_bonus`` from loyalty: the referrer's bonus."""

    business_id: int
    business_name: str = Field(min_length=1, max_length=500)
    customer_phone_number: PhoneNumber
    points: int = Field(ge=1, le=MAX_POINTS)
    total_points: int = Field(ge=0)


class PointsReversed(BaseModel):
    """``points.reversed`` from loyalty: a refund. ``points`` is the signed change of the
    balance (negative or 0: taken back; positive: a redemption's points given back)."""

    business_id: int
    business_name: str = Field(min_length=1, max_length=500)
    customer_phone_number: PhoneNumber
    reversed_type: Literal["earn", "redeem", "referral_bonus"]
    points: int = Field(ge=-MAX_POINTS, le=MAX_POINTS)
    total_points: int = Field(ge=0)


#: ``date`` under another name, for a model with a field called ``date``.
Day = date


class PointsExpiring(BaseModel):
    """``points.expiring`` from loyalty: points that expire within a week, from ``date``
    (the earliest, UTC) to ``last_date`` (the latest; absent from older producers)."""

    customer_phone_number: PhoneNumber
    points: int = Field(ge=1)
    date: date
    last_date: Day | None = None
    total_points: int = Field(ge=0)


class RedemptionCodeRequested(BaseModel):
    """``redemption_code.requested`` from loyalty: a shop asks to spend the customer's
    points, and the code is the customer's consent."""

    business_id: int
    business_name: str = Field(min_length=1, max_length=500)
    customer_phone_number: PhoneNumber
    code: str = Field(pattern=r"^[0-9]{6}$")


class OtpRequested(BaseModel):
    """``customer.otp_requested`` from auth: a sign-in code to text to the customer."""

    phone_number: PhoneNumber
    code: str = Field(pattern=r"^[0-9]{4,10}$")
    expires_at: datetime
