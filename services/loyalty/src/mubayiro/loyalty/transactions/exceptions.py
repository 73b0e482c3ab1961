"""Errors of the ledger."""

from __future__ import annotations

from mubayiro.common.errors import (
    Conflict,
    InvalidInput,
    TooManyRequests,
)


class InsufficientPoints(Conflict):
    """The customer's balance does not cover the redemption (nothing was changed)."""

    default_detail = "The customer does not have enough points"


class HistoryAfterLiveTransactions(Conflict):
    """An imported purchase would land before transactions already in the ledger.

    Every ledger list is ordered by id, so history must come in oldest first and
    before any later transaction of the same customer or business.
    """

    default_detail = "There are already later transactions: import history oldest first"


class TooManyPointsEarned(InvalidInput):
    """A purchase would earn more points than one transaction may carry (``MAX_POINTS``).

    Refused (422) before anything is written, so no event is ever emitted that the
    subscribers (who validate with the same bound) would refuse.
    """

    default_detail = "This purchase would earn more points than one transaction may carry"


class AmountTooLarge(InvalidInput):
    """``amount_spent`` is above this deployment's ``max_amount_spent`` (422)."""

    default_detail = "amount_spent is larger than one purchase may record"


class AwardLimitExceeded(InvalidInput):
    """One award would give more points than the business's per-transaction limit (422).

    The limit is the operator's for that business (``python -m mubayiro.loyalty
    limits``), else ``award_limit_per_transaction``. Nothing is written.
    """

    default_detail = "This award is above your business's limit per transaction"


class DailyAwardLimitReached(TooManyRequests):
    """The award would take the business's points awarded today (UTC) above its daily
    limit (429, ``Retry-After``: the next UTC midnight). Nothing is written."""

    default_detail = "Your business has reached its limit of points awarded today"

