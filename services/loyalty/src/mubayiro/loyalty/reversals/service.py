"""Rules of refunds: a reversal takes an earn's points back or gives a redemption's back.

The original row is never edited: a reversal is a new ``reversal`` row linked to it
(``reversed_transaction_id``), written with the balance change and its
``points.reversed`` event in the request's one write transaction, like every ledger
change (``transactions.service``).

What a reversal moves:

- an **earn** (a purchase refunded, in whole or in part with ``amount``): the points
  all refunds of that purchase take back together are ``floor(amount refunded so far ×
  the rate the earn used)``, so this refund takes that minus what earlier refunds took.
  Counting the total rather than each refund on its own means two refunds of 5.50 at
  rate 1 take 11 points, as one refund of 11.00 would, and refunding the whole purchase
  always takes exactly what it earned. Earns from before the rate was kept on the row
  use their own ``points / amount_spent``;
- a **referral bonus**: its points, taken back whole (only by the business that paid
  it: a business reverses only its own rows);
- a **redemption**: its points, given back whole.

Never more than the original: the refunded money of one purchase stays within its
``amount_spent`` (409 ``ReversalTooLarge``), and a row reversed in full is 409
``AlreadyReversed``. The check and the write cannot be split by a concurrent reversal:
the original row is read ``FOR UPDATE`` first (PostgreSQL queues the others on it; on
SQLite the write transaction holds the database's write lock), and the earlier
reversals are summed after that.

The points a refund takes back come from the earn's own lot first (then as any
spending: earliest expiry first); points a redemption's reversal gives back open a new
lot, expiring as an earn at that business now would (``lots.service``).

The balance never goes below 0: when the customer already spent the points, the
reversal takes what is there (the balance is read under its row lock, then reduced by
at most that much in the same transaction) and records the rest as ``shortfall``. The
shortfall counts as reversed: the original cannot be reversed again for it.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.events import EventPublisher
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.customers.repository import customer_repository
from mubayiro.loyalty.lots.service import lot_service
from mubayiro.loyalty.models import PointTransaction
from mubayiro.loyalty.reversals.exceptions import (
    AlreadyReversed,
    AmountNotApplicable,
    NotReversible,
    ReversalTooLarge,
    TransactionNotFound,
)
from mubayiro.loyalty.reversals.repository import reversal_repository
from mubayiro.loyalty.reversals.schemas import ReversalRequest, ReversalResult, ReversedSoFar
from mubayiro.loyalty.transactions.earning import points_for
from mubayiro.loyalty.transactions.repository import transaction_repository
from mubayiro.loyalty.transactions.service import POINTS_REVERSED

#: The ledger row's description of a reversal given no reason.
DEFAULT_REASON = "Refund"
_REVERSIBLE = ("earn", "redeem", "referral_bonus")


def _earn_points_through(original: PointTransaction, refunded: Decimal) -> int:
    """The points an earn's refunds of ``refunded`` money in all take back."""
    assert original.amount_spent is not None  # every earn records its purchase
    if original.loyalty_rate is not None:
        points = points_for(refunded, original.loyalty_rate)
    else:  # an earn from before the rate was kept: its own points per unit of money
        points = int((refunded * original.points / original.amount_spent)
                     .to_integral_value(rounding=ROUND_FLOOR))
    return min(points, original.points)


class ReversalService:
    """Refunds (a module singleton: ``reversal_service``)."""

    def reverse(
        self,
        session: Session,
        publisher: EventPublisher,
        business_id: int,
        transaction_id: int,
        request: ReversalRequest,
        *,
        idempotency_key: str | None,
        staff_id: int | None,
    ) -> ReversalResult:
        """Reverse ``transaction_id`` of ``business_id`` (see module doc).

        Raises:
            TransactionNotFound: no such row at this business (404).
            BusinessNotActive: the business is pending or suspended (403).
            NotReversible: the row is not an earn, a redemption or a referral bonus (409).
            AmountNotApplicable: ``amount`` given for a redemption or a bonus (422).
            AlreadyReversed: nothing of the row is left to reverse (409).
            ReversalTooLarge: ``amount`` is above what is left of the purchase (409).
        """
        original = reversal_repository.lock_original(session, transaction_id)
        if original is None or original.business_id != business_id:
            raise TransactionNotFound()
        business = business_service.get_active_program(session, business_id)
        if original.type not in _REVERSIBLE:
            raise NotReversible(f"A {original.type} row cannot be reversed; only an earn, "
                                "a redemption or a referral bonus can")
        if request.amount is not None and original.type != "earn":
            raise AmountNotApplicable()
        done = reversal_repository.reversed_so_far(session, original.id)
        amount, due = self._due(original, done, request.amount)
        now = utcnow()
        customer_id = original.customer_id
        if original.type == "redeem":
            taken, shortfall = -due, 0
            total = customer_repository.add_to_balance(session, customer_id, due)
        else:
            # Under the row lock, so the balance read is the one the update changes.
            taken = min(due, customer_repository.locked_balance(session, customer_id))
            shortfall = due - taken
            total = customer_repository.add_to_balance(session, customer_id, -taken)
            # From the earn's own lot first, then as any spending (lots.service).
            lot_service.spend(session, customer_id, taken, first_transaction_id=original.id)
        reason = request.reason or DEFAULT_REASON
        reversal_id = transaction_repository.insert(
            session,
            business_id=business_id,
            customer_id=customer_id,
            type="reversal",
            points=-taken,
            amount_spent=amount,
            reward_description=reason,
            idempotency_key=idempotency_key,
            staff_id=staff_id,
            created_at=now,
            reversed_transaction_id=original.id,
            shortfall=shortfall,
        )
        if original.type == "redeem":  # points given back are a new credit, with its lot
            lot_service.open(session, business, customer_id=customer_id,
                             transaction_id=reversal_id, points=due, credited_at=now)
        publisher.emit(session, POINTS_REVERSED, {
            "transaction_id": reversal_id,
            "reversed_transaction_id": original.id,
            "reversed_type": original.type,
            "business_id": business_id,
            "business_name": business.name,
            "customer_phone_number": reversal_repository.phone_of(session, customer_id),
            "amount": str(amount) if amount is not None else None,
            "points": -taken,
            "shortfall": shortfall,
            "reason": reason,
            "total_points": total,
            "timestamp": now.isoformat(),
        })
        return ReversalResult(
            transaction_id=reversal_id, reversed_transaction_id=original.id, points=-taken,
            shortfall=shortfall, amount=amount, total_points=total,
        )

    def _due(
        self, original: PointTransaction, done: ReversedSoFar, amount: Decimal | None
    ) -> tuple[Decimal | None, int]:
        """(money refunded, points to move) for this reversal of ``original``.

        Raises:
            AlreadyReversed: nothing is left to reverse.
            ReversalTooLarge: ``amount`` is above what is left of the purchase.
        """
        if original.type != "earn":
            if done.points >= abs(original.points):
                raise AlreadyReversed()
            return None, abs(original.points)
        assert original.amount_spent is not None  # every earn records its purchase
        left = original.amount_spent - done.amount
        if left <= 0:
            raise AlreadyReversed()
        if amount is None:
            amount = left
        elif amount > left:
            raise ReversalTooLarge(
                f"Only {left} of this purchase of {original.amount_spent} is left to refund")
        return amount, _earn_points_through(original, done.amount + amount) - done.points


reversal_service = ReversalService()
