"""Errors of the businesses module."""

from __future__ import annotations

from mubayiro.common.errors import Forbidden, InvalidInput, NotFound


class BusinessNotFound(NotFound):
    """No loyalty program (and no auth business) with that id."""

    default_detail = "Business not found"


class InvalidLoyaltyRate(InvalidInput):
    """The loyalty rate is outside the accepted range."""

    default_detail = "Invalid loyalty rate"


class BusinessNotActive(Forbidden):
    """The business is pending approval or suspended: it may configure its program but
    not award, redeem, ask for redemption codes or pay referral bonuses (403)."""

    default_detail = (
        "Your business is not active yet (pending approval) or is suspended: it cannot "
        "award or redeem points until the platform's operator activates it"
    )
