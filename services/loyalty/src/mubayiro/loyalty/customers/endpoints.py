"""Routes of customers: the points balance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from mubayiro.common.errors import Forbidden, InvalidInput, Unauthorized, error_responses
from mubayiro.common.phone import PhoneNumber
from mubayiro.common.security import ensure_phone
from mubayiro.loyalty.customers.schemas import CustomerPoints
from mubayiro.loyalty.customers.service import customer_service
from mubayiro.loyalty.deps import CurrentPrincipal, SessionDep

router = APIRouter(tags=["customers"])

#: A phone number in a path: any accepted spelling, E.164 once validated (422 otherwise).
PhoneNumberPath = Annotated[PhoneNumber, Path(description="E.164 or local form.")]


@router.get(
    "/customers/points/{phone_number}",
    response_model=CustomerPoints,
    responses=error_responses(Unauthorized, Forbidden, InvalidInput),
)
def get_customer_points(
    phone_number: PhoneNumberPath, caller: CurrentPrincipal, session: SessionDep
) -> CustomerPoints:
    """A customer's points and last 5 transactions (that customer's token, or a business's)."""
    # Until customer OTP login lands, a business may look any customer up (at the till).
    ensure_phone(caller, phone_number)
    return customer_service.points(session, phone_number)
