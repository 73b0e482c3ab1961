"""Errors of reversals (refunds)."""

from __future__ import annotations

from mubayiro.common.errors import Conflict, InvalidInput, NotFound


class TransactionNotFound(NotFound):
    """No such transaction at the caller's business (another business's is the same 404:
    a business never learns what another business's ledger holds)."""

    default_detail = "Transaction not found"


class NotReversible(Conflict):
    """Only an earn, a redemption or a referral bonus can be reversed (409)."""

    default_detail = "Only an earn, a redemption or a referral bonus can be reversed"


class AlreadyReversed(Conflict):
    """The transaction has been reversed in full already (409)."""

    default_detail = "This transaction has already been reversed in full"


class ReversalTooLarge(Conflict):
    """The refund's amount is more than what is left of the purchase (409)."""

    default_detail = "The refund is larger than what is left of the purchase"


class AmountNotApplicable(InvalidInput):
    """``amount`` was given for a redemption or a referral bonus: those are reversed
    whole (422)."""

    default_detail = "Only a purchase (an earn) can be refunded in part: leave amount out"
