"""Bodies of the redemption-code route, and the code a redemption carries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from mubayiro.common.phone import PhoneNumber
from mubayiro.loyalty.businesses.schemas import BusinessId

#: The six digits the customer reads out at the till (a string: leading zeros count).
CustomerCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{6}$"),
    Field(description="The 6-digit code the customer received by SMS.", examples=["042917"]),
]


class RedemptionCodeRequest(BaseModel):
    """Ask a customer, by SMS, for a code that lets this business spend their points."""

    model_config = ConfigDict(extra="forbid")

    business_id: BusinessId
    customer_phone_number: PhoneNumber


class RedemptionCodeSent(BaseModel):
    """A code is on its way to the customer; it works until ``expires_at``."""

    customer_phone_number: str
    expires_at: datetime
