"""SQL that writes the read model: the fact row and the increments of its aggregates.

Every aggregate write is one ``INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x``:
the first transaction of a (business, day), (business, customer) or (business, day,
customer) creates the row, later ones add to it atomically in the database, never by
reading a value into Python and writing it back (which would lose one of two
concurrent updates on PostgreSQL).

The four statements are built once per database dialect and executed with a fresh
parameter dict each time: building an ``ON CONFLICT`` statement costs far more than
running it (about 2 ms against 0.1 ms on SQLite), and a backfill runs it millions of
times.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import FromClause, case, func, select
from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.sql import dialect_insert
from mubayiro.reports.ingest.schemas import LedgerFact
from mubayiro.reports.models import (
    BusinessCustomer,
    BusinessCustomerDay,
    BusinessDay,
    ReportTransaction,
    RowType,
)

_FACTS = ReportTransaction.__table__
_DAYS = BusinessDay.__table__
_CUSTOMERS = BusinessCustomer.__table__
_CUSTOMER_DAYS = BusinessCustomerDay.__table__


def _adding(table: FromClause, dialect: str, keys: list[str], counters: list[str],
            extra: dict[str, Any] | None = None) -> Any:
    """``INSERT … ON CONFLICT (keys) DO UPDATE SET c = c + excluded.c`` for ``counters``."""
    statement = dialect_insert(dialect, table)
    excluded = statement.excluded
    set_: dict[str, Any] = {
        name: table.c[name] + excluded[name] for name in counters
    }
    set_.update(extra or {})
    return statement.on_conflict_do_update(index_elements=keys, set_=set_)


#: The columns of ``business_day`` a fact adds to.
_DAY_COUNTERS = (
    "points_issued", "bonus_points", "points_redeemed", "earn_count", "bonus_count",
    "redemption_count", "points_reversed", "shortfall", "points_given_back", "points_expired",
    "points_imported", "reversal_count", "expire_count", "import_count",
)


@dataclass(frozen=True)
class _Statements:
    insert_fact: Any
    add_day: Any
    add_customer: Any
    add_customer_day: Any


@cache
def _statements(dialect: str) -> _Statements:
    customers = dialect_insert(dialect, _CUSTOMERS)
    excluded = customers.excluded
    # Events arrive in any order: keep the earliest and the latest moment seen.
    seen = {
        "first_seen_at": case(
            (excluded.first_seen_at < _CUSTOMERS.c.first_seen_at, excluded.first_seen_at),
            else_=_CUSTOMERS.c.first_seen_at,
        ),
        "last_seen_at": case(
            (excluded.last_seen_at > _CUSTOMERS.c.last_seen_at, excluded.last_seen_at),
            else_=_CUSTOMERS.c.last_seen_at,
        ),
    }
    counters = ["points_earned", "points_redeemed", "transaction_count"]
    return _Statements(
        insert_fact=dialect_insert(dialect, _FACTS)
        .on_conflict_do_nothing(index_elements=["transaction_id"])
        .returning(_FACTS.c.transaction_id),
        add_day=_adding(
            _DAYS, dialect, ["business_id", "day"],
            list(_DAY_COUNTERS),
        ),
        add_customer=_adding(
            _CUSTOMERS, dialect, ["business_id", "phone_number"], [*counters, "points_issued"],
            seen,
        ).returning(_CUSTOMERS.c.id),
        add_customer_day=_adding(
            _CUSTOMER_DAYS, dialect, ["business_id", "day", "customer_id"], counters
        ),
    )


class IngestRepository:
    """Writes ``report_transaction`` rows and the aggregate rows they add to."""

    def insert_fact(self, session: Session, fact: LedgerFact, *, source: str) -> bool:
        """Insert the fact unless its transaction id is already there; True if inserted."""
        connection = session.connection()
        statements = _statements(connection.dialect.name)
        inserted = connection.execute(statements.insert_fact, {
            "transaction_id": fact.transaction_id,
            "business_id": fact.business_id,
            "phone_number": fact.phone_number,
            "type": fact.type,
            "points": fact.points,
            "amount_spent": fact.amount_spent,
            "shortfall": fact.shortfall,
            "day": fact.day,
            "occurred_at": fact.occurred_at,
            "source": source,
            "recorded_at": utcnow(),
        }).scalar_one_or_none()
        return inserted is not None

    def get_fact(self, session: Session, transaction_id: int) -> ReportTransaction | None:
        """The stored fact for ``transaction_id``, if any."""
        return session.get(ReportTransaction, transaction_id)

    def add_to_aggregates(self, session: Session, fact: LedgerFact) -> None:
        """Add one (newly inserted) fact to the aggregate tables (an expiry only to
        ``business_day``: it is no activity of the customer's, see ``models``)."""
        connection = session.connection()
        statements = _statements(connection.dialect.name)
        day = fact.day
        kind = fact.type
        connection.execute(statements.add_day, {
            "business_id": fact.business_id,
            "day": day,
            "points_issued": fact.points_issued,
            "bonus_points": fact.points if kind == RowType.REFERRAL_BONUS else 0,
            "points_redeemed": fact.points_redeemed,
            "earn_count": int(kind == RowType.EARN),
            "bonus_count": int(kind == RowType.REFERRAL_BONUS),
            "redemption_count": int(kind == RowType.REDEEM),
            "points_reversed": fact.points_reversed,
            "shortfall": fact.shortfall or 0,
            "points_given_back": fact.points_given_back,
            "points_expired": fact.points_expired,
            "points_imported": fact.points_imported,
            "reversal_count": int(kind == RowType.REVERSAL),
            "expire_count": int(kind == RowType.EXPIRE),
            "import_count": int(kind == RowType.IMPORT),
        })
        if not fact.is_customer_activity:
            return
        earned = fact.customer_points_earned
        redeemed = fact.points_redeemed
        # The upsert answers the customer's row id whether it inserted or updated it.
        customer_id = connection.execute(statements.add_customer, {
            "business_id": fact.business_id,
            "phone_number": fact.phone_number,
            "points_earned": earned,
            "points_issued": fact.points_issued,
            "points_redeemed": redeemed,
            "transaction_count": 1,
            "first_seen_at": fact.occurred_at,
            "last_seen_at": fact.occurred_at,
        }).scalar_one()
        connection.execute(statements.add_customer_day, {
            "business_id": fact.business_id,
            "day": day,
            "customer_id": customer_id,
            "points_earned": earned,
            "points_redeemed": redeemed,
            "transaction_count": 1,
        })

    def count_facts(self, session: Session) -> int:
        """How many facts the read model holds (for the backfill's report)."""
        return int(session.scalar(select(func.count()).select_from(_FACTS)) or 0)


ingest_repository = IngestRepository()
