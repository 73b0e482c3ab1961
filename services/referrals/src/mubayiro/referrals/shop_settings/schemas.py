"""Body and answer of ``GET|PUT /referrals/settings``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from mubayiro.common.money import Points


class ReferralSettingsOut(BaseModel):
    """A business's referral settings, and the bound they are kept within."""

    business_id: int
    default_bonus_points: int = Field(
        description="The bonus the referrer gets when you complete a referral, unless you "
        "give another number of points then."
    )
    max_bonus_points: int = Field(
        description="The largest bonus one referral may pay (set by the platform)."
    )


class ReferralSettingsIn(BaseModel):
    """The settings an owner changes."""

    model_config = ConfigDict(extra="forbid")

    default_bonus_points: Points = Field(
        description="Whole points > 0, at most the platform's maximum (10000 by default)."
    )
