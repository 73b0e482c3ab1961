"""Bodies of the customer routes."""

from __future__ import annotations

from pydantic import BaseModel

from mubayiro.loyalty.transactions.schemas import TransactionRow


class CustomerPoints(BaseModel):
    """A customer's balance and latest transactions (newest first)."""

    phone_number: str
    total_points: int
    recent_transactions: list[TransactionRow]
