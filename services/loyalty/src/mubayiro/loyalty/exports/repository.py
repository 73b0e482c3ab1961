"""SQL of the exports: one statement per file, read through a server-side cursor.

Both statements are streamed: ``stream_results`` asks the driver for a server-side
cursor (PostgreSQL's named cursor; SQLite's cursor is lazy anyway) and ``yield_per``
hands the rows over in fixed pages, so memory stays flat however many rows the
business has. One statement in one read transaction: the file is one consistent
snapshot of the ledger, not pages read at different moments.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import Session

from mubayiro.loyalty.models import Customer, PointTransaction

#: Rows fetched from the database per page.
PAGE_ROWS = 5000

_points = PointTransaction.points


def _sum_if(condition: Any, value: Any = _points) -> Any:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


class ExportRepository:
    """Reads a business's customers and transactions for the CSV files."""

    def customers(self, session: Session, business_id: int) -> Iterator[Sequence[Row[Any]]]:
        """Pages of ``(phone_number, earned, redeemed, reversed, expired, imported,
        balance, first_visit, last_visit)``, one row per customer of the business."""
        kind = PointTransaction.type
        query = (
            select(
                Customer.phone_number,
                _sum_if(kind.in_(("earn", "referral_bonus"))),
                _sum_if(kind == "redeem", -_points),
                _sum_if(kind == "reversal"),
                _sum_if(kind == "expire", -_points),
                _sum_if(kind == "import"),
                Customer.total_points,
                func.min(PointTransaction.created_at),
                func.max(PointTransaction.created_at),
            )
            .join(Customer, Customer.id == PointTransaction.customer_id)
            .where(PointTransaction.business_id == business_id)
            .group_by(Customer.id, Customer.phone_number, Customer.total_points)
            .order_by(Customer.id)
        )
        return self._pages(session, query)

    def transactions(self, session: Session, business_id: int) -> Iterator[Sequence[Row[Any]]]:
        """Pages of every ledger row at the business, oldest first, with the phone."""
        query = (
            select(
                PointTransaction.id,
                PointTransaction.created_at,
                PointTransaction.type,
                Customer.phone_number,
                PointTransaction.amount_spent,
                PointTransaction.points,
                PointTransaction.reward_description,
                PointTransaction.reward_id,
                PointTransaction.reversed_transaction_id,
                PointTransaction.shortfall,
                PointTransaction.staff_id,
            )
            .join(Customer, Customer.id == PointTransaction.customer_id)
            .where(PointTransaction.business_id == business_id)
            .order_by(PointTransaction.id)
        )
        return self._pages(session, query)

    def _pages(self, session: Session, query: Any) -> Iterator[Sequence[Row[Any]]]:
        result = session.execute(
            query.execution_options(stream_results=True, yield_per=PAGE_ROWS))
        yield from result.partitions()


export_repository = ExportRepository()
