"""Routes of the staff module: ``/auth/staff`` (owners manage their business's members)
and the internal ``/internal/businesses/{business_id}/staff`` (names for audit trails)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from mubayiro.auth.businesses.dependencies import MAX_ID, ValidBusiness
from mubayiro.auth.businesses.exceptions import BusinessNotFound, EmailAlreadyRegistered
from mubayiro.auth.deps import ClockDep, ReadSession, ServiceCaller, WriteSession
from mubayiro.auth.staff.dependencies import SignedInMember, SignedInOwner, SignedInOwnerToChange
from mubayiro.auth.staff.exceptions import (
    CannotRemoveYourself,
    LastOwner,
    StaffNotFound,
    UnknownStaff,
)
from mubayiro.auth.staff.schemas import InternalStaffMember, NewStaffMember, StaffMember
from mubayiro.auth.staff.service import staff_service
from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import Forbidden, InvalidInput, error_responses
from mubayiro.common.security import OwnerOnly

router = APIRouter(prefix="/auth/staff", tags=["auth"], route_class=SessionRoute)
internal_router = APIRouter(prefix="/internal", tags=["internal"], route_class=SessionRoute)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=StaffMember,
    responses=error_responses(UnknownStaff, OwnerOnly, EmailAlreadyRegistered, InvalidInput),
)
def add_staff_member(
    owner: SignedInOwnerToChange, data: NewStaffMember, session: WriteSession
) -> StaffMember:
    """Add an owner or a cashier to your business (owners only); they sign in with the
    email and password given here."""
    member = staff_service.create(session, owner.business_id, data)
    return StaffMember.model_validate(member)


@router.get(
    "",
    response_model=list[StaffMember],
    responses=error_responses(UnknownStaff, OwnerOnly),
)
def list_staff(owner: SignedInOwner, session: ReadSession) -> list[StaffMember]:
    """Your business's staff members, oldest first (owners only)."""
    return [StaffMember.model_validate(m) for m in staff_service.list(session, owner.business_id)]


@router.get(
    "/me",
    response_model=StaffMember,
    responses=error_responses(UnknownStaff, Forbidden),
)
def read_signed_in_member(member: SignedInMember) -> StaffMember:
    """Who is signed in: your name, email and role (owner or cashier)."""
    return StaffMember.model_validate(member)


@router.delete(
    "/{staff_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(
        UnknownStaff, OwnerOnly, StaffNotFound, CannotRemoveYourself, LastOwner
    ),
)
def remove_staff_member(
    owner: SignedInOwnerToChange,
    staff_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: WriteSession,
    clock: ClockDep,
) -> Response:
    """Remove a member from your business (owners only): their sessions end at once.
    You cannot remove yourself or the last owner."""
    staff_service.remove(session, owner, staff_id, now=clock())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@internal_router.get(
    "/businesses/{business_id}/staff",
    response_model=list[InternalStaffMember],
    responses=error_responses(BusinessNotFound),
)
def list_business_staff(
    _caller: ServiceCaller, business: ValidBusiness, session: ReadSession
) -> list[InternalStaffMember]:
    """Every staff member the business ever had, removed ones too (with ``removed_at``),
    so a service can name who made a ledger row."""
    members = staff_service.list_with_removed(session, business.id)
    return [InternalStaffMember.model_validate(m) for m in members]
