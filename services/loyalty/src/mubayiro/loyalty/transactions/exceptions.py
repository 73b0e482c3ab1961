"""Errors of the ledger."""

from __future__ import annotations

from mubayiro.common.errors import Conflict, InvalidInput


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
