"""Request and response bodies of the password reset routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from mubayiro.auth.businesses.schemas import Email, NewPassword
from mubayiro.auth.secret_tokens import MAX_TOKEN_LENGTH


class ResetRequest(BaseModel):
    """Who asks for a reset link."""

    model_config = ConfigDict(extra="forbid")

    email: Email


class ResetRequested(BaseModel):
    """The same answer whether or not the address has an account."""

    detail: str = "If an account uses this address, a reset link is on its way."
    expires_in: int = Field(description="Seconds a link is valid for.")


class ResetConfirm(BaseModel):
    """The token from the link and the new password."""

    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=MAX_TOKEN_LENGTH)
    password: NewPassword


class SentMail(BaseModel):
    """A mail the console provider kept (development only)."""

    model_config = ConfigDict(from_attributes=True)

    to: str
    subject: str
    body: str
    sent_at: datetime
