"""Response shapes of the report routes.

Every report names the business and echoes the requested ``from``/``to`` (``null`` when
not given: open, i.e. from the first or to the last transaction). Points are whole
numbers; "points issued" is points earned plus referral bonuses the business gave
(docs/api.md); redeemed points are positive numbers.
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
        description="Distinct customers with at least one transaction (earn, redeem or "
        "referral bonus) at this business in the range",
        examples=[310],
    )


class TopCustomer(BaseModel):
    """One customer of the business and what they earned there."""

    phone_number: str = Field(examples=["+263771234567"])
    points_earned: int = Field(
        ge=0, description="Points earned at this business in the range (purchases and "
        "referral bonuses)"
    )
    transaction_count: int = Field(ge=1, description="Transactions at this business in the range")


class TopCustomersReport(_Report):
    """``GET /reports/top_customers``: most points earned first, ties by phone number."""

    limit: int = Field(ge=1, le=50)
    top_customers: list[TopCustomer]


class DailyPoints(BaseModel):
    """One UTC day of the chart (days without transactions are zeros)."""

    date: dt.date
    points_issued: int = Field(ge=0)
    points_redeemed: int = Field(ge=0)


class SummaryReport(_Report):
    """``GET /reports/summary``: every figure at once, plus the daily series for a chart.

    ``daily`` has one entry per day, oldest first, zeros included, from ``from`` (or the
    first day with a transaction) to ``to`` (or the last day with a transaction); it is
    empty when the business has no transaction and no full range was given.
    """

    total_points_issued: int = Field(ge=0)
    total_redemptions: Redemptions
    customer_count: int = Field(ge=0)
    top_customers: list[TopCustomer]
    daily: list[DailyPoints]
