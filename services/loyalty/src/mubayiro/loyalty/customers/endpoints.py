"""Routes of customers: their own balance, history and rewards (customer token for
that phone), a business's view of one of its customers, and the internal reads.

The ``/internal`` reads (service token) serve a service that has verified the caller
itself and names the subject it acts for in the path: the MCP server reads a customer's
points, history and rewards for that customer's own token, and a business's view of a
customer for that business's token. They answer exactly what the public routes answer
for the same subject, from the same service methods.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import Forbidden, InvalidInput, Unauthorized, error_responses
from mubayiro.loyalty.businesses.dependencies import OwnBusinessId
from mubayiro.loyalty.businesses.exceptions import BusinessNotFound
from mubayiro.loyalty.businesses.schemas import BusinessIdPath
from mubayiro.loyalty.businesses.service import business_service
from mubayiro.loyalty.customers.dependencies import OwnPhoneNumber, PhoneNumberPath
from mubayiro.loyalty.customers.exceptions import CustomerNotFound
from mubayiro.loyalty.customers.schemas import (
    BusinessCustomerView,
    CustomerBalance,
    CustomerPoints,
)
from mubayiro.loyalty.customers.service import customer_service
from mubayiro.loyalty.deps import ReadSession, ServiceCaller
from mubayiro.loyalty.rewards.schemas import CustomerReward
from mubayiro.loyalty.transactions.schemas import TransactionRow

router = APIRouter(tags=["customers"], route_class=SessionRoute)

#: Paging past this many rows is refused (422) rather than sent to the database.
MAX_OFFSET = 1_000_000

#: Page size of the long lists (history, rewards, a business's view): 1–500, 50 by default.
PageLimit = Annotated[int, Query(ge=1, le=500)]
PageOffset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]

_CUSTOMER_ERRORS = error_responses(Unauthorized, Forbidden, InvalidInput)


@router.get(
    "/customers/points/{phone_number}",
    response_model=CustomerPoints,
    responses=_CUSTOMER_ERRORS,
)
def get_customer_points(phone_number: OwnPhoneNumber, session: ReadSession) -> CustomerPoints:
    """Your points and last 5 transactions (customer token for that phone)."""
    return customer_service.points(session, phone_number)


@router.get(
    "/customers/{phone_number}/transactions",
    response_model=list[TransactionRow],
    responses=_CUSTOMER_ERRORS,
)
def list_customer_transactions(
    phone_number: OwnPhoneNumber,
    session: ReadSession,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> list[TransactionRow]:
    """Your whole history at every business, newest first, a page at a time."""
    return customer_service.history(session, phone_number, limit=limit, offset=offset)


@router.get(
    "/customers/{phone_number}/rewards",
    response_model=list[CustomerReward],
    responses=_CUSTOMER_ERRORS,
)
def list_customer_rewards(
    phone_number: OwnPhoneNumber,
    session: ReadSession,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> list[CustomerReward]:
    """Every active reward of every business: redeemable ones first, then the closest."""
    return customer_service.rewards(session, phone_number, limit=limit, offset=offset)


@router.get(
    "/businesses/{business_id}/customers/{phone_number}",
    response_model=BusinessCustomerView,
    responses=error_responses(
        Unauthorized, Forbidden, BusinessNotFound, CustomerNotFound, InvalidInput
    ),
)
def get_business_customer(
    business_id: OwnBusinessId,
    phone_number: PhoneNumberPath,
    session: ReadSession,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> BusinessCustomerView:
    """A customer's balance and their transactions at your business only."""
    return customer_service.business_view(
        session, business_id, phone_number, limit=limit, offset=offset
    )


@router.get(
    "/internal/customers/{phone_number}/balance",
    response_model=CustomerBalance,
    include_in_schema=False,
)
def get_customer_balance(
    _caller: ServiceCaller, phone_number: PhoneNumberPath, session: ReadSession
) -> CustomerBalance:
    """A customer's balance, for other services (service token; 404 for an unknown number)."""
    return customer_service.balance(session, phone_number)


@router.get(
    "/internal/customers/{phone_number}/points",
    response_model=CustomerPoints,
    include_in_schema=False,
)
def get_customer_points_internal(
    _caller: ServiceCaller, phone_number: PhoneNumberPath, session: ReadSession
) -> CustomerPoints:
    """A customer's points and last 5 transactions, for a service acting for that customer."""
    return customer_service.points(session, phone_number)


@router.get(
    "/internal/customers/{phone_number}/transactions",
    response_model=list[TransactionRow],
    include_in_schema=False,
)
def list_customer_transactions_internal(
    _caller: ServiceCaller,
    phone_number: PhoneNumberPath,
    session: ReadSession,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> list[TransactionRow]:
    """A page of a customer's history, newest first, for a service acting for that customer."""
    return customer_service.history(session, phone_number, limit=limit, offset=offset)


@router.get(
    "/internal/customers/{phone_number}/rewards",
    response_model=list[CustomerReward],
    include_in_schema=False,
)
def list_customer_rewards_internal(
    _caller: ServiceCaller,
    phone_number: PhoneNumberPath,
    session: ReadSession,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> list[CustomerReward]:
    """Active rewards with whether the customer can redeem them (redeemable first)."""
    return customer_service.rewards(session, phone_number, limit=limit, offset=offset)


@router.get(
    "/internal/businesses/{business_id}/customers/{phone_number}",
    response_model=BusinessCustomerView,
    include_in_schema=False,
)
def get_business_customer_internal(
    _caller: ServiceCaller,
    business_id: BusinessIdPath,
    phone_number: PhoneNumberPath,
    session: ReadSession,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> BusinessCustomerView:
    """A customer as ``business_id`` sees them (404 for an unknown business or customer)."""
    business_service.get_program(session, business_id)
    return customer_service.business_view(
        session, business_id, phone_number, limit=limit, offset=offset
    )
