"""Request and response bodies of the businesses routes, with their validation rules."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from mubayiro.common.money import plain_decimal
from mubayiro.common.text import NoHiddenCharacters

MAX_EMAIL_LENGTH = 254
MAX_PASSWORD_LENGTH = 128


def _normalize_email(value: str) -> str:
    # Not pydantic's EmailStr: it would also take "Name <a@b.com>" and keep the case.
    try:
        email = validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address ({exc})") from exc
    return email.lower()


def _password_strength(value: str) -> str:
    if not any(ch.isalpha() for ch in value) or not any(ch.isdigit() for ch in value):
        raise ValueError("must contain at least one letter and one digit")
    return value


#: A name as people write it: trimmed, 1–120 characters, no control, bidi or other
#: hidden characters (:mod:`mubayiro.common.text`).
DisplayName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    NoHiddenCharacters,
]

#: An email address, validated (syntax only, no DNS) and lowercased.
Email = Annotated[
    str,
    Field(min_length=3, max_length=MAX_EMAIL_LENGTH, examples=["owner@example.com"]),
    AfterValidator(_normalize_email),
]

#: A new password: 8–128 characters with at least one letter and one digit.
NewPassword = Annotated[
    str,
    Field(min_length=8, max_length=MAX_PASSWORD_LENGTH),
    AfterValidator(_password_strength),
]

#: Points per unit of money: 0 to 1000, at most 4 decimal places.
LoyaltyRate = Annotated[
    Decimal,
    Field(ge=0, le=1000, decimal_places=4, allow_inf_nan=False, examples=["0.1"]),
    AfterValidator(plain_decimal),
]


class RegisterBusiness(BaseModel):
    """A new business's sign-up."""

    model_config = ConfigDict(extra="forbid")

    name: DisplayName
    contact_person: DisplayName
    email: Email
    password: NewPassword
    loyalty_rate: LoyaltyRate | None = Field(
        default=None, description="The first rate of the business's loyalty program."
    )


class LoginBusiness(BaseModel):
    """A business's credentials (JSON form of the login)."""

    model_config = ConfigDict(extra="forbid")

    email: Email
    # Only the length is checked at login: the strength rule may change after sign-up.
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class UpdateBusiness(BaseModel):
    """The identity fields a business may change (at least one)."""

    model_config = ConfigDict(extra="forbid")

    name: DisplayName | None = None
    contact_person: DisplayName | None = None


#: ``pending`` (waiting for the operator's approval), ``active`` or ``suspended``.
BusinessStatus = Literal["pending", "active", "suspended"]


class BusinessIdentity(BaseModel):
    """A business as it sees itself."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    contact_person: str
    email: str
    status: BusinessStatus = Field(
        description="Only an active business may award, redeem or complete referrals."
    )
    created_at: datetime


class RegisteredBusiness(BusinessIdentity):
    """The new business; ``loyalty_rate`` is echoed when it was given."""

    loyalty_rate: Decimal | None = None


class InternalBusiness(BaseModel):
    """A business as other services see it (``/internal``): what ``business.registered``
    carries, so a service that asks before the event arrives learns the same."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    contact_person: str
    email: str
    status: BusinessStatus
    loyalty_rate: Decimal | None = Field(
        validation_alias="registration_loyalty_rate",
        description="The rate given at registration (null when none was).",
    )


class TokenResponse(BaseModel):
    """An OAuth2 access token response."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")
