"""Request and response bodies of the rewards catalog, and its id and text types."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Path
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    field_validator,
    model_validator,
)

from mubayiro.common.money import Points
from mubayiro.common.text import NoHiddenCharacters, NoHiddenCharactersMultiline
from mubayiro.loyalty.businesses.schemas import MAX_ID, RewardSummary
from mubayiro.loyalty.models import REWARD_DESCRIPTION_LENGTH, REWARD_NAME_LENGTH

__all__ = [
    "BusinessReward",
    "CustomerReward",
    "RewardCreate",
    "RewardDescription",
    "RewardId",
    "RewardIdPath",
    "RewardName",
    "RewardSummary",
    "RewardUpdate",
]

#: A reward id in a path.
RewardIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The reward's id.")]

#: A reward id in a JSON body: a JSON integer only.
RewardId = Annotated[int, Field(strict=True, ge=1, le=MAX_ID, examples=[1])]

#: A reward's name: 1 to 120 characters once surrounding spaces are trimmed, no hidden
#: characters (:mod:`mubayiro.common.text`).
RewardName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=REWARD_NAME_LENGTH),
    NoHiddenCharacters,
    Field(examples=["Free coffee"]),
]

#: A reward's description: at most 500 characters (may be empty; line breaks allowed).
RewardDescription = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=REWARD_DESCRIPTION_LENGTH),
    NoHiddenCharactersMultiline,
    Field(examples=["Any size, any blend."]),
]


class RewardCreate(BaseModel):
    """A new reward for the catalog."""

    model_config = ConfigDict(extra="forbid")

    name: RewardName
    description: RewardDescription = ""
    points_cost: Points
    active: StrictBool = True


class RewardUpdate(BaseModel):
    """A partial change to a reward: only the fields sent change (none may be null)."""

    model_config = ConfigDict(extra="forbid")

    name: RewardName | None = None
    description: RewardDescription | None = None
    points_cost: Points | None = None
    active: StrictBool | None = None

    @field_validator("name", "description", "points_cost", "active", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Defaults are not validated, so this only refuses an explicit JSON null.
        if value is None:
            raise ValueError("must not be null (leave the field out to keep it)")
        return value

    @model_validator(mode="after")
    def _something_to_change(self) -> RewardUpdate:
        if not self.model_fields_set:
            raise ValueError("give at least one field to change")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields that were sent, with their new values."""
        return self.model_dump(include=self.model_fields_set)


class BusinessReward(BaseModel):
    """A reward as its business manages it (the row itself is ``models.Reward``)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    business_id: int
    name: str
    description: str
    points_cost: int
    active: bool
    created_at: datetime
    updated_at: datetime


class CustomerReward(BaseModel):
    """A reward as one customer sees it: can they redeem it now, and if not how far off."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    business_id: int
    business_name: str
    name: str
    description: str
    points_cost: int
    redeemable: bool
    points_missing: int = Field(description="0 when redeemable.")
