"""Request and response bodies of the one-time-code routes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from mubayiro.common.phone import PhoneNumber

REQUESTED_DETAIL = "If the number can receive SMS, a code is on its way."

#: Exactly six ASCII digits, as text (leading zeros matter, so never a JSON number).
OtpCode = Annotated[
    str, StringConstraints(pattern=r"^[0-9]{6}$"), Field(examples=["042917"])
]


class RequestCode(BaseModel):
    """A customer asks for a sign-in code for their phone."""

    model_config = ConfigDict(extra="forbid")

    phone_number: PhoneNumber


class CodeRequested(BaseModel):
    """The same answer for every valid number, customer or not (no enumeration)."""

    detail: str = REQUESTED_DETAIL
    expires_in: int = Field(description="Seconds the code is valid for.")


class VerifyCode(BaseModel):
    """A customer proves their phone with the code it received."""

    model_config = ConfigDict(extra="forbid")

    phone_number: PhoneNumber
    code: OtpCode


class DelegatedCustomerToken(BaseModel):
    """A service asks for a short-lived token of a phone another channel vouches for."""

    model_config = ConfigDict(extra="forbid")

    phone_number: PhoneNumber
