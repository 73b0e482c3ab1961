"""Payloads of the events this service consumes (``data`` of the envelope).

Only the fields used here are read; others (``transaction_id``, ``amount_spent`` …)
are ignored, so producers may add fields without breaking this consumer.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from mubayiro.common.money import MAX_POINTS
from mubayiro.common.phone import PhoneNumber


class PointsEarned(BaseModel):
    """``points.earned`` from loyalty."""

    business_id: int
    business_name: str = Field(min_length=1, max_length=500)
    customer_phone_number: PhoneNumber
    points: int = Field(ge=0, le=MAX_POINTS)
    total_points: int = Field(ge=0)
