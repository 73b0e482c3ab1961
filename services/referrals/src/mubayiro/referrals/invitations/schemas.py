"""Body and answer of ``POST /referrals/invite``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mubayiro.common.phone import PhoneNumber


class InviteRequest(BaseModel):
    """The friend to invite."""

    model_config = ConfigDict(extra="forbid")

    friend_phone_number: PhoneNumber


class InviteResult(BaseModel):
    """The pending referral made for the friend, and the invitation SMS."""

    referral_id: int
    status: Literal["pending"]
    friend_phone_number: str
    referral_code: str = Field(
        description="The inviter's referral code, also in the SMS: the friend gives it at "
        "the till so the business can track the referral."
    )
    sms_status: Literal["pending"] = Field(
        description="The SMS is handed to notifications right after this answer, and "
        "retried until notifications takes it."
    )
    invites_left_today: int = Field(description="Invitations left in the rolling 24 hours.")
