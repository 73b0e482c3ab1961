"""SQL that reads the figures from the aggregate tables (never from the fact table).

Which table answers what, and what each query costs for one business:

- totals and the daily series: ``business_day``, one row per day with activity
  (a primary-key range scan; two years are ~730 rows whatever the volume);
- all-time customer count: the business's rows of ``business_customer`` (one per
  customer, read from the primary key);
- all-time top customers: the first ``limit`` entries of ``ix_business_customer_top``
  (``business_id, points_earned DESC, phone_number``), no sort;
- customer count and top customers for a date range: ``business_customer_day`` rows of
  the range (one per customer and active day), grouped by customer. The cost grows with
  the range, not with the business's history. The service uses the all-time tables
  whenever the range covers the whole history.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVarTuple

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from mubayiro.reports.models import BusinessCustomer, BusinessCustomerDay, BusinessDay

_Columns = TypeVarTuple("_Columns")


def _days(
    query: Select[*_Columns], column: Any, start: date | None, end: date | None
) -> Select[*_Columns]:
    """``query`` narrowed to the days of ``column`` from ``start`` to ``end`` (inclusive)."""
    if start is not None:
        query = query.where(column >= start)
    if end is not None:
        query = query.where(column <= end)
    return query


class FiguresRepository:
    """Reads ``business_day``, ``business_customer`` and ``business_customer_day``."""

    def day_rows(
        self, session: Session, business_id: int, start: date | None, end: date | None
    ) -> list[Row[Any]]:
        """The business's ``business_day`` rows in the range, oldest first."""
        query = select(
            BusinessDay.day,
            BusinessDay.points_issued,
            BusinessDay.bonus_points,
            BusinessDay.points_redeemed,
            BusinessDay.redemption_count,
            BusinessDay.points_reversed,
            BusinessDay.shortfall,
            BusinessDay.points_given_back,
            BusinessDay.points_expired,
            BusinessDay.points_imported,
            BusinessDay.reversal_count,
        ).where(BusinessDay.business_id == business_id)
        query = _days(query, BusinessDay.day, start, end).order_by(BusinessDay.day)
        return list(session.execute(query))

    def day_totals(
        self, session: Session, business_id: int, start: date | None, end: date | None
    ) -> Row[int, int, int, int]:
        """Sums over the range: ``points_issued, bonus_points, points_redeemed,
        redemption_count`` (zeros when there is nothing)."""
        query = select(
            func.coalesce(func.sum(BusinessDay.points_issued), 0).label("points_issued"),
            func.coalesce(func.sum(BusinessDay.bonus_points), 0).label("bonus_points"),
            func.coalesce(func.sum(BusinessDay.points_redeemed), 0).label("points_redeemed"),
            func.coalesce(func.sum(BusinessDay.redemption_count), 0).label("redemption_count"),
        ).where(BusinessDay.business_id == business_id)
        return session.execute(_days(query, BusinessDay.day, start, end)).one()

    def activity_bounds(
        self, session: Session, business_id: int
    ) -> tuple[date | None, date | None]:
        """The first and last day with a transaction (None, None without any)."""
        # Two scalar subqueries: each MIN/MAX alone is one primary-key seek on SQLite.
        first = (
            select(func.min(BusinessDay.day))
            .where(BusinessDay.business_id == business_id)
            .scalar_subquery()
        )
        last = (
            select(func.max(BusinessDay.day))
            .where(BusinessDay.business_id == business_id)
            .scalar_subquery()
        )
        row = session.execute(select(first, last)).one()
        return row[0], row[1]

    def customer_count_all_time(self, session: Session, business_id: int) -> int:
        """How many customers ever had a transaction at the business."""
        query = select(func.count()).where(BusinessCustomer.business_id == business_id)
        return int(session.scalar(query) or 0)

    def customer_count_in_range(
        self, session: Session, business_id: int, start: date | None, end: date | None
    ) -> int:
        """How many distinct customers had a transaction at the business in the range."""
        query = select(func.count(func.distinct(BusinessCustomerDay.customer_id))).where(
            BusinessCustomerDay.business_id == business_id
        )
        return int(session.scalar(_days(query, BusinessCustomerDay.day, start, end)) or 0)

    def top_customers_all_time(
        self, session: Session, business_id: int, limit: int
    ) -> list[Row[Any]]:
        """``phone_number, points_earned, transaction_count`` of the top ``limit`` customers."""
        query = (
            select(
                BusinessCustomer.phone_number,
                BusinessCustomer.points_earned,
                BusinessCustomer.transaction_count,
            )
            .where(BusinessCustomer.business_id == business_id)
            .order_by(BusinessCustomer.points_earned.desc(), BusinessCustomer.phone_number)
            .limit(limit)
        )
        return list(session.execute(query))

    def _top_in_range(
        self, business_id: int, start: date | None, end: date | None, limit: int,
        *, with_count: bool,
    ) -> Select[Any]:
        """The range's customers grouped once, then the top ``limit`` with their phones.

        How: ``grouped`` (materialised once) sums each customer's day rows of the range.
        The ``limit``-th best sum is the threshold; only customers at or above it (the
        top ones plus any tied with the last) are joined to ``business_customer`` for
        their phone numbers, which order ties. Joining every grouped customer before
        sorting would cost as much as the grouping itself.
        """
        day = BusinessCustomerDay
        grouped_query = select(
            day.customer_id,
            func.sum(day.points_earned).label("points_earned"),
            func.sum(day.transaction_count).label("transaction_count"),
        ).where(day.business_id == business_id)
        grouped = (
            _days(grouped_query, day.day, start, end)
            .group_by(day.customer_id)
            .cte("grouped")
            .prefix_with("MATERIALIZED")
        )
        best = (
            select(grouped.c.points_earned)
            .order_by(grouped.c.points_earned.desc())
            .limit(limit)
            .subquery("best")
        )
        threshold = select(func.min(best.c.points_earned)).scalar_subquery()
        columns: list[Any] = [
            BusinessCustomer.phone_number,
            grouped.c.points_earned,
            grouped.c.transaction_count,
        ]
        if with_count:
            count = select(func.count()).select_from(grouped).scalar_subquery()
            columns.append(count.label("customer_count"))
        return (
            select(*columns)
            .join(BusinessCustomer, BusinessCustomer.id == grouped.c.customer_id)
            .where(grouped.c.points_earned >= threshold)
            .order_by(grouped.c.points_earned.desc(), BusinessCustomer.phone_number)
            .limit(limit)
        )

    def top_customers_in_range(
        self, session: Session, business_id: int, start: date | None, end: date | None,
        limit: int,
    ) -> list[Row[Any]]:
        """The top ``limit`` customers by points earned in the range."""
        query = self._top_in_range(business_id, start, end, limit, with_count=False)
        return list(session.execute(query))

    def customers_in_range(
        self, session: Session, business_id: int, start: date | None, end: date | None,
        limit: int,
    ) -> tuple[int, list[Row[Any]]]:
        """Customer count and top ``limit`` customers of the range, grouping it once."""
        query = self._top_in_range(business_id, start, end, limit, with_count=True)
        rows = list(session.execute(query))
        return (int(rows[0].customer_count) if rows else 0), rows


figures_repository = FiguresRepository()
