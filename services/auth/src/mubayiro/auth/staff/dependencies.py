"""Dependencies that load the signed-in staff member (and check they still exist)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from mubayiro.auth.deps import CurrentBusiness, ReadSession, WriteSession
from mubayiro.auth.models import Staff
from mubayiro.auth.staff.service import staff_service
from mubayiro.common.security import CurrentOwner


def signed_in_member(principal: CurrentBusiness, session: ReadSession) -> Staff:
    """The member behind the business token, to read.

    Raises:
        UnknownStaff: removed, or a token from before staff accounts (401).
    """
    return staff_service.signed_in(session, principal)


def signed_in_owner(principal: CurrentOwner, session: ReadSession) -> Staff:
    """The owner behind the business token, to read (a cashier's token: 403 ``OwnerOnly``)."""
    return staff_service.signed_in(session, principal)


def signed_in_owner_to_change(principal: CurrentOwner, session: WriteSession) -> Staff:
    """The owner behind the business token, loaded in the write session that acts."""
    return staff_service.signed_in(session, principal)


SignedInMember = Annotated[Staff, Depends(signed_in_member)]
SignedInOwner = Annotated[Staff, Depends(signed_in_owner)]
SignedInOwnerToChange = Annotated[Staff, Depends(signed_in_owner_to_change)]
