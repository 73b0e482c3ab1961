"""Routes of the ledger: award and redeem points, and a business's recent transactions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from mubayiro.common.errors import Conflict, Forbidden, InvalidInput, Unauthorized, error_responses
from mubayiro.loyalty.businesses.dependencies import OwnBusinessId
from mubayiro.loyalty.businesses.exceptions import BusinessNotFound
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.deps import (
    AuthClientDep,
    CurrentBusiness,
    DatabaseDep,
    IdempotencyKey,
    PublisherDep,
    SessionDep,
    SettingsDep,
)
from mubayiro.loyalty.rewards.exceptions import RewardNotFound
from mubayiro.loyalty.transactions.exceptions import InsufficientPoints
from mubayiro.loyalty.transactions.schemas import (
    AddPointsRequest,
    AddPointsResult,
    BusinessTransactionRow,
    RedeemPointsRequest,
    RedeemPointsResult,
)
from mubayiro.loyalty.transactions.service import transaction_service

router = APIRouter(tags=["transactions"])


@router.post(
    "/transactions/add_points",
    response_model=AddPointsResult,
    status_code=201,
    responses=error_responses(Unauthorized, Forbidden, BusinessNotFound, Conflict, InvalidInput),
)
def add_points(
    caller: CurrentBusiness,
    body: AddPointsRequest,
    session: SessionDep,
    database: DatabaseDep,
    auth: AuthClientDep,
    publisher: PublisherDep,
    settings: SettingsDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> AddPointsResult:
    """Award points for a purchase (creates the customer on first sight)."""
    transaction_service.check_caller(caller, body)
    # Before the write transaction starts: may call auth, which must not hold the lock.
    business_service.ensure_local_copy(
        database, auth, body.business_id, caller=caller, settings=settings
    )
    result, replayed = transaction_service.add_points(
        session, publisher, body, idempotency_key=idempotency_key
    )
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return result


@router.post(
    "/transactions/redeem_points",
    response_model=RedeemPointsResult,
    status_code=201,
    responses=error_responses(
        Unauthorized, Forbidden, BusinessNotFound, RewardNotFound, InsufficientPoints,
        InvalidInput,
    ),
)
def redeem_points(
    caller: CurrentBusiness,
    body: RedeemPointsRequest,
    session: SessionDep,
    database: DatabaseDep,
    auth: AuthClientDep,
    publisher: PublisherDep,
    settings: SettingsDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> RedeemPointsResult:
    """Spend a customer's points (409 and no change when the balance is too low)."""
    transaction_service.check_caller(caller, body)
    business_service.ensure_local_copy(
        database, auth, body.business_id, caller=caller, settings=settings
    )
    result, replayed = transaction_service.redeem_points(
        session, publisher, body, idempotency_key=idempotency_key
    )
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return result


@router.get(
    "/businesses/{business_id}/transactions",
    response_model=list[BusinessTransactionRow],
    responses=error_responses(Unauthorized, Forbidden, BusinessNotFound, InvalidInput),
)
def list_business_transactions(
    business_id: OwnBusinessId,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[BusinessTransactionRow]:
    """Your business's recent transactions, newest first."""
    return transaction_service.list_for_business(session, business_id, limit=limit)
