"""The loyalty service's tables: the ledger and the local copies it needs.

- ``business`` — a loyalty program. Its ``id`` *is* the auth service's business id
  (never generated here). Loyalty owns the program's ``loyalty_rate``; from auth it
  keeps only a copy of the ``id`` and ``name`` (needed to label transactions and to
  list the directory). The copy is kept fresh by auth's ``business.registered`` and
  ``business.updated`` events, delivered to ``/internal/events``: both insert the row
  when it is missing and refresh the name. A new row starts at
  ``default_loyalty_rate``; a ``business.registered`` event carrying ``loyalty_rate``
  sets that as the first rate — also on a row that already exists, as long as the
  business has not set a rate itself (``loyalty_rate_set_at`` is null). Once the
  business sets its rate through ``loyalty_rules``, no event ever changes it, and
  ``business.updated`` never touches the rate. Because events arrive a moment after
  the registration, a business route or ``add_points`` naming an unknown business
  with that business's own token fetches the business from auth once and inserts
  the copy (read-your-writes; see ``businesses.service``); auth's internal record has
  no rate, so such a row has the default rate until the registration event lands.
  Contact person, email and password stay in auth. ``status`` is auth's too
  (``pending`` until an operator approves the business, then ``active`` or
  ``suspended``): copied from every event that carries it (the newest by the event's
  ``occurred_at``, kept in ``status_at``, so a late redelivery never undoes a newer
  change) and from auth's answer in the fallback. Only an ``active`` business may
  award, redeem, ask for redemption codes or pay referral bonuses. The award limits
  (``award_limit_per_transaction``, ``award_limit_per_day``, in points) are set by the
  operator (``python -m mubayiro.loyalty limits``); null means the settings' default.
- ``customer`` — one coalition-wide points balance per phone number (E.164).
  ``total_points`` is the running sum of the customer's ledger rows, changed only by
  atomic ``UPDATE … SET total_points = total_points + :points``; the CHECK makes an
  overdraft impossible whatever the code above does.
- ``point_transaction`` — the ledger, append-only: a row is never edited. ``points``
  is signed (+earned, −redeemed). ``type`` admits ``earn``, ``redeem``,
  ``referral_bonus``, ``reversal`` (a refund: a new row linked to the row it reverses
  by ``reversed_transaction_id``; ``shortfall`` is what it could not take back because
  the customer had spent it; its ``amount_spent`` is the money refunded and its
  ``reward_description`` the reason), ``expire`` (points of a lot that reached its
  expiry date) and ``import`` (a balance brought from another system: at most one per
  business and customer, the unique index ``ux_point_transaction_import_once``). An
  earn keeps the ``loyalty_rate`` it was computed with (null for earns from before
  reversals existed: a refund then uses ``points / amount_spent``). A redemption of a
  catalog reward keeps its ``reward_id`` (null for free-text ones).
  ``staff_id`` is auth's id of the staff member whose token wrote the row (null for
  service calls — referral bonuses, imports — and for rows from before staff
  accounts): the audit trail the owner reads with ``?staff_id=``.
- ``point_lot`` — where a customer's points came from and when they expire: each
  credit (an earn, a referral bonus, an import, a redemption given back) opens a lot of
  its points, expiring ``points_expire_after_days`` after it (the business's setting
  then; null: never). Spending takes from the lots with the earliest expiry first
  (lots are the customer's, not a business's: points from any business count
  everywhere); a refund of an earn takes from that earn's own lot first; the expiry job
  writes an ``expire`` row for what is ``remaining`` in a lot that reached its date.
  Invariant: a customer's lots' ``remaining`` add up to ``total_points``, so expiry can
  only ever remove points that were earned and not yet spent. Balances from before lots
  existed got one lot each, never expiring. ``reminded_at``: the customer was told the
  lot expires soon.
- ``award_day`` — points a business awarded on one UTC day (earns and referral
  bonuses), the counter its daily award limit is checked against, changed only by
  one conditional ``UPDATE … WHERE points + :p <= :limit`` (the balance's pattern).
- ``redemption_code`` — a customer's consent to spend at one business: a six-digit
  code texted to the customer, kept only as a salted SHA-256 hash, valid
  ``redemption_code_ttl_seconds`` for any number of redemptions at that business,
  dead after ``redemption_code_max_attempts`` wrong tries. ``confirmed_at`` is when
  the customer first gave the right code: from then on the business may see the
  customer (see ``customers.service``).
- ``reward`` — a business's rewards catalog: what a customer can redeem points for
  there, at a fixed ``points_cost``. Rewards are never deleted, only deactivated
  (``active``), so ledger rows can keep pointing at them.
- ``cross_promotion`` — partners a business chose to promote to its customers
  (one row per ordered pair, never a business with itself); read by the
  recommendation engine.
- ``outbox_message``, ``processed_event``, ``idempotency_record`` — the shared
  outbox, consumer deduplication and Idempotency-Key tables from ``libs/common``.

Invariant: ``customer.total_points == sum(point_transaction.points) ==
sum(point_lot.remaining)`` for each customer, and ``total_points >= 0``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mubayiro.common.db import UTCDateTime, make_metadata, utcnow
from mubayiro.common.events import outbox_queue, outbox_table, processed_event_table
from mubayiro.common.idempotency import idempotency_table

#: The kinds of ledger rows.
TRANSACTION_TYPES = ("earn", "redeem", "referral_bonus", "reversal", "expire", "import")

#: A business's status, copied from auth (see module doc).
BUSINESS_STATUSES = ("pending", "active", "suspended")
ACTIVE = "active"

BUSINESS_NAME_LENGTH = 200
PHONE_LENGTH = 16  # E.164: "+" and at most 15 digits
REWARD_DESCRIPTION_LENGTH = 500
REWARD_NAME_LENGTH = 120


class Base(DeclarativeBase):
    """Declarative base holding the service's single metadata (used by Alembic)."""

    metadata = make_metadata()


class Business(Base):
    """A loyalty program, keyed by the auth service's business id (see module doc)."""

    __tablename__ = "business"
    __table_args__ = (
        CheckConstraint("loyalty_rate >= 0", name="loyalty_rate_not_negative"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in BUSINESS_STATUSES) + ")",
            name="status_known",
        ),
        CheckConstraint(
            "award_limit_per_transaction IS NULL OR award_limit_per_transaction > 0",
            name="award_limit_per_transaction_positive",
        ),
        CheckConstraint(
            "award_limit_per_day IS NULL OR award_limit_per_day > 0",
            name="award_limit_per_day_positive",
        ),
        CheckConstraint(
            "points_expire_after_days IS NULL OR points_expire_after_days > 0",
            name="points_expire_after_days_positive",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(BUSINESS_NAME_LENGTH))
    # No column default: the service writes settings.default_loyalty_rate explicitly.
    loyalty_rate: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    # When the business last set its rate itself; null while the rate is the first one.
    loyalty_rate_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE, server_default=ACTIVE)
    # When the status copied here was auth's (the event's occurred_at, or the fetch).
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Points earned here expire this many days after (null: never).
    points_expire_after_days: Mapped[int | None] = mapped_column(Integer)
    # The operator's limits, in points; null: the settings' defaults.
    award_limit_per_transaction: Mapped[int | None] = mapped_column(BigInteger)
    award_limit_per_day: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Customer(Base):
    """A customer, known only by phone number, with the coalition-wide balance."""

    __tablename__ = "customer"
    __table_args__ = (CheckConstraint("total_points >= 0", name="total_points_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone_number: Mapped[str] = mapped_column(String(PHONE_LENGTH), unique=True)
    total_points: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PointTransaction(Base):
    """One ledger row: points earned, redeemed, given, reversed, expired or imported."""

    __tablename__ = "point_transaction"
    __table_args__ = (
        CheckConstraint(
            "type IN (" + ", ".join(f"'{t}'" for t in TRANSACTION_TYPES) + ")", name="type_known"
        ),
        # The sign follows the type, so a bug cannot book a redemption as a gain.
        CheckConstraint(
            "(type = 'earn' AND points >= 0) OR (type = 'redeem' AND points < 0)"
            " OR (type = 'referral_bonus' AND points > 0) OR type = 'reversal'"
            " OR (type = 'expire' AND points < 0) OR (type = 'import' AND points >= 0)",
            name="points_sign_matches_type",
        ),
        # A reversal always names the row it reverses, and only a reversal does.
        CheckConstraint(
            "(type = 'reversal') = (reversed_transaction_id IS NOT NULL)",
            name="reversal_links_original",
        ),
        CheckConstraint("shortfall IS NULL OR shortfall >= 0", name="shortfall_not_negative"),
        # The reversals of one row are summed under the original's lock.
        Index("ix_point_transaction_reversed_transaction_id", "reversed_transaction_id"),
        # One imported balance per business and customer: the same file applied twice
        # (or two files naming one phone) imports it once.
        Index("ux_point_transaction_import_once", "business_id", "customer_id", unique=True,
              sqlite_where=text("type = 'import'"), postgresql_where=text("type = 'import'")),
        CheckConstraint("amount_spent IS NULL OR amount_spent > 0", name="amount_spent_positive"),
        # Newest-first pages per customer and per business read these indexes backwards.
        Index("ix_point_transaction_customer_id_id", "customer_id", "id"),
        Index("ix_point_transaction_business_id_id", "business_id", "id"),
        # Distinct (customer, business) visits for the recommendation engine's co-visit
        # counts are read from this index alone, without touching the table.
        Index("ix_point_transaction_customer_id_business_id", "customer_id", "business_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    type: Mapped[str] = mapped_column(String(16))
    amount_spent: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    points: Mapped[int] = mapped_column(BigInteger)
    reward_description: Mapped[str | None] = mapped_column(String(REWARD_DESCRIPTION_LENGTH))
    # The catalog reward a redemption was for (null for earns and free-text redemptions).
    reward_id: Mapped[int | None] = mapped_column(ForeignKey("reward.id"))
    # The Idempotency-Key the row was written under, if any (for audits and support).
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    # The staff member (auth's id) whose token wrote the row; null for services.
    staff_id: Mapped[int | None] = mapped_column(Integer)
    # An earn's rate (points = floor(amount_spent × rate)), what a refund takes back by.
    loyalty_rate: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    # A reversal's original row, and the points it could not take back (see module doc).
    reversed_transaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("point_transaction.id"))
    shortfall: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PointLot(Base):
    """Points a customer got from one credit, what is left of them, and when it expires."""

    __tablename__ = "point_lot"
    __table_args__ = (
        CheckConstraint("remaining >= 0 AND remaining <= points", name="remaining_within_points"),
        # A customer's unspent lots, soonest expiry first (spending, next_expiry).
        Index("ix_point_lot_customer_id_expires_at", "customer_id", "expires_at"),
        # The expiry job's and the reminders' scan.
        Index("ix_point_lot_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    # The business that gave the points (null for balances from before lots existed).
    business_id: Mapped[int | None] = mapped_column(ForeignKey("business.id"))
    # The ledger row that opened the lot (null for those balances too).
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("point_transaction.id"))
    points: Mapped[int] = mapped_column(BigInteger)
    remaining: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AwardDay(Base):
    """Points a business awarded on one UTC day (its daily limit's counter)."""

    __tablename__ = "award_day"
    __table_args__ = (CheckConstraint("points >= 0", name="points_not_negative"),)

    business_id: Mapped[int] = mapped_column(ForeignKey("business.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    points: Mapped[int] = mapped_column(BigInteger, default=0)


class RedemptionCode(Base):
    """A customer's consent for one business to spend their points (see module doc)."""

    __tablename__ = "redemption_code"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        # The newest code of a (business, phone): what a redemption checks.
        Index("ix_redemption_code_business_id_phone_number_id", "business_id",
              "phone_number", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id"))
    # Not a foreign key to customer: a code may be asked for a number with no points yet.
    phone_number: Mapped[str] = mapped_column(String(PHONE_LENGTH))
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Reward(Base):
    """A reward in a business's catalog, redeemable for ``points_cost`` points."""

    __tablename__ = "reward"
    __table_args__ = (
        CheckConstraint("points_cost > 0", name="points_cost_positive"),
        Index("ix_reward_business_id_id", "business_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id"))
    name: Mapped[str] = mapped_column(String(REWARD_NAME_LENGTH))
    description: Mapped[str] = mapped_column(String(REWARD_DESCRIPTION_LENGTH), default="")
    points_cost: Mapped[int] = mapped_column(BigInteger)
    # Soft delete: a deactivated reward is hidden from customers and cannot be redeemed.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class CrossPromotion(Base):
    """``business_id`` promotes ``partner_business_id`` to its customers."""

    __tablename__ = "cross_promotion"
    __table_args__ = (
        CheckConstraint("business_id <> partner_business_id", name="not_self"),
    )

    business_id: Mapped[int] = mapped_column(ForeignKey("business.id"), primary_key=True)
    partner_business_id: Mapped[int] = mapped_column(ForeignKey("business.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


outbox = outbox_table(Base.metadata)
#: The queues of work owed to peers: what the operator CLI and ``/readyz`` look at.
QUEUES = (outbox_queue(outbox),)
processed_event = processed_event_table(Base.metadata)
idempotency_record = idempotency_table(Base.metadata)
