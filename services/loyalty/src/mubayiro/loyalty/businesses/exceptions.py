"""Errors of the businesses module."""

from __future__ import annotations

from mubayiro.common.errors import InvalidInput, NotFound


class BusinessNotFound(NotFound):
    """No loyalty program (and no auth business) with that id."""

    default_detail = "Business not found"


class InvalidLoyaltyRate(InvalidInput):
    """The loyalty rate is outside the accepted range."""

    default_detail = "Invalid loyalty rate"
