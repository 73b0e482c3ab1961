"""Rules of the ledger: awarding points for a purchase, and a business's transactions.

How an award stays correct (``add_points``). Everything happens in the request's
one write transaction (the ``SessionDep``'s, opened with ``BEGIN IMMEDIATE`` on
SQLite, so writers queue for the lock instead of failing half-way; on PostgreSQL
the balance row's lock orders concurrent awards):

1. the ``Idempotency-Key`` record is looked up and claimed (``run_idempotent``);
2. the customer is found or created (``INSERT … ON CONFLICT DO NOTHING`` + ``SELECT``);
3. points are ``floor(amount_spent × loyalty_rate)`` in exact ``Decimal``;
4. the balance changes by one atomic ``UPDATE … SET total_points = total_points + :p
   RETURNING total_points`` — never read, add in Python and write back, which would
   lose one of two concurrent awards;
5. the ledger row is inserted;
6. the ``points.earned`` event is written to the outbox (one row per subscriber);
7. the response is stored with the idempotency record.

The session commits all of it, or none of it, after the endpoint returns: there is
never a balance without its ledger row, a ledger row without its event, or an
event for a rolled-back award; and a retried request with the same key finds the
stored response instead of awarding twice. The ``total_points >= 0`` CHECK is the
last guard of the invariant ``total_points == sum(points)``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from mubayiro.common.db import utcnow
from mubayiro.common.events import EventPublisher
from mubayiro.common.idempotency import run_idempotent
from mubayiro.common.money import points_for
from mubayiro.common.security import ensure_business
from mubayiro.common.tokens import Principal
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.customers.repository import customer_repository
from mubayiro.loyalty.models import idempotency_record
from mubayiro.loyalty.transactions.repository import transaction_repository
from mubayiro.loyalty.transactions.schemas import (
    AddPointsRequest,
    AddPointsResult,
    BusinessTransactionRow,
)

#: Event types loyalty publishes, and who subscribes to them.
POINTS_EARNED = "points.earned"
POINTS_REDEEMED = "points.redeemed"
POINTS_REFERRAL_BONUS = "points.referral_bonus"
_SUBSCRIBERS = ["notifications", "reports"]
EVENT_ROUTES: dict[str, list[str]] = {
    POINTS_EARNED: _SUBSCRIBERS,
    POINTS_REDEEMED: _SUBSCRIBERS,
    POINTS_REFERRAL_BONUS: _SUBSCRIBERS,
}


class TransactionService:
    """The ledger (a module singleton: ``transaction_service``)."""

    def check_add_points_caller(self, caller: Principal, request: AddPointsRequest) -> None:
        """Refuse (403) an award booked for another business than the caller's.

        Raises:
            Forbidden: ``business_id`` in the body is not the caller's.
        """
        ensure_business(caller, request.business_id)

    def add_points(
        self,
        session: Session,
        publisher: EventPublisher,
        request: AddPointsRequest,
        *,
        idempotency_key: str | None,
    ) -> tuple[AddPointsResult, bool]:
        """Award points for a purchase; return (the result, whether it was a replay).

        The business must exist locally (see ``businesses.service.ensure_local_copy``).
        Runs in ``session``'s transaction; the caller commits (see module doc).

        Raises:
            BusinessNotFound: the business is not known here.
            IdempotencyKeyReused: the key was used with another body (422).
            IdempotencyInFlight: the key's first request has not finished (409).
        """

        def award() -> dict[str, Any]:
            business = business_service.get_program(session, request.business_id)
            now = utcnow()
            customer_id = customer_repository.get_or_create_id(
                session, request.customer_phone_number, now
            )
            points = points_for(request.amount_spent, business.loyalty_rate)
            total = customer_repository.add_to_balance(session, customer_id, points)
            transaction_id = transaction_repository.insert(
                session,
                business_id=business.id,
                customer_id=customer_id,
                type="earn",
                amount_spent=request.amount_spent,
                points=points,
                idempotency_key=idempotency_key,
                created_at=now,
            )
            publisher.emit(
                session,
                POINTS_EARNED,
                {
                    "transaction_id": transaction_id,
                    "business_id": business.id,
                    "business_name": business.name,
                    "customer_phone_number": request.customer_phone_number,
                    "amount_spent": str(request.amount_spent),
                    "points": points,
                    "total_points": total,
                    "timestamp": now.isoformat(),
                },
            )
            return AddPointsResult(
                transaction_id=transaction_id,
                customer_phone_number=request.customer_phone_number,
                points_earned=points,
                total_points=total,
            ).model_dump(mode="json")

        response, replayed = run_idempotent(
            session,
            idempotency_record,
            scope=f"business:{request.business_id}:add_points",
            key=idempotency_key,
            # The validated body: "0771234567" and "+263771234567" are the same request.
            body=request.model_dump(mode="json"),
            action=award,
            status_code=201,
        )
        return AddPointsResult.model_validate(response), replayed

    def list_for_business(
        self, session: Session, business_id: int, *, limit: int
    ) -> list[BusinessTransactionRow]:
        """A business's newest ``limit`` transactions, newest first."""
        rows = transaction_repository.list_for_business(session, business_id, limit)
        return [BusinessTransactionRow.model_validate(row) for row in rows]


transaction_service = TransactionService()
