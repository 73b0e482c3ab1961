"""Routes of the ledger: award and redeem points, and a business's recent transactions;
for other services and local tools (service token), referral bonuses, imports of a
shop's earlier purchase history, and the whole ledger a page at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from mubayiro.common.errors import Conflict, Forbidden, InvalidInput, Unauthorized, error_responses
from mubayiro.common.idempotency import MAX_KEY_LENGTH, mark_replayed
from mubayiro.loyalty.businesses.dependencies import OwnBusinessId
from mubayiro.loyalty.businesses.exceptions import BusinessNotFound
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.deps import (
    AuthClientDep,
    CurrentBusiness,
    DatabaseDep,
    IdempotencyKey,
    PublisherDep,
    ServiceCaller,
    SessionDep,
    SettingsDep,
)
from mubayiro.loyalty.rewards.exceptions import RewardNotFound
from mubayiro.loyalty.transactions.exceptions import (
    HistoryAfterLiveTransactions,
    InsufficientPoints,
)
from mubayiro.loyalty.transactions.schemas import (
    AddPointsRequest,
    AddPointsResult,
    BusinessTransactionRow,
    ImportTransactionRequest,
    ImportTransactionResult,
    LedgerPage,
    RedeemPointsRequest,
    RedeemPointsResult,
    ReferralBonusRequest,
    ReferralBonusResult,
)
from mubayiro.loyalty.transactions.service import transaction_service

router = APIRouter(tags=["transactions"])

#: The ``Idempotency-Key`` header where it is required (422 without it).
RequiredIdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        max_length=MAX_KEY_LENGTH,
        description="Required: the change happens once per key, per calling service "
        "(referrals sends referral-<referral_id>).",
    ),
]

#: Ledger ids are at most 64-bit; a larger cursor is refused rather than sent to SQL.
MAX_LEDGER_ID = 2**63 - 1
#: The largest page of the whole-ledger read.
MAX_LEDGER_PAGE = 5000


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
    mark_replayed(response, replayed)
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
    mark_replayed(response, replayed)
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


@router.post(
    "/internal/transactions/referral_bonus",
    response_model=ReferralBonusResult,
    status_code=201,
    include_in_schema=False,
)
def referral_bonus(
    caller: ServiceCaller,
    body: ReferralBonusRequest,
    idempotency_key: RequiredIdempotencyKey,
    session: SessionDep,
    publisher: PublisherDep,
    response: Response,
) -> ReferralBonusResult:
    """Pay a referrer's bonus (service token; once per ``Idempotency-Key``)."""
    result, replayed = transaction_service.referral_bonus(
        session, publisher, caller, body, idempotency_key=idempotency_key
    )
    mark_replayed(response, replayed)
    return result


@router.post(
    "/internal/transactions/import",
    response_model=ImportTransactionResult,
    status_code=201,
    include_in_schema=False,
    responses=error_responses(
        Unauthorized, Forbidden, BusinessNotFound, HistoryAfterLiveTransactions, InvalidInput
    ),
)
def import_transaction(
    caller: ServiceCaller,
    body: ImportTransactionRequest,
    idempotency_key: RequiredIdempotencyKey,
    session: SessionDep,
    publisher: PublisherDep,
    response: Response,
) -> ImportTransactionResult:
    """Bring a purchase from a shop's earlier history into the ledger (service token).

    For a shop joining with paper stamp cards or a till's records: points at the
    business's current rate, the ledger row dated ``occurred_at``, no SMS. History goes
    in oldest first: a purchase dated before a transaction the customer or the business
    already has is 409 ``HistoryAfterLiveTransactions``.
    """
    result, replayed = transaction_service.import_transaction(
        session, publisher, caller, body, idempotency_key=idempotency_key
    )
    mark_replayed(response, replayed)
    return result


@router.get("/internal/ledger", response_model=LedgerPage, include_in_schema=False)
def read_ledger(
    _caller: ServiceCaller,
    session: SessionDep,
    after_id: Annotated[int, Query(ge=0, le=MAX_LEDGER_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LEDGER_PAGE)] = 1000,
) -> LedgerPage:
    """The whole ledger in id order, ``limit`` rows after ``after_id`` (service token)."""
    return transaction_service.ledger_page(session, after_id=after_id, limit=limit)
