"""The figures of one business: what each report route answers.

Everything is read from the aggregate tables (see ``figures.repository``); nothing here
writes. Two rules worth knowing:

- **Whole history means the all-time tables.** Customer count and top customers for a
  date range group the range's per-customer-day rows; when the range covers every day
  the business has a transaction on (``from`` at or before its first day, ``to`` at or
  after its last, or either open), the answer is the same as all time, and the
  all-time tables give it from an index without grouping anything.
- **The daily series is complete.** ``summary`` returns one entry per day from ``from``
  (or the first day with a transaction) to ``to`` (or the last one), zeros included, so
  a chart needs no gap filling. It is capped at :data:`MAX_DAILY_DAYS` days.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from mubayiro.reports.figures.dependencies import DateRange
from mubayiro.reports.figures.exceptions import DateRangeTooLong
from mubayiro.reports.figures.repository import figures_repository
from mubayiro.reports.figures.schemas import (
    CustomerCountReport,
    DailyPoints,
    PointsIssuedReport,
    Redemptions,
    RedemptionsReport,
    Reversals,
    SummaryReport,
    TopCustomer,
    TopCustomersReport,
)

#: The figures of each day of the series (``DailyPoints`` beside its date).
_DAILY = ("points_issued", "points_redeemed", "points_reversed", "points_given_back",
          "points_expired", "points_imported")
#: The longest daily series the summary draws (about ten years).
MAX_DAILY_DAYS = 3660


def _top(rows: list[Row[Any]]) -> list[TopCustomer]:
    return [
        TopCustomer(
            phone_number=row.phone_number,
            points_earned=int(row.points_earned),
            transaction_count=int(row.transaction_count),
        )
        for row in rows
    ]


def _check_span(start: date, end: date) -> None:
    days = (end - start).days + 1
    if days > MAX_DAILY_DAYS:
        raise DateRangeTooLong(
            f"The daily series would have {days} days; ask for at most {MAX_DAILY_DAYS}"
        )


class ReportService:
    """A business's figures (a module singleton: ``report_service``)."""

    def _covers_history(self, session: Session, business_id: int, days: DateRange) -> bool:
        if days.is_open:
            return True
        first, last = figures_repository.activity_bounds(session, business_id)
        if first is None or last is None:
            return True  # nothing anywhere: every answer is zero either way
        return (days.start is None or days.start <= first) and (
            days.end is None or days.end >= last
        )

    def points_issued(
        self, session: Session, business_id: int, days: DateRange
    ) -> PointsIssuedReport:
        """Points issued (earned + referral bonuses) in the range."""
        totals = figures_repository.day_totals(session, business_id, days.start, days.end)
        issued, bonus = int(totals.points_issued), int(totals.bonus_points)
        return PointsIssuedReport(
            business_id=business_id, from_=days.start, to=days.end,
            total_points_issued=issued, earned_points=issued - bonus,
            referral_bonus_points=bonus,
        )

    def redemptions(
        self, session: Session, business_id: int, days: DateRange
    ) -> RedemptionsReport:
        """How many redemptions in the range, and the points they took."""
        totals = figures_repository.day_totals(session, business_id, days.start, days.end)
        return RedemptionsReport(
            business_id=business_id, from_=days.start, to=days.end,
            count=int(totals.redemption_count), points=int(totals.points_redeemed),
        )

    def customer_count(
        self, session: Session, business_id: int, days: DateRange
    ) -> CustomerCountReport:
        """Distinct customers with a transaction at the business in the range."""
        if self._covers_history(session, business_id, days):
            count = figures_repository.customer_count_all_time(session, business_id)
        else:
            count = figures_repository.customer_count_in_range(
                session, business_id, days.start, days.end
            )
        return CustomerCountReport(
            business_id=business_id, from_=days.start, to=days.end, customer_count=count
        )

    def top_customers(
        self, session: Session, business_id: int, days: DateRange, *, limit: int
    ) -> TopCustomersReport:
        """The ``limit`` customers who earned most at the business in the range."""
        if self._covers_history(session, business_id, days):
            rows = figures_repository.top_customers_all_time(session, business_id, limit)
        else:
            rows = figures_repository.top_customers_in_range(
                session, business_id, days.start, days.end, limit
            )
        return TopCustomersReport(
            business_id=business_id, from_=days.start, to=days.end, limit=limit,
            top_customers=_top(rows),
        )

    def summary(
        self, session: Session, business_id: int, days: DateRange, *, limit: int
    ) -> SummaryReport:
        """Every figure of the range, plus the zero-filled daily series.

        Raises:
            DateRangeTooLong: the daily series would exceed :data:`MAX_DAILY_DAYS` days.
        """
        if days.start is not None and days.end is not None:
            _check_span(days.start, days.end)
        day_rows = figures_repository.day_rows(session, business_id, days.start, days.end)
        if self._covers_history(session, business_id, days):
            count = figures_repository.customer_count_all_time(session, business_id)
            top = figures_repository.top_customers_all_time(session, business_id, limit)
        else:
            count, top = figures_repository.customers_in_range(
                session, business_id, days.start, days.end, limit
            )

        def total(column: str) -> int:
            return sum(int(getattr(row, column)) for row in day_rows)

        issued, redeemed = total("points_issued"), total("points_redeemed")
        reversals = Reversals(
            count=total("reversal_count"), points_reversed=total("points_reversed"),
            shortfall=total("shortfall"), points_given_back=total("points_given_back"),
        )
        expired, imported = total("points_expired"), total("points_imported")
        return SummaryReport(
            business_id=business_id,
            from_=days.start,
            to=days.end,
            total_points_issued=issued,
            total_redemptions=Redemptions(count=total("redemption_count"), points=redeemed),
            total_reversals=reversals,
            total_points_expired=expired,
            total_points_imported=imported,
            net_points=issued + imported + reversals.points_given_back - redeemed
            - reversals.points_reversed - expired,
            customer_count=count,
            top_customers=_top(top),
            daily=self._daily(day_rows, days),
        )

    def _daily(self, day_rows: list[Row[Any]], days: DateRange) -> list[DailyPoints]:
        start = days.start or (day_rows[0].day if day_rows else None)
        end = days.end or (day_rows[-1].day if day_rows else None)
        if start is None or end is None or start > end:
            return []
        _check_span(start, end)
        by_day = {row.day: row for row in day_rows}
        series: list[DailyPoints] = []
        day = start
        while day <= end:
            row = by_day.get(day)
            series.append(DailyPoints(
                date=day, **{name: int(getattr(row, name)) if row else 0 for name in _DAILY},
            ))
            day += timedelta(days=1)
        return series


report_service = ReportService()
