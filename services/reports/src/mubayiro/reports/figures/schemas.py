"""Response shapes of the report routes.

Every report names the business and echoes the requested ``from``/``to`` (``null`` when
not given: open, i.e. from the first or to the last transaction). Points are whole
numbers; "points issued" is points earned plus referral bonuses the business gave, as
given (docs/api.md): refunds are shown beside it as points reversed, never subtracted
from it. Redeemed, reversed, given back, expired and imported points are positive
numbers (``models`` says what each sums).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class _Report(BaseModel):
    model_config = ConfigDict(validate_by_name=True, serialize_by_alias=True)

    business_id: int = Field(examples=[3])
    from_: dt.date | None = Field(
        alias="from", description="First day included (UTC), as requested; null: open"
    )
    to: dt.date | None = Field(description="Last day included (UTC), as requested; null: open")


class PointsIssuedReport(_Report):
    """``GET /reports/total_points_issued``."""

    total_points_issued: int = Field(
        ge=0, description="Points earned plus referral bonuses given", examples=[12500]
    )
    earned_points: int = Field(ge=0, description="Points earned by purchases")
    referral_bonus_points: int = Field(ge=0, description="Referral bonuses given")


class Redemptions(BaseModel):
    """How many redemptions, and how many points they took."""

    count: int = Field(ge=0, examples=[42])
    points: int = Field(ge=0, description="Points redeemed (positive)", examples=[4200])


class RedemptionsReport(_Report):
    """``GET /reports/total_redemptions``."""

    count: int = Field(ge=0, description="Redemptions", examples=[42])
    points: int = Field(ge=0, description="Points redeemed (positive)", examples=[4200])


class CustomerCountReport(_Report):
    """``GET /reports/customer_count``."""

    customer_count: int = Field(
        ge=0,
        description="Distinct customers with at least one transaction other than an "
        "expiry (an earn, a redemption, a referral bonus, a refund or an imported balance) "
        "at this business in the range",
        examples=[310],
    )


class TopCustomer(BaseModel):
    """One customer of the business and what they earned there."""

    phone_number: str = Field(examples=["+263771234567"])
    points_earned: int = Field(
        description="Points earned at this business in the range (purchases and referral "
        "bonuses) less what refunds in the range took back: negative when a refund in the "
        "range took back points earned before it"
    )
    transaction_count: int = Field(
        ge=1, description="Transactions at this business in the range (every ledger row "
        "but expiries)")


class TopCustomersReport(_Report):
    """``GET /reports/top_customers``: most points earned first, ties by phone number."""

    limit: int = Field(ge=1, le=50)
    top_customers: list[TopCustomer]


class DailyPoints(BaseModel):
    """One UTC day of the chart (days without transactions are zeros)."""

    date: dt.date
    points_issued: int = Field(ge=0, description="Earned plus referral bonuses given")
    points_redeemed: int = Field(ge=0)
    points_reversed: int = Field(
        ge=0, description="Taken back by refunds of purchases and bonuses")
    points_given_back: int = Field(ge=0, description="Given back by reversed redemptions")
    points_expired: int = Field(ge=0, description="Expired unspent")
    points_imported: int = Field(ge=0, description="Balances brought from another system")


class Reversals(BaseModel):
    """Refunds at the business: how many, and the points they moved."""

    count: int = Field(ge=0, description="Reversal rows (refunds)", examples=[3])
    points_reversed: int = Field(
        ge=0, description="Points taken back from customers (refunds of purchases and "
        "referral bonuses)", examples=[120])
    shortfall: int = Field(
        ge=0, description="Points refunds could not take back because the customer had "
        "already spent them (not part of points_reversed)", examples=[15])
    points_given_back: int = Field(
        ge=0, description="Points given back to customers by reversed redemptions",
        examples=[50])


class SummaryReport(_Report):
    """``GET /reports/summary``: every figure at once, plus the daily series for a chart.

    ``daily`` has one entry per day, oldest first, zeros included, from ``from`` (or the
    first day with a transaction) to ``to`` (or the last day with a transaction); it is
    empty when the business has no transaction and no full range was given.
    """

    total_points_issued: int = Field(ge=0)
    total_redemptions: Redemptions
    total_reversals: Reversals
    total_points_expired: int = Field(ge=0, description="Points this business gave that "
                                      "expired unspent")
    total_points_imported: int = Field(ge=0, description="Balances imported from another "
                                       "system")
    net_points: int = Field(
        description="What the business's ledger rows of the range add to customers' "
        "balances: issued + imported + given back − redeemed − reversed − expired")
    customer_count: int = Field(ge=0)
    top_customers: list[TopCustomer]
    daily: list[DailyPoints]
