"""Client for loyalty's ``GET /internal/ledger``, called with this service's token.

Reports asks loyalty one thing, and only from the ``backfill`` command: the whole
ledger in id order, a page at a time (docs/events.md)::

    GET /internal/ledger?after_id=0&limit=1000
    → {transactions: [{id, type, business_id, business_name, customer_phone_number,
                       amount_spent|null, points (signed), reward_description|null,
                       reward_id|null, reversed_transaction_id|null, shortfall|null,
                       staff_id|null, timestamp}], next_after_id}

Each row is checked against that contract here; a page that breaks it stops the
backfill with a 502-style :class:`~mubayiro.common.errors.UpstreamError` naming the
problem, instead of counting something wrong.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mubayiro.common.errors import UpstreamError
from mubayiro.common.http import PeerClient
from mubayiro.common.phone import PhoneNumber
from mubayiro.reports.ingest.schemas import MAX_TRANSACTION_POINTS, LedgerFact, as_utc
from mubayiro.reports.models import (
    TRANSACTION_TYPES,
    RowType,
)

LEDGER_PATH = "/internal/ledger"


class LedgerTransaction(BaseModel):
    """One row of loyalty's ledger (fields reports does not use are ignored)."""

    model_config = ConfigDict(extra="ignore")

    id: int = Field(ge=1)
    type: str = Field(min_length=1, max_length=32)
    business_id: int = Field(ge=1)
    customer_phone_number: PhoneNumber
    amount_spent: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    points: int = Field(ge=-MAX_TRANSACTION_POINTS, le=MAX_TRANSACTION_POINTS)
    shortfall: int | None = Field(default=None, ge=0, le=MAX_TRANSACTION_POINTS)
    timestamp: datetime

    @model_validator(mode="after")
    def _check_sign(self) -> LedgerTransaction:
        # Loyalty's own CHECK: earn >= 0, redeem < 0, referral_bonus > 0, expire < 0,
        # import >= 0, a reversal either way; only a reversal taking points back has a
        # shortfall.
        sign_ok = {
            RowType.EARN: self.points >= 0,
            RowType.REDEEM: self.points < 0,
            RowType.REFERRAL_BONUS: self.points > 0,
            RowType.EXPIRE: self.points < 0,
            RowType.IMPORT: self.points >= 0,
            RowType.REVERSAL: self.points <= 0 or not self.shortfall,
        }.get(self.type, True)
        if not sign_ok:
            raise ValueError(f"points {self.points} has the wrong sign for a {self.type}")
        return self

    @property
    def is_known_type(self) -> bool:
        """True for the transaction types the figures count."""
        return self.type in TRANSACTION_TYPES

    def to_fact(self) -> LedgerFact:
        """The fact this row describes (only for a known type)."""
        reversal = self.type == RowType.REVERSAL
        return LedgerFact(
            transaction_id=self.id, business_id=self.business_id,
            phone_number=self.customer_phone_number, type=self.type, points=self.points,
            occurred_at=as_utc(self.timestamp),
            amount_spent=self.amount_spent if self.type == RowType.EARN or reversal else None,
            shortfall=(self.shortfall or 0) if reversal else None,
        )


class LedgerPage(BaseModel):
    """One page of the ledger; ``next_after_id`` is where the next page starts (None: end)."""

    model_config = ConfigDict(extra="ignore")

    transactions: list[LedgerTransaction]
    next_after_id: int | None = Field(default=None, ge=0)


class LoyaltyClient(PeerClient):
    """Loyalty's ``/internal/*`` routes used by reports."""

    peer_name = "loyalty"

    def ledger_page(self, *, after_id: int, limit: int) -> LedgerPage:
        """The ledger transactions with ``id > after_id``, at most ``limit``, in id order.

        Raises:
            UpstreamError: loyalty refused the call or answered something that breaks the
                contract (502).
            UpstreamUnavailable: loyalty (or auth, for our token) could not be reached (503).
            UpstreamTimeout: loyalty did not answer in time (504).
        """
        page = self.call(
            "GET", LEDGER_PATH, LedgerPage, params={"after_id": after_id, "limit": limit},
            action=f"the ledger page after id {after_id}",
        )
        ids = [row.id for row in page.transactions]
        if ids and (ids[0] <= after_id or ids != sorted(set(ids)) or len(ids) > limit):
            raise UpstreamError(
                f"loyalty's ledger page after id {after_id} is not in ascending id order "
                "after the cursor, or is longer than asked"
            )
        return page
