"""``POST /auth/customer/otp/request`` and ``POST /auth/customer/otp/verify``, and the
internal ``POST /internal/customer_tokens``.

The internal route gives a short-lived customer token to a service that a phone's owner
reached through another channel that proves the phone: the chatbot answering an SMS
sent from that number (the SMS network vouches for the sender, as it does for the
``BALANCE`` command). Only the services named in ``customer_token_clients`` may ask.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from mubayiro.auth.businesses.schemas import TokenResponse
from mubayiro.auth.deps import (
    ClockDep,
    IssuerDep,
    OtpHasherDep,
    OtpPolicyDep,
    PublisherDep,
    ServiceCaller,
    SettingsDep,
    WriteSession,
)
from mubayiro.auth.limits import (
    CodeRequestGuard,
    CodeVerifyGuard,
    RateLimiterDep,
    count_code_request_for_phone,
)
from mubayiro.auth.otp.exceptions import (
    CustomerTokensNotAllowed,
    InvalidCode,
    TooManyAttempts,
    TooManyCodeRequests,
)
from mubayiro.auth.otp.schemas import (
    CodeRequested,
    DelegatedCustomerToken,
    RequestCode,
    VerifyCode,
)
from mubayiro.auth.otp.service import otp_service
from mubayiro.common import ratelimit
from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import InvalidInput, error_responses
from mubayiro.common.phone import PhoneCountryNotServed, sms_country_served

router = APIRouter(prefix="/auth/customer/otp", tags=["auth"], route_class=SessionRoute)
internal_router = APIRouter(prefix="/internal", tags=["internal"], include_in_schema=False,
                            route_class=SessionRoute)


@router.post(
    "/request",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CodeRequested,
    responses=error_responses(InvalidInput, PhoneCountryNotServed, TooManyCodeRequests),
)
def request_code(
    _limits: CodeRequestGuard,
    data: RequestCode,
    request: Request,
    limiter: RateLimiterDep,
    settings: SettingsDep,
    session: WriteSession,
    clock: ClockDep,
    policy: OtpPolicyDep,
    hasher: OtpHasherDep,
    publisher: PublisherDep,
) -> CodeRequested:
    """Text a six-digit sign-in code to the phone (the same 202 for every valid number)."""
    if not sms_country_served(data.phone_number, settings.sms_countries):
        raise PhoneCountryNotServed(
            "Sign-in codes are sent only to numbers of "
            + ", ".join(settings.sms_countries)
        )
    # Counted before the transaction begins (the counter is a write of its own).
    count_code_request_for_phone(limiter, settings, data.phone_number)
    otp_service.request_code(
        session, data.phone_number, now=clock(), policy=policy, hasher=hasher,
        publisher=publisher, client_address=ratelimit.client_address(request),
    )
    return CodeRequested(expires_in=int(policy.ttl.total_seconds()))


@router.post(
    "/verify",
    response_model=TokenResponse,
    responses=error_responses(InvalidInput, InvalidCode, TooManyAttempts),
)
def verify_code(
    _limits: CodeVerifyGuard,
    data: VerifyCode,
    session: WriteSession,
    clock: ClockDep,
    policy: OtpPolicyDep,
    hasher: OtpHasherDep,
    issuer: IssuerDep,
    response: Response,
) -> TokenResponse:
    """Exchange the phone's newest code for a customer token."""
    # A wrong code's spent try is kept although the answer is an error: the service
    # raises CommitThenRefuse, which the write session commits before it answers.
    otp_service.verify(
        session, data.phone_number, data.code, now=clock(), policy=policy, hasher=hasher
    )
    issued = issuer.customer_token(data.phone_number)
    response.headers["Cache-Control"] = "no-store"
    return TokenResponse(access_token=issued.access_token, expires_in=issued.expires_in)


@internal_router.post(
    "/customer_tokens",
    response_model=TokenResponse,
    responses=error_responses(CustomerTokensNotAllowed, InvalidInput),
)
def issue_delegated_customer_token(
    caller: ServiceCaller,
    data: DelegatedCustomerToken,
    settings: SettingsDep,
    issuer: IssuerDep,
    response: Response,
) -> TokenResponse:
    """A short-lived customer token for a phone the calling service vouches for."""
    if caller.client_id not in settings.customer_token_clients:
        raise CustomerTokensNotAllowed()
    issued = issuer.customer_token(
        data.phone_number, lifetime=settings.delegated_customer_token_seconds
    )
    response.headers["Cache-Control"] = "no-store"
    return TokenResponse(access_token=issued.access_token, expires_in=issued.expires_in)
