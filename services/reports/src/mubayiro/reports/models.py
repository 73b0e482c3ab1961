"""The reports service's read model (one metadata, migrated by Alembic).

Reports never reads loyalty's tables (docs/architecture.md). It keeps its own copy of the facts it
needs, fed by loyalty's ``points.*`` events (earned, redeemed, referral_bonus, reversed,
expired, imported) and, to catch up, by a replay of loyalty's ledger
(``python -m mubayiro.reports backfill``).

What the figures mean (docs/api.md, *Reports*)
----------------------------------------------
Every business-wide figure is a sum of loyalty's ledger rows at the business, each kind
counted in its own column and never netted against another, so "points issued" keeps the
meaning the admin app labels it with (points earned by purchases plus referral bonuses
given, as they were given) and a refund is shown beside it, not hidden in it:

- issued: ``earn`` + ``referral_bonus`` rows;
- redeemed: ``redeem`` rows (positive);
- reversed: what ``reversal`` rows of earns and bonuses took back (positive), and their
  ``shortfall`` (what they could not take back because the customer had spent it);
- given back: what ``reversal`` rows of redemptions returned (positive);
- expired: ``expire`` rows (positive); imported: ``import`` rows.

So ``issued + imported + given back − redeemed − reversed − expired`` is exactly the sum
of the business's ledger ``points`` (the ``net_points`` of the summary). A reversal's
direction is its sign: loyalty's ledger row has no "reversed type", and a reversal of a
redemption always gives points back (> 0), one of an earn or a bonus never does (≤ 0).

The tables
----------
- ``report_transaction`` — the **fact** table: one row per loyalty ledger transaction,
  keyed by loyalty's own transaction id. ``points`` is signed as in loyalty's ledger
  (+earned, +bonus, +imported, −redeemed, −expired, ± reversed). It is the read model's
  record of what it has counted.
- ``business_day`` — per business and UTC day: the figures above and the number of rows
  of each type. Totals over any date range, and the daily chart, are a scan of at most
  one row per day.
- ``business_customer`` — per business and customer (phone number): points earned there
  *net of refunds* (purchases and referral bonuses minus what reversals of them took
  back, so the column sums to the business's points issued minus points reversed: a
  refunded purchase does not make a top customer), points redeemed there, the number of
  transactions (every row but ``expire``: an expiry is not something the customer did),
  first and last seen, and ``points_issued`` (earned and bonuses with no refund taken
  off: a bound on what the customer earned in any range). All-time customer count is a
  count of its rows; all-time top customers is an index walk of ``(business_id,
  points_earned DESC, phone_number)``. For a date range, the customers active since a
  day are an index count over ``last_seen_at``, and the top customers a walk by
  ``points_issued`` that stops early (``figures.repository``). Its integer ``id`` is
  local to this read model. ``expire`` rows never touch it.
- ``business_customer_day`` — per business, UTC day and customer (by that ``id``): the
  same three figures for one day. A customer's figures *for a date range* sum their rows
  of it (``ix_business_customer_day_customer``); the customer count of a range in the
  middle of the history, and the top customers when the walk gives up, group the
  range's rows (at most one per customer and active day, fewer than transactions).
  Measured on the benchmark's 30-day range (43,000 transactions, 29,000 customers):
  counting its distinct customers takes ~13 ms here, ~250 ms in the fact table, and
  ~30 ms when this table was keyed by phone-number strings instead of the integer id.
  A refund in a range of a purchase before it counts negative there.
- ``processed_event`` — ids of the events already handled (``libs/common``), so a
  redelivered event is acknowledged without running again.

Why this shape (speed, and convergence)
----------------------------------------
Reports must answer in well under 100 ms for a business with a million transactions
(bench/reports_summary.py). Summing a million fact rows per request cannot; the
aggregate tables turn every figure into a small range scan. They are maintained **in
the same database transaction as the fact insert**, by atomic increments
(``INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x``), so they can never drift
from the facts: either the fact and all its increments commit, or none of them.

Events are deduplicated by event id, but the backfill replays the ledger with no event
ids at all. The fact table's primary key is therefore loyalty's transaction id, and
applying a transaction means *insert the fact first; if it is already there, change
nothing*. A transaction seen through an event and again through the backfill (in any
order, even concurrently: the primary key serialises them) is counted exactly once,
which is why live events and any number of backfill runs converge on the same figures.

``business_day`` and ``business_customer_day`` are ``WITHOUT ROWID`` on SQLite: their
primary key *is* the table's B-tree, so a range scan over ``(business_id, day, …)``
reads the figures straight from the index it walks (covering) instead of looking each
row up again. PostgreSQL ignores the option. Days are UTC (docs/api.md: times are UTC).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Final

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mubayiro.common.db import UTCDateTime, make_metadata, utcnow
from mubayiro.common.events import processed_event_table


class RowType:
    """The ledger row types reports counts, by loyalty's names."""

    EARN: Final = "earn"
    REDEEM: Final = "redeem"
    REFERRAL_BONUS: Final = "referral_bonus"
    REVERSAL: Final = "reversal"
    EXPIRE: Final = "expire"
    IMPORT: Final = "import"


TRANSACTION_TYPES: Final = (
    RowType.EARN, RowType.REDEEM, RowType.REFERRAL_BONUS, RowType.REVERSAL, RowType.EXPIRE,
    RowType.IMPORT,
)
#: Loyalty's ledger CHECK on the sign of a row's points, per type (a reversal takes
#: points back, negative or 0, or gives a redemption's back, positive).
POINTS_SIGN_RULE: Final = (
    "(type = 'earn' AND points >= 0) OR (type = 'redeem' AND points < 0)"
    " OR (type = 'referral_bonus' AND points > 0) OR type = 'reversal'"
    " OR (type = 'expire' AND points < 0) OR (type = 'import' AND points >= 0)"
)

#: Where a fact first came from (kept for diagnosis; the figures do not depend on it).
SOURCE_EVENT: Final = "event"
SOURCE_BACKFILL: Final = "backfill"

PHONE_LENGTH = 16
#: Aggregate tables are clustered on their primary key on SQLite (see module doc).
_WITHOUT_ROWID = {"sqlite_with_rowid": False}


class Base(DeclarativeBase):
    """Declarative base holding the service's one metadata."""

    metadata = make_metadata()


class ReportTransaction(Base):
    """One loyalty ledger transaction, as counted here (the fact).

    ``transaction_id`` is loyalty's id: inserting it a second time is how a duplicate
    (event redelivered under another id, or replayed by the backfill) is recognised.
    The sign rule is loyalty's ledger's own CHECK.
    """

    __tablename__ = "report_transaction"
    __table_args__ = (
        CheckConstraint(
            "type IN (" + ", ".join(f"'{t}'" for t in TRANSACTION_TYPES) + ")",
            name="type_known",
        ),
        CheckConstraint(POINTS_SIGN_RULE, name="points_sign"),
        CheckConstraint("shortfall IS NULL OR shortfall >= 0", name="shortfall_not_negative"),
        CheckConstraint("source IN ('event', 'backfill')", name="source_known"),
    )

    transaction_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    business_id: Mapped[int] = mapped_column(Integer)
    phone_number: Mapped[str] = mapped_column(String(PHONE_LENGTH))
    type: Mapped[str] = mapped_column(String(16))
    points: Mapped[int] = mapped_column(BigInteger)
    #: Money spent (an earn) or refunded (a reversal of an earn).
    amount_spent: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    #: A reversal's points it could not take back (the customer had spent them).
    shortfall: Mapped[int | None] = mapped_column(BigInteger)
    #: The UTC day of ``occurred_at``: the day the transaction is reported under.
    day: Mapped[date] = mapped_column(Date)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BusinessDay(Base):
    """A business's figures for one UTC day (only days with a transaction have a row)."""

    __tablename__ = "business_day"
    __table_args__ = (_WITHOUT_ROWID,)

    business_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    #: Earned plus referral bonuses given (docs/api.md: points issued).
    points_issued: Mapped[int] = mapped_column(BigInteger, default=0)
    #: The referral-bonus part of ``points_issued``.
    bonus_points: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Points redeemed, as a positive number.
    points_redeemed: Mapped[int] = mapped_column(BigInteger, default=0)
    earn_count: Mapped[int] = mapped_column(Integer, default=0)
    bonus_count: Mapped[int] = mapped_column(Integer, default=0)
    redemption_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Points refunds took back from customers (reversals of earns and bonuses), positive.
    points_reversed: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Points refunds could not take back because the customer had spent them.
    shortfall: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Points given back to customers by reversed redemptions, positive.
    points_given_back: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Points this business gave that expired unspent, positive.
    points_expired: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Balances brought from another system (``import`` rows).
    points_imported: Mapped[int] = mapped_column(BigInteger, default=0)
    reversal_count: Mapped[int] = mapped_column(Integer, default=0)
    expire_count: Mapped[int] = mapped_column(Integer, default=0)
    import_count: Mapped[int] = mapped_column(Integer, default=0)


class BusinessCustomer(Base):
    """One customer's all-time figures at one business.

    ``id`` is a surrogate key local to this read model: ``business_customer_day`` rows
    name the customer by it, because grouping a date range's rows by a small integer is
    about twice as fast as by a phone-number string (bench/reports_summary.py). It is
    never exposed and differs between rebuilds; figures are always reported by phone.
    """

    __tablename__ = "business_customer"
    __table_args__ = (
        UniqueConstraint(
            "business_id", "phone_number", name="uq_business_customer_business_id_phone_number"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(Integer)
    phone_number: Mapped[str] = mapped_column(String(PHONE_LENGTH))
    #: Points earned at this business: purchases and referral bonuses.
    points_earned: Mapped[int] = mapped_column(BigInteger, default=0)
    #: Points issued to the customer here (earned and bonuses), refunds not taken off:
    #: never less than what they earned in any date range, so the range's top-customer
    #: search walks customers by it and stops early (see ``figures.repository``).
    points_issued: Mapped[int] = mapped_column(BigInteger, default=0)
    points_redeemed: Mapped[int] = mapped_column(BigInteger, default=0)
    transaction_count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BusinessCustomerDay(Base):
    """One customer's figures at one business on one UTC day (for date-range reports)."""

    __tablename__ = "business_customer_day"
    __table_args__ = (_WITHOUT_ROWID,)

    business_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("business_customer.id"), primary_key=True, autoincrement=False
    )
    points_earned: Mapped[int] = mapped_column(BigInteger, default=0)
    points_redeemed: Mapped[int] = mapped_column(BigInteger, default=0)
    transaction_count: Mapped[int] = mapped_column(Integer, default=0)


# Top customers: the first rows of this index for the business, already in order
# (most points first, ties by phone number), so nothing is sorted at query time.
Index(
    "ix_business_customer_top",
    BusinessCustomer.business_id,
    BusinessCustomer.points_earned.desc(),
    BusinessCustomer.phone_number,
)

# The range's top-customer search: customers by points issued, most first.
Index(
    "ix_business_customer_issued",
    BusinessCustomer.business_id,
    BusinessCustomer.points_issued.desc(),
)
# Customers active since a day (a range that runs to the present): a count of this
# index's entries at or after that day's midnight.
Index("ix_business_customer_last_seen", BusinessCustomer.business_id,
      BusinessCustomer.last_seen_at)
# One customer's days, for their sum over a range (covering: read from the index alone).
Index(
    "ix_business_customer_day_customer",
    BusinessCustomerDay.business_id,
    BusinessCustomerDay.customer_id,
    BusinessCustomerDay.day,
    BusinessCustomerDay.points_earned,
    BusinessCustomerDay.transaction_count,
)

processed_event = processed_event_table(Base.metadata)
