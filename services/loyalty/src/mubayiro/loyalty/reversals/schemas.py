"""Bodies of the reversal route."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from mubayiro.common.money import Money
from mubayiro.common.text import ShortText

#: Ledger ids are 64-bit at most: a larger one is a 422, not a database overflow.
MAX_TRANSACTION_ID = 2**63 - 1

#: A ledger row's id in a path (``transaction_id`` in every route).
TransactionIdPath = Annotated[
    int, Path(ge=1, le=MAX_TRANSACTION_ID, description="The transaction's id.")]

#: Why the transaction is reversed, as typed at the till.
ReversalReason = Annotated[ShortText, Field(examples=["Returned the shoes"])]


class ReversalRequest(BaseModel):
    """A refund: all of the transaction, or part of a purchase (``amount``)."""

    model_config = ConfigDict(extra="forbid")

    amount: Money | None = Field(
        default=None,
        description="The money refunded, for part of a purchase; leave it out to reverse "
        "the whole transaction (the only way for a redemption or a referral bonus).",
    )
    reason: ReversalReason | None = None


class ReversalResult(BaseModel):
    """The outcome of a reversal."""

    transaction_id: int = Field(description="The new reversal row's id.")
    reversed_transaction_id: int
    points: int = Field(
        description="The balance's change (signed): negative when an earn's points were "
        "taken back, positive when a redemption's were given back.")
    shortfall: int = Field(
        description="Points that should have been taken back but were already spent.")
    amount: Decimal | None = Field(description="The money refunded (earns only).")
    total_points: int


class ReversedSoFar(BaseModel):
    """What the earlier reversals of one transaction add up to."""

    amount: Decimal
    points: int
