"""Routes of the businesses module: public ``/auth/*`` and internal ``/internal/businesses``.

The login is the sessions module's (:mod:`mubayiro.auth.sessions.endpoints`): a person
signs in, not a business.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from mubayiro.auth.businesses.dependencies import (
    SignedInBusiness,
    SignedInBusinessToChange,
    ValidBusiness,
)
from mubayiro.auth.businesses.exceptions import (
    BusinessNameTaken,
    BusinessNotFound,
    EmailAlreadyRegistered,
    UnknownBusiness,
)
from mubayiro.auth.businesses.schemas import (
    BusinessIdentity,
    InternalBusiness,
    RegisterBusiness,
    RegisteredBusiness,
    UpdateBusiness,
)
from mubayiro.auth.businesses.service import business_service
from mubayiro.auth.deps import PublisherDep, ServiceCaller, SettingsDep, WriteSession
from mubayiro.auth.limits import RegistrationGuard
from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import Forbidden, InvalidInput, error_responses
from mubayiro.common.ratelimit import TooManyAttempts
from mubayiro.common.security import OwnerOnly

router = APIRouter(prefix="/auth", tags=["auth"], route_class=SessionRoute)
internal_router = APIRouter(prefix="/internal", tags=["internal"], route_class=SessionRoute)


@router.post(
    "/register_business",
    status_code=status.HTTP_201_CREATED,
    response_model=RegisteredBusiness,
    response_model_exclude_none=True,
    responses=error_responses(EmailAlreadyRegistered, BusinessNameTaken, TooManyAttempts),
)
def register_business(
    _limits: RegistrationGuard,
    data: RegisterBusiness, session: WriteSession, publisher: PublisherDep, settings: SettingsDep
) -> RegisteredBusiness:
    """Register a business (its email must be new) with you as its owner; it is `pending`
    until the platform's operator approves it. Announces `business.registered`."""
    business = business_service.register(
        session, data, publisher=publisher,
        status="active" if settings.approves_businesses_automatically else "pending",
    )
    identity = BusinessIdentity.model_validate(business)
    return RegisteredBusiness(**identity.model_dump(), loyalty_rate=data.loyalty_rate)


@router.get(
    "/me",
    response_model=BusinessIdentity,
    responses=error_responses(UnknownBusiness, Forbidden),
)
def read_me(business: SignedInBusiness) -> BusinessIdentity:
    """The signed-in business's identity."""
    return BusinessIdentity.model_validate(business)


@router.patch(
    "/me",
    response_model=BusinessIdentity,
    responses=error_responses(UnknownBusiness, Forbidden, OwnerOnly, InvalidInput),
)
def update_me(
    changes: UpdateBusiness,
    business: SignedInBusinessToChange,
    session: WriteSession,
    publisher: PublisherDep,
) -> BusinessIdentity:
    """Change your business's name or contact person (owners only); announces
    `business.updated`."""
    updated = business_service.update(session, business, changes, publisher=publisher)
    return BusinessIdentity.model_validate(updated)


# The caller is the first parameter: dependencies run in order, so an unauthenticated
# request gets 401 before any lookup could answer 404 (no probing for business ids).
@internal_router.get(
    "/businesses/{business_id}",
    response_model=InternalBusiness,
    responses=error_responses(BusinessNotFound),
)
def read_business(_caller: ServiceCaller, business: ValidBusiness) -> InternalBusiness:
    """A business's identity, for services that saw its id before its registration event."""
    return InternalBusiness.model_validate(business)
