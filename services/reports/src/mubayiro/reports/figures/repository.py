"""SQL that reads the figures from the aggregate tables (never from the fact table).

Which table answers what, and what each query costs for one business:

- totals and the daily series: ``business_day``, one row per day with activity
  (a primary-key range scan; two years are ~730 rows whatever the volume);
- all-time customer count: the business's rows of ``business_customer`` (one per
  customer, read from the primary key);
- all-time top customers: the first ``limit`` entries of ``ix_business_customer_top``
  (``business_id, points_earned DESC, phone_number``), no sort;
- customer count for a range that runs to the present (its end on or after the last
  day with activity: "the last 365 days"): the customers last seen on or after its first
  day, counted in ``ix_business_customer_last_seen``;
- top customers for a date range: a walk of the business's customers by points issued,
  most first, summing each one's days of the range, until no customer left can make the
  top (:meth:`FiguresRepository.top_customers_by_walk`);
- otherwise (the top customers of a range of at most :data:`GROUP_AT_MOST` customer
  transactions, a customer count of a range in the middle of the history, or a walk
  that would visit too many customers): ``business_customer_day`` rows of the range
  (one per customer and active day), grouped by customer. That cost grows with the
  range: a year of the benchmark's business is ~480,000 rows, about 300 ms.

The service uses the all-time tables whenever the range covers the whole history.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
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


#: The walk's first page of customers; each next page is twice as long, up to
#: ``_WALK_MOST_PAGE``. Module values so that tests can make them small.
_WALK_FIRST_PAGE = 64
_WALK_MOST_PAGE = 1024
#: Most customers the walk visits before it gives up for the grouping (a range where
#: many customers earned about as much as the best: an even spread, or an old range).
_WALK_MOST_CUSTOMERS = 4096
#: The top customers of a range with at most this many customer transactions come from
#: grouping it outright: its ``business_customer_day`` rows are fewer still, and
#: grouping 20,000 rows costs about 10 ms, less than a walk that has to go deep (a short
#: range of a small business, where every customer's all-time figure dwarfs the range's).
GROUP_AT_MOST = 20_000


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

    def customer_transactions(
        self, session: Session, business_id: int, start: date | None, end: date | None
    ) -> int:
        """How many of the business's transactions in the range were a customer's (every
        kind but ``expire``), from ``business_day``: a bound on the range's
        ``business_customer_day`` rows."""
        d = BusinessDay
        query = select(func.coalesce(func.sum(
            d.earn_count + d.bonus_count + d.redemption_count + d.reversal_count
            + d.import_count), 0)).where(d.business_id == business_id)
        return int(session.scalar(_days(query, d.day, start, end)) or 0)

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

    def customer_count_since(self, session: Session, business_id: int, start: date) -> int:
        """How many customers had a transaction at the business on ``start`` or later
        (an index range count: their last transaction is at or after its midnight)."""
        since = datetime.combine(start, time(0), tzinfo=UTC)
        query = select(func.count()).where(
            BusinessCustomer.business_id == business_id,
            BusinessCustomer.last_seen_at >= since,
        )
        return int(session.scalar(query) or 0)

    def top_customers_by_walk(
        self, session: Session, business_id: int, start: date | None, end: date | None,
        limit: int,
    ) -> list[tuple[str, int, int]] | None:
        """The top ``limit`` customers of the range as ``(phone_number, points_earned,
        transaction_count)``, without grouping the whole range; None when the walk gives
        up (the caller groups instead).

        How. A customer's points earned in any range (net of refunds) are at most their
        ``points_issued`` (all time, refunds not taken off). The walk reads customers by
        ``points_issued``, most first, a page at a time, and sums each one's
        ``business_customer_day`` rows of the range (an index seek per customer). Once
        it holds ``limit`` customers active in the range, a customer whose
        ``points_issued`` is below the ``limit``-th best range figure cannot make the
        top, and neither can anyone after them: the walk stops there. Ties at the cut
        are ordered by phone number as the grouping orders them, so a customer whose
        bound *equals* that figure is still read. Customers without a transaction in
        the range are not in the answer. On the benchmark's skewed data a year's top 5
        is settled within the first page.
        """
        best: list[tuple[str, int, int]] = []  # ordered: most points first, then phone
        # On PostgreSQL each page is its own statement (read committed): a customer whose
        # figures change during the walk can show up on two pages; they count once.
        summed: set[int] = set()
        offset, page_size = 0, _WALK_FIRST_PAGE
        while offset < _WALK_MOST_CUSTOMERS:
            page = session.execute(
                select(BusinessCustomer.id, BusinessCustomer.phone_number,
                       BusinessCustomer.points_issued)
                .where(BusinessCustomer.business_id == business_id)
                .order_by(BusinessCustomer.points_issued.desc(), BusinessCustomer.id)
                .offset(offset).limit(page_size)
            ).all()
            cut = best[limit - 1][1] if len(best) >= limit else None
            candidates = [row for row in page if cut is None or row.points_issued >= cut]
            phones = {row.id: row.phone_number for row in candidates if row.id not in summed}
            summed.update(phones)
            if phones:
                day = BusinessCustomerDay
                sums = session.execute(_days(
                    select(day.customer_id, func.sum(day.points_earned),
                           func.sum(day.transaction_count))
                    .where(day.business_id == business_id,
                           day.customer_id.in_(list(phones))),
                    day.day, start, end,
                ).group_by(day.customer_id)).all()
                best.extend((phones[cid], int(points), int(count))
                            for cid, points, count in sums)
                best.sort(key=lambda entry: (-entry[1], entry[0]))
                del best[limit:]
            if len(candidates) < len(page) or len(page) < page_size:
                return best  # someone could not make the top, or no one is left
            offset += page_size
            page_size = min(page_size * 2, _WALK_MOST_PAGE)
        return None

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

    def customers_in_range(
        self, session: Session, business_id: int, start: date | None, end: date | None,
        limit: int,
    ) -> tuple[int, list[Row[Any]]]:
        """Customer count and top ``limit`` customers of the range, grouping it once."""
        query = self._top_in_range(business_id, start, end, limit, with_count=True)
        rows = list(session.execute(query))
        return (int(rows[0].customer_count) if rows else 0), rows


figures_repository = FiguresRepository()
