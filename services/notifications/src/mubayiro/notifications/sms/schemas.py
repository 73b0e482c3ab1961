"""Request and response shapes of the SMS routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class OutboxMessage(BaseModel):
    """One message of the development outbox."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    id: int
    to: str = Field(validation_alias="to_number", examples=["+263771234567"])
    body: str
    status: Literal["queued", "sent", "failed"]
    created_at: datetime
