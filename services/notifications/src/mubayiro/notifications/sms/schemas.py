"""Request and response shapes of the SMS routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mubayiro.common.phone import PhoneNumber

SmsStatus = Literal["queued", "sent", "failed", "skipped"]
#: What a newly stored SMS is: ``queued`` to be sent, or ``skipped`` (opted out).
AcceptedStatus = Literal["queued", "skipped"]

#: Longest body another service may ask for: three segments of GSM text. Our own
#: texts fit one; an invitation may run a little longer.
MAX_REQUESTED_BODY = 480


class OutboxMessage(BaseModel):
    """One message of the development outbox."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    id: int
    to: str = Field(validation_alias="to_number", examples=["+263771234567"])
    body: str
    status: SmsStatus
    created_at: datetime


class SmsRequest(BaseModel):
    """``POST /internal/sms``: an SMS another service wants sent (e.g. an invitation)."""

    model_config = ConfigDict(extra="forbid")

    to: PhoneNumber
    body: str = Field(
        min_length=1, max_length=MAX_REQUESTED_BODY, pattern=r"\S",
        examples=["Tendai invites you to Mubayiro: earn points at shops near you."],
    )
    kind: str = Field(
        min_length=1, max_length=32, pattern=r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$",
        description="What the SMS is, a lowercase slug stored with it",
        examples=["referral_invitation"],
    )
    essential: bool = Field(
        default=False,
        strict=True,
        description="True only for SMS the customer asked for and cannot do without "
        "(sign-in codes): these go out even to numbers that replied STOP.",
    )


class SmsAccepted(BaseModel):
    """The stored SMS: ``queued`` (it will be sent) or ``skipped`` (the number opted out)."""

    id: int
    status: AcceptedStatus
