"""What the read model is fed: one :class:`LedgerFact` per loyalty transaction.

Two sources describe the same transactions in two shapes, and both are turned into a
``LedgerFact`` before anything is stored, so there is one code path behind them:

- the events' payloads (docs/events.md), read by :class:`PointsEarned`,
  :class:`PointsRedeemed` and :class:`PointsReferralBonus`; a redemption's ``points``
  is the positive number redeemed;
- the rows of loyalty's ``GET /internal/ledger`` (``clients.loyalty.LedgerTransaction``),
  whose ``points`` are signed.

Only the fields the figures need are read; others (``business_name``,
``total_points``, ``reward_description`` …) are ignored, so loyalty may add fields
without breaking this consumer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from mubayiro.common.phone import PhoneNumber
from mubayiro.reports.models import TYPE_EARN, TYPE_REDEEM, TYPE_REFERRAL_BONUS

#: Bound on one transaction's points: far above anything loyalty can award
#: (largest amount × largest rate), low enough that sums never overflow 64 bits.
MAX_TRANSACTION_POINTS = 10**12


@dataclass(frozen=True)
class LedgerFact:
    """One loyalty transaction as the read model counts it.

    ``points`` is signed as in loyalty's ledger: positive for ``earn`` (or zero, a
    purchase too small to earn) and ``referral_bonus``, negative for ``redeem``.
    """

    transaction_id: int
    business_id: int
    phone_number: str
    type: str
    points: int
    occurred_at: datetime
    amount_spent: Decimal | None = None

    @property
    def day(self) -> date:
        """The UTC day the transaction is reported under."""
        return self.occurred_at.astimezone(UTC).date()

    @property
    def points_issued(self) -> int:
        """Points this transaction issued (earned or bonus), else 0."""
        return self.points if self.type in (TYPE_EARN, TYPE_REFERRAL_BONUS) else 0

    @property
    def points_redeemed(self) -> int:
        """Points this transaction redeemed, as a positive number, else 0."""
        return -self.points if self.type == TYPE_REDEEM else 0


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a timestamp without an offset is read as UTC (the platform's)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class _PointsEvent(BaseModel):
    transaction_id: int = Field(ge=1)
    business_id: int = Field(ge=1)
    customer_phone_number: PhoneNumber
    timestamp: datetime


class PointsEarned(_PointsEvent):
    """``points.earned`` from loyalty (zero points: a purchase too small to earn)."""

    points: int = Field(ge=0, le=MAX_TRANSACTION_POINTS)
    amount_spent: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)

    def to_fact(self) -> LedgerFact:
        """The fact this event describes."""
        return LedgerFact(
            transaction_id=self.transaction_id, business_id=self.business_id,
            phone_number=self.customer_phone_number, type=TYPE_EARN, points=self.points,
            occurred_at=as_utc(self.timestamp), amount_spent=self.amount_spent,
        )


class PointsRedeemed(_PointsEvent):
    """``points.redeemed`` from loyalty; ``points`` is the positive number redeemed."""

    points: int = Field(ge=1, le=MAX_TRANSACTION_POINTS)

    def to_fact(self) -> LedgerFact:
        """The fact this event describes (points negative, as in the ledger)."""
        return LedgerFact(
            transaction_id=self.transaction_id, business_id=self.business_id,
            phone_number=self.customer_phone_number, type=TYPE_REDEEM, points=-self.points,
            occurred_at=as_utc(self.timestamp),
        )


class PointsReferralBonus(_PointsEvent):
    """``points.referral_bonus`` from loyalty: a bonus this business gave a referrer."""

    points: int = Field(ge=1, le=MAX_TRANSACTION_POINTS)

    def to_fact(self) -> LedgerFact:
        """The fact this event describes."""
        return LedgerFact(
            transaction_id=self.transaction_id, business_id=self.business_id,
            phone_number=self.customer_phone_number, type=TYPE_REFERRAL_BONUS,
            points=self.points, occurred_at=as_utc(self.timestamp),
        )
