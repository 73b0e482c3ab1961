"""Errors of the referral rules (shared by tracking, completing and inviting)."""

from __future__ import annotations

from mubayiro.common.errors import Conflict, InvalidInput, NotFound


class SelfReferral(InvalidInput):
    """Nobody can refer (or invite) themselves."""

    default_detail = "A customer cannot refer themselves"


class AlreadyReferred(Conflict):
    """The phone already has a referral at this business (one per business and phone), or,
    for an invitation, has a referrer already."""

    default_detail = "Your business has already recorded a referral of this phone number"


class ReferrerNotACustomer(InvalidInput):
    """The referrer is not a customer of this business (no purchase here, no code given
    here): whether they are a customer elsewhere is not this business's to know."""

    default_detail = (
        "The referrer is not a customer of your business: a referrer must have bought "
        "here before"
    )


class ReferralCodeMismatch(InvalidInput):
    """The referral code given belongs to another customer than the referrer given."""

    default_detail = "The referral code belongs to another customer than the referrer given"


class ReferralNotFound(NotFound):
    """No referral of the caller's business matches (another business's is not shown)."""

    default_detail = "Referral not found"


class ReferralAlreadyCompleted(Conflict):
    """The referral's bonus has been paid already."""

    default_detail = "This referral has already been completed"


class NoPurchaseYet(Conflict):
    """The referred friend has not bought anything at this business yet."""

    default_detail = (
        "The referred customer has not bought anything at your business yet: the "
        "referral can be completed after their first purchase here"
    )


class PointsAboveMaximum(InvalidInput):
    """The bonus asked for is larger than the configured maximum."""

    default_detail = "Too many points for one referral"
