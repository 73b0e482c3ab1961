"""Dependencies of the report routes: whose figures, and over which days.

- :func:`reported_business_id` — always the caller's own business. A ``business_id``
  query parameter is accepted for clients that like to name it, and must then be the
  caller's (403 otherwise, docs/api.md); there is no way to ask for another's figures.
- :func:`date_range` — the optional ``from``/``to`` query parameters: inclusive UTC days
  written ``YYYY-MM-DD`` (422 for anything else, and when ``from`` is after ``to``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BeforeValidator

from mubayiro.common.security import CurrentOwner, ensure_business
from mubayiro.reports.figures.exceptions import InvalidDateRange

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: Any) -> date:
    # Only the one spelling: pydantic alone would also read "1700000000" as a date.
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value} is not a calendar date") from exc


#: A calendar day written ``YYYY-MM-DD`` (a UTC day in every report).
IsoDay = Annotated[date, BeforeValidator(_iso_day)]


@dataclass(frozen=True)
class DateRange:
    """Inclusive UTC days; a missing bound is open (from the first / to the last day)."""

    start: date | None = None
    end: date | None = None

    @property
    def is_open(self) -> bool:
        """True when neither bound is given (all time)."""
        return self.start is None and self.end is None


def date_range(
    from_: Annotated[
        IsoDay | None,
        Query(alias="from", description="First day included (UTC), YYYY-MM-DD"),
    ] = None,
    to: Annotated[
        IsoDay | None, Query(description="Last day included (UTC), YYYY-MM-DD")
    ] = None,
) -> DateRange:
    """The report's days (422 when ``from`` is after ``to``).

    Raises:
        InvalidDateRange: ``from`` is after ``to``.
    """
    if from_ is not None and to is not None and from_ > to:
        raise InvalidDateRange(f"from ({from_}) must not be after to ({to})")
    return DateRange(from_, to)


def reported_business_id(
    caller: CurrentOwner,
    business_id: Annotated[
        int | None,
        Query(ge=1, description="Optional: your own business id (any other is refused)"),
    ] = None,
) -> int:
    """The calling business's id, for one of its owners (reports are owner-only: a
    cashier's token is 403 ``OwnerOnly``); a ``business_id`` that is not the caller's is
    403.

    Raises:
        OwnerOnly: the caller is a cashier.
        Forbidden: ``business_id`` names another business.
    """
    if business_id is not None:
        ensure_business(caller, business_id)
    assert caller.business_id is not None  # a business token always carries it
    return caller.business_id


ReportedBusinessId = Annotated[int, Depends(reported_business_id)]
ReportDateRange = Annotated[DateRange, Depends(date_range)]
TopLimit = Annotated[int, Query(ge=1, le=50, description="How many customers (1 to 50)")]
