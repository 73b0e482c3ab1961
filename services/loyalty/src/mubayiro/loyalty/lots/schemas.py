"""Shapes of point expiry as other modules' answers show it."""

from __future__ import annotations

from datetime import date as Date  # noqa: N812 - ``date`` is the field's name

from pydantic import BaseModel, Field


class NextExpiry(BaseModel):
    """The customer's points that expire soonest, and the (UTC) day they expire."""

    points: int = Field(description="Points that expire that day, unless spent first.")
    date: Date
