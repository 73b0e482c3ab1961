"""Errors of the codes module: subclasses of the shared errors it raises."""

from __future__ import annotations

from mubayiro.common.errors import InvalidInput


class UnknownReferralCode(InvalidInput):
    """No customer has this referral code."""

    default_detail = "No customer has this referral code"
