"""Dependencies that load the signed-in staff member (and check they still exist)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from mubayiro.auth.deps import CurrentBusiness, ReadSession, WriteSession
from mubayiro.auth.models import Staff
from mubayiro.auth.staff.service import staff_service
from mubayiro.common.security import CurrentOwner, OwnerOnly
from mubayiro.common.tokens import Principal


def signed_in_member(principal: CurrentBusiness, session: ReadSession) -> Staff:
    """The member behind the business token, to read.

    Raises:
        UnknownStaff: removed, or a token from before staff accounts (401).
    """
    return staff_service.signed_in(session, principal)


def _owner(principal: Principal, session: Session) -> Staff:
    # The token says owner (CurrentOwner); the member's row must agree, so a role the
    # database no longer gives cannot act on a token that still claims it.
    member = staff_service.signed_in(session, principal)
    if member.role != "owner":
        raise OwnerOnly()
    return member


def signed_in_owner(principal: CurrentOwner, session: ReadSession) -> Staff:
    """The owner behind the business token, to read (a cashier's token: 403 ``OwnerOnly``)."""
    return _owner(principal, session)


def signed_in_owner_to_change(principal: CurrentOwner, session: WriteSession) -> Staff:
    """The owner behind the business token, loaded in the write session that acts."""
    return _owner(principal, session)


SignedInMember = Annotated[Staff, Depends(signed_in_member)]
SignedInOwner = Annotated[Staff, Depends(signed_in_owner)]
SignedInOwnerToChange = Annotated[Staff, Depends(signed_in_owner_to_change)]
