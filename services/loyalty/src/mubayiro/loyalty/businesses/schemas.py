"""Request and response bodies of the businesses module, and its id and rate types."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from mubayiro.common.money import plain_decimal
from mubayiro.loyalty.config import RATE_DECIMAL_PLACES

#: Ids are bounded so an absurd number is a 422, not a database overflow (PostgreSQL INTEGER).
MAX_ID = 2**31 - 1

#: A business id in a path (``business_id`` in every route, so loaders are shared).
BusinessIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The business's id.")]

#: A business id in a JSON body: a JSON integer only (``true`` or ``"1"`` are refused).
BusinessId = Annotated[int, Field(strict=True, ge=1, le=MAX_ID, examples=[1])]

#: Points per unit of money: ``Decimal`` ≥ 0 with at most 4 decimal places. The upper
#: bound is a setting (``max_loyalty_rate``), checked by the service.
LoyaltyRate = Annotated[
    Decimal,
    Field(
        ge=0,
        decimal_places=RATE_DECIMAL_PLACES,
        max_digits=12,
        allow_inf_nan=False,
        examples=["1.5"],
    ),
    AfterValidator(plain_decimal),  # "-0" is 0, "1e1" is 10
]


#: The longest expiry a program may set: ten years.
MAX_EXPIRY_DAYS = 3650
ExpiryDays = Annotated[int, Field(strict=True, ge=1, le=MAX_EXPIRY_DAYS, examples=[365])]

#: A business's status as auth keeps it (only ``active`` may award and redeem).
BusinessStatus = Literal["pending", "active", "suspended"]


class BusinessSummary(BaseModel):
    """A directory entry."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class BusinessProgram(BaseModel):
    """A business's loyalty program."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    loyalty_rate: Decimal = Field(description="Points per unit of money spent (a decimal string).")
    points_expire_after_days: int | None = Field(
        default=None, description="Points earned here expire this many days later "
        "(null: never).")


class RewardSummary(BaseModel):
    """An active reward as the public sees it on the business's page."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    points_cost: int


class BusinessPage(BusinessProgram):
    """A business's public page: its program and its active rewards, cheapest first."""

    rewards: list[RewardSummary]


class LoyaltyRulesUpdate(BaseModel):
    """New rules for a program."""

    model_config = ConfigDict(extra="forbid")

    loyalty_rate: LoyaltyRate
    points_expire_after_days: ExpiryDays | None = Field(
        default=None, description="Points earned from now on expire this many days later; "
        "null: never. Left out: unchanged. Points already earned keep their expiry.")


class BusinessEventData(BaseModel):
    """The payload of auth's ``business.registered`` / ``business.updated`` events."""

    model_config = ConfigDict(extra="ignore")

    business_id: int = Field(ge=1, le=MAX_ID)
    name: str = Field(min_length=1)
    loyalty_rate: Decimal | None = None
    #: Absent in events from before business status existed: the copy's status stays.
    status: BusinessStatus | None = None


class AwardLimits(BaseModel):
    """A business's award limits in points, as they apply now (the operator's or the
    settings' defaults)."""

    business_id: int
    per_transaction: int
    per_day: int
    per_transaction_is_default: bool
    per_day_is_default: bool
