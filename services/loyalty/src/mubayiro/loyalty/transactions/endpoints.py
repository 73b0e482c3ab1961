"""Routes of the ledger: award and redeem points (any staff member), ask for a
customer's redemption code (any staff member), and a business's recent transactions
(owners only, optionally one staff member's); for other services and local tools
(service token), referral bonuses, imports of a shop's earlier purchase history, and
the whole ledger a page at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    TooManyRequests,
    Unauthorized,
    error_responses,
)
from mubayiro.common.idempotency import idempotent
from mubayiro.common.security import OwnerOnly
from mubayiro.loyalty.businesses.dependencies import OwnedBusinessId
from mubayiro.loyalty.businesses.exceptions import BusinessNotActive, BusinessNotFound
from mubayiro.loyalty.customers.exceptions import CustomerNotFound
from mubayiro.loyalty.deps import (
    CurrentBusiness,
    PublisherDep,
    ReadSession,
    ServiceCaller,
    SettingsDep,
    WriteSession,
)
from mubayiro.loyalty.redemption_codes.exceptions import (
    CustomerCodeRequired,
    InvalidCustomerCode,
)
from mubayiro.loyalty.redemption_codes.schemas import RedemptionCodeSent
from mubayiro.loyalty.transactions.dependencies import (
    CheckedAward,
    CheckedCodeRequest,
    CheckedRedemption,
)
from mubayiro.loyalty.transactions.exceptions import (
    AwardLimitExceeded,
    DailyAwardLimitReached,
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

router = APIRouter(tags=["transactions"], route_class=SessionRoute)

#: Ledger ids are at most 64-bit; a larger cursor is refused rather than sent to SQL.
MAX_LEDGER_ID = 2**63 - 1
#: The largest page of the whole-ledger read.
MAX_LEDGER_PAGE = 5000
#: Staff ids are auth's integer keys.
MAX_STAFF_ID = 2**31 - 1


@router.post(
    "/transactions/add_points",
    response_model=AddPointsResult,
    status_code=201,
    responses=error_responses(
        Unauthorized, BusinessNotActive, BusinessNotFound, Conflict, AwardLimitExceeded,
        DailyAwardLimitReached,
    ),
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
    """Award points for a purchase (creates the customer on first sight). Your business
    must be active, and the award within its limits per transaction and per day."""
    return transaction_service.add_points(
        session, publisher, body, idempotency_key=idempotency_key,
        staff_id=caller.staff_id, settings=settings,
    )


@router.post(
    "/transactions/redeem_points",
    response_model=RedeemPointsResult,
    status_code=201,
    responses=error_responses(
        Unauthorized, InvalidCustomerCode, CustomerNotFound, InsufficientPoints,
        InvalidInput, CustomerCodeRequired,
    ),
)
@idempotent
def redeem_points(
    caller: CurrentBusiness,
    body: CheckedRedemption,
    session: WriteSession,
    publisher: PublisherDep,
    settings: SettingsDep,
    idempotency_key: str | None,
) -> RedeemPointsResult:
    """Spend a customer's points with their consent: ``customer_code`` is the code they
    received by SMS (428 without one, 403 when wrong: a wrong code spends one of its 5
    tries). 409 and no change when the balance is too low; a customer you may not see
    yet (no transaction with you, no code) is 404."""
    return transaction_service.redeem_points(
        session, publisher, body, idempotency_key=idempotency_key,
        staff_id=caller.staff_id, settings=settings,
    )


@router.post(
    "/transactions/redemption_codes",
    response_model=RedemptionCodeSent,
    status_code=202,
    responses=error_responses(
        Unauthorized, BusinessNotActive, BusinessNotFound, InvalidInput, TooManyRequests
    ),
)
@idempotent
def request_redemption_code(
    caller: CurrentBusiness,
    body: CheckedCodeRequest,
    session: WriteSession,
    publisher: PublisherDep,
    settings: SettingsDep,
) -> RedemptionCodeSent:
    """Text the customer a 6-digit code that lets your business spend their points: they
    read it out at the till, and you send it as ``customer_code`` when redeeming. Valid
    10 minutes, for any number of redemptions; a new code replaces the last. The same
    202 for every valid phone number."""
    return transaction_service.request_redemption_code(
        session, publisher, body, settings=settings
    )


@router.get(
    "/businesses/{business_id}/transactions",
    response_model=list[BusinessTransactionRow],
    responses=error_responses(Unauthorized, OwnerOnly, BusinessNotFound, InvalidInput),
)
def list_business_transactions(
    business_id: OwnedBusinessId,
    session: ReadSession,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    staff_id: Annotated[
        int | None, Query(ge=1, le=MAX_STAFF_ID, description="Only this staff member's.")
    ] = None,
) -> list[BusinessTransactionRow]:
    """Your business's recent transactions, newest first, each with the staff member who
    made it (owners only)."""
    return transaction_service.list_for_business(
        session, business_id, limit=limit, staff_id=staff_id
    )


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
    settings: SettingsDep,
    idempotency_key: str,
) -> ReferralBonusResult:
    """Pay a referrer's bonus (service token; once per ``Idempotency-Key``, which
    referrals sends as ``referral-<referral_id>``; an active business, within its
    award limits)."""
    return transaction_service.referral_bonus(
        session, publisher, body, idempotency_key=idempotency_key, settings=settings
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
        session, publisher, body, idempotency_key=idempotency_key, settings=settings
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
