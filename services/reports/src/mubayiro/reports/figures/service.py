"""The figures of one business: what each report route answers.

Everything is read from the aggregate tables (see ``figures.repository``); nothing here
writes. Two rules worth knowing:

- **Whole history means the all-time tables.** When the range covers every day the
  business has a transaction on (``from`` at or before its first day, ``to`` at or
  after its last, or either open), customer count and top customers are the same as
  all time, and the all-time tables give them from an index without grouping anything.
- **Otherwise the cheapest exact way** (``figures.repository``): a range that runs to
  the present counts its customers by when they were last seen; the top customers of a
  range with few customer transactions come from grouping its per-customer-day rows
  outright (the count with them), those of a larger one from a walk by points issued
  that stops as soon as no one else can make the top. Only what those cannot answer
  groups the range's rows.
- **The daily series is complete.** ``summary`` returns one entry per day from ``from``
  (or the first day with a transaction) to ``to`` (or the last one), zeros included, so
  a chart needs no gap filling. It is capped at :data:`MAX_DAILY_DAYS` days.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from mubayiro.reports.figures import repository as figures_repository_module
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


def _top(rows: list[tuple[str, int, int]]) -> list[TopCustomer]:
    return [
        TopCustomer(phone_number=phone, points_earned=int(points),
                    transaction_count=int(count))
        for phone, points, count in rows
    ]


def _check_span(start: date, end: date) -> None:
    days = (end - start).days + 1
    if days > MAX_DAILY_DAYS:
        raise DateRangeTooLong(
            f"The daily series would have {days} days; ask for at most {MAX_DAILY_DAYS}"
        )


_Top = list[tuple[str, int, int]]


def _triples(rows: list[Row[Any]]) -> _Top:
    """``(phone_number, points_earned, transaction_count)`` of each top-customer row."""
    return [(r.phone_number, r.points_earned, r.transaction_count) for r in rows]


class ReportService:
    """A business's figures (a module singleton: ``report_service``)."""

    def _customers(
        self, session: Session, business_id: int, days: DateRange, *, limit: int,
        count: bool = True, top: bool = True,
    ) -> tuple[int, _Top]:
        """Customer count and top ``limit`` customers of the range (each only if asked
        for: 0 and [] otherwise), each the cheapest exact way (see the module doc)."""
        repo = figures_repository
        first, last = (None, None) if days.is_open else repo.activity_bounds(
            session, business_id)
        if first is None or last is None or (
            (days.start is None or days.start <= first) and (days.end is None or days.end >= last)
        ):  # the whole history (or nothing anywhere: every answer is zero either way)
            rows = repo.top_customers_all_time(session, business_id, limit) if top else []
            return (repo.customer_count_all_time(session, business_id) if count else 0,
                    _triples(rows))
        best: _Top | None = []
        if top:
            small = repo.customer_transactions(session, business_id, days.start, days.end) \
                <= figures_repository_module.GROUP_AT_MOST  # then grouping is the cheapest
            best = None if small else repo.top_customers_by_walk(
                session, business_id, days.start, days.end, limit)
        if best is None:  # small, or the walk gave up: group the range once, for both
            grouped_count, rows = repo.customers_in_range(
                session, business_id, days.start, days.end, limit)
            return (grouped_count if count else 0), _triples(rows)
        if not count:
            return 0, best
        if days.start is not None and (days.end is None or days.end >= last):  # to the present
            return repo.customer_count_since(session, business_id, days.start), best
        return repo.customer_count_in_range(session, business_id, days.start, days.end), best

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
        count, _ = self._customers(session, business_id, days, limit=0, top=False)
        return CustomerCountReport(
            business_id=business_id, from_=days.start, to=days.end, customer_count=count
        )

    def top_customers(
        self, session: Session, business_id: int, days: DateRange, *, limit: int
    ) -> TopCustomersReport:
        """The ``limit`` customers who earned most at the business in the range."""
        _, top = self._customers(session, business_id, days, limit=limit, count=False)
        return TopCustomersReport(
            business_id=business_id, from_=days.start, to=days.end, limit=limit,
            top_customers=_top(top),
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
        count, top = self._customers(session, business_id, days, limit=limit)

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
