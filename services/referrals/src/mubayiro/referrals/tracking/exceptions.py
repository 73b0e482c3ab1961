"""Errors of the referral rules (shared by tracking, completing and inviting)."""

from __future__ import annotations

from mubayiro.common.errors import Conflict, InvalidInput, NotFound


class SelfReferral(InvalidInput):
    """Nobody can refer (or invite) themselves."""

    default_detail = "A customer cannot refer themselves"


class AlreadyReferred(Conflict):
    """The phone already has a referrer (one per new customer, across all businesses)."""

    default_detail = "This phone number has already been referred"


class ReferrerNotACustomer(InvalidInput):
    """The referrer has never earned points at any business."""

    default_detail = "The referrer is not a customer of any business yet"


class ReferralCodeMismatch(InvalidInput):
    """The referral code given belongs to another customer than the referrer given."""

    default_detail = "The referral code belongs to another customer than the referrer given"


class ReferralNotFound(NotFound):
    """No referral of the caller's business matches (another business's is not shown)."""

    default_detail = "Referral not found"


class ReferralAlreadyCompleted(Conflict):
    """The referral's bonus has been paid already."""

    default_detail = "This referral has already been completed"


class PointsAboveMaximum(InvalidInput):
    """The bonus asked for is larger than the configured maximum."""

    default_detail = "Too many points for one referral"
