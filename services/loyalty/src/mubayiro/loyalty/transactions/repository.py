"""SQL for the ledger rows (``point_transaction``) and the daily award counter
(``award_day``).

Every public list is newest first; the whole-ledger read for other services
(:meth:`TransactionRepository.page_after`) is oldest first, by keyset on the id.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, exists, insert, select
from sqlalchemy.orm import Session

from mubayiro.common.sql import PerDialect, dialect_insert
from mubayiro.loyalty.models import AwardDay, Business, Customer, PointTransaction

# The statements of an award, built once (mubayiro.common.sql, "Statements built once").
_transactions = cast(Table, PointTransaction.__table__)
_INSERT = insert(_transactions).returning(_transactions.c.id)
_award_days = cast(Table, AwardDay.__table__)


def _count_award_statement(dialect: str) -> Any:
    upsert = dialect_insert(dialect, _award_days).values(
        business_id=bindparam("business_id"), day=bindparam("day"),
        points=bindparam("points"))
    added = _award_days.c.points + upsert.excluded.points
    return upsert.on_conflict_do_update(
        index_elements=[_award_days.c.business_id, _award_days.c.day],
        set_={"points": added}, where=added <= bindparam("limit"),
    ).returning(_award_days.c.points)


_COUNT_AWARD = PerDialect(_count_award_statement)

_ROW_COLUMNS = (
    PointTransaction.id,
    PointTransaction.type,
    PointTransaction.business_id,
    Business.name.label("business_name"),
    PointTransaction.amount_spent,
    PointTransaction.points,
    PointTransaction.reward_description,
    PointTransaction.reversed_transaction_id,
    PointTransaction.shortfall,
    PointTransaction.created_at.label("timestamp"),
)


# A customer's rows, newest first (every balance lookup shows the last few): built once.
_CUSTOMER_ROWS = (
    select(*_ROW_COLUMNS)
    .join(Business, Business.id == PointTransaction.business_id)
    .where(PointTransaction.customer_id == bindparam("customer_id"))
    .order_by(PointTransaction.id.desc())
    .limit(bindparam("limit")).offset(bindparam("offset"))
)
_CUSTOMER_ROWS_AT = _CUSTOMER_ROWS.where(PointTransaction.business_id == bindparam("business_id"))


class TransactionRepository:
    """Writes and lists ``point_transaction`` rows."""

    def insert(
        self,
        session: Session,
        *,
        business_id: int,
        customer_id: int,
        type: str,
        points: int,
        created_at: datetime,
        amount_spent: Decimal | None = None,
        reward_description: str | None = None,
        reward_id: int | None = None,
        idempotency_key: str | None = None,
        staff_id: int | None = None,
        loyalty_rate: Decimal | None = None,
        reversed_transaction_id: int | None = None,
        shortfall: int | None = None,
    ) -> int:
        """Append a ledger row; return its id (one statement, built once: module doc)."""
        return int(session.execute(_INSERT, {
            "business_id": business_id, "customer_id": customer_id, "type": type,
            "amount_spent": amount_spent, "points": points,
            "reward_description": reward_description, "reward_id": reward_id,
            "idempotency_key": idempotency_key, "staff_id": staff_id,
            "loyalty_rate": loyalty_rate, "reversed_transaction_id": reversed_transaction_id,
            "shortfall": shortfall, "created_at": created_at,
        }).scalar_one())

    def has_later(
        self,
        session: Session,
        moment: datetime,
        *,
        business_id: int | None = None,
        customer_id: int | None = None,
    ) -> bool:
        """Whether the business's (or the customer's) ledger has a row after ``moment``.

        Compares the time itself rather than trusting the newest id: it stays right
        even if two live rows ever committed a few milliseconds out of order.
        """
        query = select(PointTransaction.id).where(PointTransaction.created_at > moment)
        if business_id is not None:
            query = query.where(PointTransaction.business_id == business_id)
        if customer_id is not None:
            query = query.where(PointTransaction.customer_id == customer_id)
        return session.execute(select(exists(query))).scalar_one()

    def list_for_business(
        self, session: Session, business_id: int, limit: int, *, staff_id: int | None = None
    ) -> list[Row[Any]]:
        """A business's newest ``limit`` rows, with the customer's phone number and the
        staff member who wrote each; with ``staff_id``, only that member's rows."""
        query = (
            select(*_ROW_COLUMNS, Customer.phone_number.label("customer_phone_number"),
                   PointTransaction.staff_id)
            .join(Business, Business.id == PointTransaction.business_id)
            .join(Customer, Customer.id == PointTransaction.customer_id)
            .where(PointTransaction.business_id == business_id)
        )
        if staff_id is not None:
            query = query.where(PointTransaction.staff_id == staff_id)
        query = query.order_by(PointTransaction.id.desc()).limit(limit)
        return list(session.execute(query))

    def has_any_between(self, session: Session, *, customer_id: int, business_id: int) -> bool:
        """Whether the customer has a ledger row at the business (read from the visits
        index alone)."""
        query = select(PointTransaction.id).where(
            PointTransaction.customer_id == customer_id,
            PointTransaction.business_id == business_id,
        )
        return session.execute(select(exists(query))).scalar_one()

    def list_for_customer(
        self,
        session: Session,
        customer_id: int,
        limit: int,
        *,
        offset: int = 0,
        business_id: int | None = None,
    ) -> list[Row[Any]]:
        """A customer's rows, newest first: ``limit`` of them after skipping ``offset``.

        With ``business_id``, only the rows at that business (a business's view of
        its customer never shows the customer's history elsewhere).
        """
        values = {"customer_id": customer_id, "limit": limit, "offset": offset}
        if business_id is None:
            return list(session.execute(_CUSTOMER_ROWS, values))
        return list(session.execute(_CUSTOMER_ROWS_AT, {**values, "business_id": business_id}))

    def page_after(self, session: Session, after_id: int, limit: int) -> list[Row[Any]]:
        """At most ``limit`` rows of the whole ledger with ``id > after_id``, ascending.

        Keyset pagination: the primary key's index finds ``after_id`` and reads on
        from there, so every page costs the same however deep into the ledger it is
        (``OFFSET`` would re-read every row before it). One statement per page: the
        business name and the customer's phone come from joins on their primary
        keys, never from a query per row.
        """
        query = (
            select(
                *_ROW_COLUMNS,
                PointTransaction.reward_id,
                PointTransaction.staff_id,
                Customer.phone_number.label("customer_phone_number"),
            )
            .join(Business, Business.id == PointTransaction.business_id)
            .join(Customer, Customer.id == PointTransaction.customer_id)
            .where(PointTransaction.id > after_id)
            .order_by(PointTransaction.id)
            .limit(limit)
        )
        return list(session.execute(query))


class AwardDayRepository:
    """The daily award counters (``award_day``)."""

    def add_within(
        self, session: Session, business_id: int, day: date, points: int, *, limit: int
    ) -> bool:
        """Add ``points`` to the business's counter for ``day`` if it stays ≤ ``limit``.

        One ``INSERT … ON CONFLICT (business_id, day) DO UPDATE SET points = points +
        excluded.points WHERE points + excluded.points <= :limit RETURNING points``: the
        day's first award creates the row, every later one checks and counts in one step
        under the row's lock (like a redemption's balance check), so two concurrent awards
        can never both fit into the last room under the limit. No row back (the
        condition failed) means nothing changed: False.
        """
        if points > limit:
            return False
        counted = session.execute(_COUNT_AWARD.for_(session), {
            "business_id": business_id, "day": day, "points": points, "limit": limit,
        }).first()
        return counted is not None

    def points_on(self, session: Session, business_id: int, day: date) -> int:
        """Points the business awarded on ``day``."""
        found = session.scalar(
            select(AwardDay.points).where(AwardDay.business_id == business_id,
                                          AwardDay.day == day)
        )
        return int(found or 0)


transaction_repository = TransactionRepository()
award_day_repository = AwardDayRepository()
