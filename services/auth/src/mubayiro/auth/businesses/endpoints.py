"""Routes of the businesses module: public ``/auth/*`` and internal ``/internal/businesses``."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from mubayiro.auth.businesses.dependencies import (
    LoginCredentials,
    SignedInBusiness,
    SignedInBusinessToChange,
    ValidBusiness,
)
from mubayiro.auth.businesses.exceptions import (
    BusinessNotFound,
    EmailAlreadyRegistered,
    InvalidCredentials,
    UnknownBusiness,
    UnsupportedGrantType,
    UnsupportedMediaType,
)
from mubayiro.auth.businesses.schemas import (
    BusinessIdentity,
    InternalBusiness,
    LoginBusiness,
    RegisterBusiness,
    RegisteredBusiness,
    TokenResponse,
    UpdateBusiness,
)
from mubayiro.auth.businesses.service import business_service
from mubayiro.auth.deps import IssuerDep, PublisherDep, ReadSession, ServiceCaller, WriteSession
from mubayiro.common.errors import Forbidden, InvalidInput, error_responses

router = APIRouter(prefix="/auth", tags=["auth"])
internal_router = APIRouter(prefix="/internal", tags=["internal"])

_LOGIN_FORM_SCHEMA = {
    "type": "object",
    "required": ["username", "password"],
    "properties": {
        "grant_type": {"type": "string", "enum": ["password"]},
        "username": {"type": "string", "description": "The business's email."},
        "password": {"type": "string", "format": "password"},
    },
}


@router.post(
    "/register_business",
    status_code=status.HTTP_201_CREATED,
    response_model=RegisteredBusiness,
    response_model_exclude_none=True,
    responses=error_responses(EmailAlreadyRegistered),
)
def register_business(
    data: RegisterBusiness, session: WriteSession, publisher: PublisherDep
) -> RegisteredBusiness:
    """Register a business (its email must be new); announces `business.registered`."""
    business = business_service.register(session, data, publisher=publisher)
    identity = BusinessIdentity.model_validate(business)
    return RegisteredBusiness(**identity.model_dump(), loyalty_rate=data.loyalty_rate)


@router.post(
    "/login_business",
    response_model=TokenResponse,
    responses=error_responses(InvalidCredentials, UnsupportedGrantType, UnsupportedMediaType),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": LoginBusiness.model_json_schema()},
                "application/x-www-form-urlencoded": {"schema": _LOGIN_FORM_SCHEMA},
            },
        }
    },
)
def login_business(
    credentials: LoginCredentials,
    session: ReadSession,
    issuer: IssuerDep,
    response: Response,
) -> TokenResponse:
    """Exchange a business's email and password (JSON, or the OAuth2 password form) for a token."""
    business = business_service.authenticate(session, credentials.email, credentials.password)
    issued = issuer.business_token(business.id)
    response.headers["Cache-Control"] = "no-store"
    return TokenResponse(access_token=issued.access_token, expires_in=issued.expires_in)


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
    responses=error_responses(UnknownBusiness, Forbidden, InvalidInput),
)
def update_me(
    changes: UpdateBusiness,
    business: SignedInBusinessToChange,
    session: WriteSession,
    publisher: PublisherDep,
) -> BusinessIdentity:
    """Change the signed-in business's name or contact person; announces `business.updated`."""
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
