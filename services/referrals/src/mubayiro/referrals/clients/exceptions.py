"""Errors of the clients module: subclasses of the shared errors it raises."""

from __future__ import annotations

from mubayiro.common.errors import Conflict, Forbidden, InvalidInput, TooManyRequests


class ReferralBonusMismatch(Conflict):
    """Loyalty already paid this referral's bonus, with another number of points."""

    default_detail = (
        "Loyalty has already recorded this referral's bonus with a different number of "
        "points, and pays it only once: complete the referral again with the number of "
        "points first sent"
    )


class ReferralBonusInProgress(Conflict):
    """Loyalty is still recording this referral's bonus for another request."""

    default_detail = "This referral's bonus is being paid by another request; retry shortly"


class LoyaltyProgramNotFound(Conflict):
    """Loyalty has no program for the business (it never reached loyalty)."""

    default_detail = "Loyalty has no loyalty program for this business yet"


class BusinessNotActive(Forbidden):
    """Loyalty refused the bonus: the business is pending approval or suspended (403)."""

    default_detail = (
        "Your business is not active yet (pending approval) or is suspended: it cannot "
        "pay referral bonuses until the platform's operator activates it"
    )


class AwardLimitExceeded(InvalidInput):
    """The bonus is above the business's award limit per transaction (422)."""

    default_detail = "This bonus is above your business's award limit per transaction"


class DailyAwardLimitReached(TooManyRequests):
    """The bonus would take the business above its daily award limit (429)."""

    default_detail = "Your business has reached its limit of points awarded today"
