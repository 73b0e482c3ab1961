"""Request and response bodies of the operator routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

BusinessStatus = Literal["pending", "active", "suspended"]


class StatusChange(BaseModel):
    """The status an operator gives a business."""

    model_config = ConfigDict(extra="forbid")

    status: BusinessStatus


class OperatorBusiness(BaseModel):
    """A business as the operator sees it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    contact_person: str
    email: str
    status: BusinessStatus
    created_at: datetime
