"""Errors of the codes module: subclasses of the shared errors it raises."""

from __future__ import annotations

from mubayiro.common.errors import InvalidInput


class UnknownReferralCode(InvalidInput):
    """The referral code is not known at this business: no customer of the business has
    it and it is not the code of an invitation to the new customer. A code of someone
    the business does not know gets the same answer as a code nobody has."""

    default_detail = "This referral code is not known at your business"
