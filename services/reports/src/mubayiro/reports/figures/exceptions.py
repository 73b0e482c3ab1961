"""Errors of the report routes."""

from __future__ import annotations

from mubayiro.common.errors import InvalidInput


class InvalidDateRange(InvalidInput):
    """``from`` is after ``to``."""

    default_detail = "from must not be after to"


class DateRangeTooLong(InvalidInput):
    """A daily series longer than the summary draws."""

    default_detail = "The date range is too long for a daily series"
