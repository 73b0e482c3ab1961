"""Routes of the ledger: award and redeem points, and a business's recent transactions;
for other services and local tools (service token), referral bonuses, imports of a
shop's earlier purchase history, and the whole ledger a page at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mubayiro.common.errors import Conflict, Forbidden, InvalidInput, Unauthorized, error_responses
from mubayiro.common.idempotency import idempotent
from mubayiro.loyalty.businesses.dependencies import OwnBusinessId
from mubayiro.loyalty.businesses.exceptions import BusinessNotFound
from mubayiro.loyalty.deps import (
    CurrentBusiness,
    PublisherDep,
    ReadSession,
    ServiceCaller,
    SettingsDep,
    WriteSession,
)
from mubayiro.loyalty.rewards.exceptions import RewardNotFound
from mubayiro.loyalty.transactions.dependencies import CheckedAward, CheckedRedemption
from mubayiro.loyalty.transactions.exceptions import (
    HistoryAfterLiveTransactions,
    InsufficientPoints,
)
from mubayiro.loyalty.transactions.schemas import (
    AddPointsResult,
    BusinessTransactionRow,
    ImportTransactionRequest,
    ImportTransactionResult,
    LedgerPage,
    RedeemPointsResult,
    ReferralBonusRequest,
    ReferralBonusResult,
)
from mubayiro.loyalty.transactions.service import transaction_service

router = APIRouter(tags=["transactions"])

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
@idempotent
def add_points(
    caller: CurrentBusiness,
    body: CheckedAward,
    session: WriteSession,
    publisher: PublisherDep,
    settings: SettingsDep,
    idempotency_key: str | None,
) -> AddPointsResult:
    """Award points for a purchase (creates the customer on first sight)."""
    return transaction_service.add_points(
        session, publisher, body, idempotency_key=idempotency_key,
        max_amount_spent=settings.max_amount_spent,
    )


@router.post(
    "/transactions/redeem_points",
    response_model=RedeemPointsResult,
    status_code=201,
    responses=error_responses(
        Unauthorized, Forbidden, BusinessNotFound, RewardNotFound, InsufficientPoints,
        InvalidInput,
    ),
)
@idempotent
def redeem_points(
    caller: CurrentBusiness,
    body: CheckedRedemption,
    session: WriteSession,
    publisher: PublisherDep,
    idempotency_key: str | None,
) -> RedeemPointsResult:
    """Spend a customer's points (409 and no change when the balance is too low)."""
    return transaction_service.redeem_points(
        session, publisher, body, idempotency_key=idempotency_key
    )


@router.get(
    "/businesses/{business_id}/transactions",
    response_model=list[BusinessTransactionRow],
    responses=error_responses(Unauthorized, Forbidden, BusinessNotFound, InvalidInput),
)
def list_business_transactions(
    business_id: OwnBusinessId,
    session: ReadSession,
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
@idempotent(required=True)
def referral_bonus(
    caller: ServiceCaller,
    body: ReferralBonusRequest,
    session: WriteSession,
    publisher: PublisherDep,
    idempotency_key: str,
) -> ReferralBonusResult:
    """Pay a referrer's bonus (service token; once per ``Idempotency-Key``, which
    referrals sends as ``referral-<referral_id>``)."""
    return transaction_service.referral_bonus(
        session, publisher, body, idempotency_key=idempotency_key
    )


@router.post(
    "/internal/transactions/import",
    response_model=ImportTransactionResult,
    status_code=201,
    include_in_schema=False,
    responses=error_responses(
        Unauthorized, Forbidden, BusinessNotFound, HistoryAfterLiveTransactions, InvalidInput
    ),
)
@idempotent(required=True)
def import_transaction(
    caller: ServiceCaller,
    body: ImportTransactionRequest,
    session: WriteSession,
    publisher: PublisherDep,
    settings: SettingsDep,
    idempotency_key: str,
) -> ImportTransactionResult:
    """Bring a purchase from a shop's earlier history into the ledger (service token).

    For a shop joining with paper stamp cards or a till's records: points at the
    business's current rate, the ledger row dated ``occurred_at``, no SMS. History goes
    in oldest first: a purchase dated before a transaction the customer or the business
    already has is 409 ``HistoryAfterLiveTransactions``.
    """
    return transaction_service.import_transaction(
        session, publisher, body, idempotency_key=idempotency_key,
        max_amount_spent=settings.max_amount_spent,
    )


@router.get("/internal/ledger", response_model=LedgerPage, include_in_schema=False)
def read_ledger(
    _caller: ServiceCaller,
    session: ReadSession,
    after_id: Annotated[int, Query(ge=0, le=MAX_LEDGER_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LEDGER_PAGE)] = 1000,
) -> LedgerPage:
    """The whole ledger in id order, ``limit`` rows after ``after_id`` (service token)."""
    return transaction_service.ledger_page(session, after_id=after_id, limit=limit)
