"""What the read model is fed: one :class:`LedgerFact` per loyalty transaction.

Two sources describe the same transactions in two shapes, and both are turned into a
``LedgerFact`` before anything is stored, so there is one code path behind them:

- the events' payloads (docs/events.md), read by :class:`PointsEarned`,
  :class:`PointsRedeemed`, :class:`PointsReferralBonus`, :class:`PointsReversed`,
  :class:`PointsExpired` and :class:`PointsImported` (one fact per imported row); a
  redemption's and an expiry's ``points`` are positive numbers, a reversal's signed;
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
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from mubayiro.common.phone import PhoneNumber
from mubayiro.reports.models import RowType

#: Bound on one transaction's points: far above anything loyalty can award
#: (largest amount × largest rate), low enough that sums never overflow 64 bits.
MAX_TRANSACTION_POINTS = 10**12


@dataclass(frozen=True)
class LedgerFact:
    """One loyalty transaction as the read model counts it.

    ``points`` is signed as in loyalty's ledger: positive for ``earn`` (or zero, a
    purchase too small to earn), ``referral_bonus`` and ``import`` (or zero), negative
    for ``redeem`` and ``expire``; a ``reversal`` is negative or zero when it takes an
    earn's or a bonus's points back, positive when it gives a redemption's back (see
    ``models``). ``shortfall`` is a reversal's points it could not take back.
    """

    transaction_id: int
    business_id: int
    phone_number: str
    type: str
    points: int
    occurred_at: datetime
    amount_spent: Decimal | None = None
    shortfall: int | None = None

    @property
    def day(self) -> date:
        """The UTC day the transaction is reported under."""
        return self.occurred_at.astimezone(UTC).date()

    @property
    def points_issued(self) -> int:
        """Points this transaction issued (earned or bonus), else 0."""
        return self.points if self.type in (RowType.EARN, RowType.REFERRAL_BONUS) else 0

    @property
    def points_redeemed(self) -> int:
        """Points this transaction redeemed, as a positive number, else 0."""
        return -self.points if self.type == RowType.REDEEM else 0

    @property
    def takes_back(self) -> bool:
        """True for a reversal of an earn or a bonus (it never adds points)."""
        return self.type == RowType.REVERSAL and self.points <= 0

    @property
    def points_reversed(self) -> int:
        """Points a reversal of an earn or a bonus took back, as a positive number."""
        return -self.points if self.takes_back else 0

    @property
    def points_given_back(self) -> int:
        """Points a reversal of a redemption gave back, else 0."""
        return self.points if self.type == RowType.REVERSAL and self.points > 0 else 0

    @property
    def points_expired(self) -> int:
        """Points that expired, as a positive number, else 0."""
        return -self.points if self.type == RowType.EXPIRE else 0

    @property
    def points_imported(self) -> int:
        """Points of an imported balance, else 0."""
        return self.points if self.type == RowType.IMPORT else 0

    @property
    def customer_points_earned(self) -> int:
        """What the transaction adds to the customer's points earned at the business:
        earned and bonus points, less what refunds of them took back (see ``models``)."""
        return self.points_issued - self.points_reversed

    @property
    def is_customer_activity(self) -> bool:
        """False for an expiry: the customer did nothing, so it is not counted as their
        transaction (customer count, top customers)."""
        return self.type != RowType.EXPIRE


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
            phone_number=self.customer_phone_number, type=RowType.EARN, points=self.points,
            occurred_at=as_utc(self.timestamp), amount_spent=self.amount_spent,
        )


class PointsRedeemed(_PointsEvent):
    """``points.redeemed`` from loyalty; ``points`` is the positive number redeemed."""

    points: int = Field(ge=1, le=MAX_TRANSACTION_POINTS)

    def to_fact(self) -> LedgerFact:
        """The fact this event describes (points negative, as in the ledger)."""
        return LedgerFact(
            transaction_id=self.transaction_id, business_id=self.business_id,
            phone_number=self.customer_phone_number, type=RowType.REDEEM, points=-self.points,
            occurred_at=as_utc(self.timestamp),
        )


class PointsReferralBonus(_PointsEvent):
    """``points.referral_bonus`` from loyalty: a bonus this business gave a referrer."""

    points: int = Field(ge=1, le=MAX_TRANSACTION_POINTS)

    def to_fact(self) -> LedgerFact:
        """The fact this event describes."""
        return LedgerFact(
            transaction_id=self.transaction_id, business_id=self.business_id,
            phone_number=self.customer_phone_number, type=RowType.REFERRAL_BONUS,
            points=self.points, occurred_at=as_utc(self.timestamp),
        )


class PointsReversed(_PointsEvent):
    """``points.reversed`` from loyalty: a refund. ``points`` is the signed change
    (negative or 0 when an earn's or a bonus's points were taken back, positive when a
    redemption's were given back); ``shortfall`` what could not be taken back."""

    reversed_type: Literal["earn", "redeem", "referral_bonus"]
    points: int = Field(ge=-MAX_TRANSACTION_POINTS, le=MAX_TRANSACTION_POINTS)
    shortfall: int = Field(default=0, ge=0, le=MAX_TRANSACTION_POINTS)
    amount: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=2)

    @model_validator(mode="after")
    def _check_direction(self) -> PointsReversed:
        gives_back = self.reversed_type == RowType.REDEEM
        if gives_back != (self.points > 0) or (gives_back and self.shortfall):
            raise ValueError(f"points {self.points} (shortfall {self.shortfall}) do not "
                             f"fit a reversal of a {self.reversed_type}")
        return self

    def to_fact(self) -> LedgerFact:
        """The fact this event describes (the reversal row as loyalty's ledger has it)."""
        return LedgerFact(
            transaction_id=self.transaction_id, business_id=self.business_id,
            phone_number=self.customer_phone_number, type=RowType.REVERSAL,
            points=self.points, occurred_at=as_utc(self.timestamp),
            amount_spent=self.amount, shortfall=self.shortfall,
        )


class PointsExpired(_PointsEvent):
    """``points.expired`` from loyalty; ``points`` is the positive number expired, at
    the business that gave them."""

    points: int = Field(ge=1, le=MAX_TRANSACTION_POINTS)

    def to_fact(self) -> LedgerFact:
        """The fact this event describes (points negative, as in the ledger)."""
        return LedgerFact(
            transaction_id=self.transaction_id, business_id=self.business_id,
            phone_number=self.customer_phone_number, type=RowType.EXPIRE,
            points=-self.points, occurred_at=as_utc(self.timestamp),
        )


class ImportedBalance(BaseModel):
    """One row of ``points.imported``: a customer's balance brought in."""

    transaction_id: int = Field(ge=1)
    customer_phone_number: PhoneNumber
    points: int = Field(ge=0, le=MAX_TRANSACTION_POINTS)


#: The most rows one ``points.imported`` may carry (loyalty sends at most 200).
MAX_IMPORTED_ROWS = 1000


class PointsImported(BaseModel):
    """``points.imported`` from loyalty: balances a business brought from another
    system, up to 200 ``import`` rows per event."""

    business_id: int = Field(ge=1)
    rows: list[ImportedBalance] = Field(min_length=1, max_length=MAX_IMPORTED_ROWS)
    timestamp: datetime

    def to_facts(self) -> list[LedgerFact]:
        """The facts this event describes, one per row."""
        moment = as_utc(self.timestamp)
        return [
            LedgerFact(
                transaction_id=row.transaction_id, business_id=self.business_id,
                phone_number=row.customer_phone_number, type=RowType.IMPORT,
                points=row.points, occurred_at=moment,
            )
            for row in self.rows
        ]
