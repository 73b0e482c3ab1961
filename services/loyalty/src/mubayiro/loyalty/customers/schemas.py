"""Bodies of the customer routes."""

from __future__ import annotations

from pydantic import BaseModel, Field

from mubayiro.loyalty.lots.schemas import NextExpiry
from mubayiro.loyalty.transactions.schemas import TransactionRow

_NEXT_EXPIRY = "The points that expire soonest (unless spent first) and the day; null when "\
    "none of the customer's points expire."


class CustomerPoints(BaseModel):
    """A customer's balance and latest transactions (newest first)."""

    phone_number: str
    total_points: int
    next_expiry: NextExpiry | None = Field(default=None, description=_NEXT_EXPIRY)
    recent_transactions: list[TransactionRow]


class BusinessCustomerView(BaseModel):
    """A customer as one business sees them: the coalition-wide balance, and only the
    transactions at that business (newest first)."""

    phone_number: str
    total_points: int
    transactions: list[TransactionRow]


class CustomerBalance(BaseModel):
    """A customer's balance alone (for other services, e.g. the SMS ``BALANCE`` command)."""

    phone_number: str
    total_points: int
    next_expiry: NextExpiry | None = Field(default=None, description=_NEXT_EXPIRY)
