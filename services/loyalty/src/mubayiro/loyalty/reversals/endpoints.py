"""Route of refunds: ``POST /transactions/{transaction_id}/reverse`` (any staff member of
the business whose transaction it is)."""

from __future__ import annotations

from fastapi import APIRouter

from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import InvalidInput, Unauthorized, error_responses
from mubayiro.common.idempotency import idempotent
from mubayiro.loyalty.businesses.exceptions import BusinessNotActive
from mubayiro.loyalty.deps import CurrentBusiness, PublisherDep, WriteSession
from mubayiro.loyalty.reversals.exceptions import (
    AlreadyReversed,
    AmountNotApplicable,
    NotReversible,
    ReversalTooLarge,
    TransactionNotFound,
)
from mubayiro.loyalty.reversals.schemas import (
    ReversalRequest,
    ReversalResult,
    TransactionIdPath,
)
from mubayiro.loyalty.reversals.service import reversal_service

router = APIRouter(tags=["transactions"], route_class=SessionRoute)


@router.post(
    "/transactions/{transaction_id}/reverse",
    response_model=ReversalResult,
    status_code=201,
    responses=error_responses(
        Unauthorized, BusinessNotActive, TransactionNotFound, NotReversible, AlreadyReversed,
        ReversalTooLarge, AmountNotApplicable, InvalidInput,
    ),
)
@idempotent
def reverse_transaction(
    caller: CurrentBusiness,
    transaction_id: TransactionIdPath,
    session: WriteSession,
    publisher: PublisherDep,
    idempotency_key: str | None,
    body: ReversalRequest = ReversalRequest(),  # noqa: B008 - no body: reverse it all
) -> ReversalResult:
    """Refund one of your business's transactions: an earn (all of it, or ``amount`` of
    the purchase) gives its points back, a redemption returns them to the customer. What
    the customer already spent is not taken: it is the answer's ``shortfall``."""
    assert caller.business_id is not None  # CurrentBusiness: a business's token
    return reversal_service.reverse(
        session, publisher, caller.business_id, transaction_id, body,
        idempotency_key=idempotency_key, staff_id=caller.staff_id,
    )
