"""Dependencies for customer routes: the phone number in the path, checked against the token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from mubayiro.common.phone import PhoneNumber
from mubayiro.common.security import ensure_phone
from mubayiro.loyalty.deps import CurrentCustomer

#: A phone number in a path: any accepted spelling, E.164 once validated (422 otherwise).
PhoneNumberPath = Annotated[PhoneNumber, Path(description="E.164 or local form.")]


async def own_phone_number(caller: CurrentCustomer, phone_number: PhoneNumberPath) -> str:
    """The path's phone number (E.164), when the caller is the customer with that number.

    Order of refusals: no or bad token 401; a token that is not a customer's (a
    business's, a service's) 403; an invalid number 422; another customer's number 403.
    """
    ensure_phone(caller, phone_number)
    return phone_number


OwnPhoneNumber = Annotated[str, Depends(own_phone_number)]
