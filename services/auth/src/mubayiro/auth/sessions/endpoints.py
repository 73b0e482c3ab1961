"""``POST /auth/login_business``, ``POST /auth/refresh`` and ``POST /auth/logout``.

The login answers an access token (minutes) and a refresh token (a shift); the admin
app renews the access token with the refresh token before it expires, so a cashier
signs in once per shift. See :mod:`mubayiro.auth.sessions.service`.
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from mubayiro.auth.businesses.dependencies import LoginCredentials
from mubayiro.auth.businesses.exceptions import (
    InvalidCredentials,
    UnsupportedGrantType,
    UnsupportedMediaType,
)
from mubayiro.auth.businesses.schemas import LoginBusiness
from mubayiro.auth.deps import ClockDep, IssuerDep, ReadSession, WriteSession
from mubayiro.auth.limits import LoginGuard
from mubayiro.auth.sessions.dependencies import SessionPolicyDep
from mubayiro.auth.sessions.exceptions import InvalidRefreshToken
from mubayiro.auth.sessions.schemas import RefreshRequest, TokenPair
from mubayiro.auth.sessions.service import IssuedRefreshToken, session_service
from mubayiro.auth.staff.service import staff_service
from mubayiro.auth.tokens import TokenIssuer
from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import InvalidInput, error_responses
from mubayiro.common.ratelimit import TooManyAttempts

router = APIRouter(prefix="/auth", tags=["auth"], route_class=SessionRoute)

_LOGIN_FORM_SCHEMA = {
    "type": "object",
    "required": ["username", "password"],
    "properties": {
        "grant_type": {"type": "string", "enum": ["password"]},
        "username": {"type": "string", "description": "The staff member's email."},
        "password": {"type": "string", "format": "password"},
    },
}


def _pair(
    issuer: TokenIssuer, business_id: int, staff_id: int, staff_role: str,
    refresh: IssuedRefreshToken, *, now_expires_in: int, response: Response,
) -> TokenPair:
    access = issuer.business_token(business_id, staff_id=staff_id, staff_role=staff_role)
    # Tokens must not be kept by any cache between the server and the client.
    response.headers["Cache-Control"] = "no-store"
    return TokenPair(access_token=access.access_token, expires_in=access.expires_in,
                     refresh_token=refresh.token, refresh_expires_in=now_expires_in)


@router.post(
    "/login_business",
    response_model=TokenPair,
    responses=error_responses(
        InvalidCredentials, UnsupportedGrantType, UnsupportedMediaType, TooManyAttempts
    ),
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
    _limits: LoginGuard,
    credentials: LoginCredentials,
    read: ReadSession,
    session: WriteSession,
    issuer: IssuerDep,
    clock: ClockDep,
    policy: SessionPolicyDep,
    response: Response,
) -> TokenPair:
    """Sign a staff member (owner or cashier) in with their email and password (JSON, or
    the OAuth2 password form): an access token and the session's refresh token."""
    # The password is checked in the read transaction (the ~0.1 s hash must not hold
    # SQLite's write lock); only the new refresh token is written.
    member = staff_service.authenticate(read, credentials.email, credentials.password)
    now = clock()
    refresh = session_service.start(session, member.id, now=now, policy=policy)
    return _pair(issuer, member.business_id, member.id, member.role, refresh,
                 now_expires_in=refresh.expires_in(now), response=response)


@router.post(
    "/refresh",
    response_model=TokenPair,
    responses=error_responses(InvalidRefreshToken, InvalidInput),
)
def refresh_session(
    data: RefreshRequest,
    session: WriteSession,
    issuer: IssuerDep,
    clock: ClockDep,
    response: Response,
) -> TokenPair:
    """Exchange the session's refresh token for a new access token and the next refresh
    token (use each once: a used one ends the session)."""
    now = clock()
    member, refresh = session_service.rotate(session, data.refresh_token, now=now)
    return _pair(issuer, member.business_id, member.id, member.role, refresh,
                 now_expires_in=refresh.expires_in(now), response=response)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(InvalidInput),
)
def logout(data: RefreshRequest, session: WriteSession, clock: ClockDep) -> Response:
    """End the session of this refresh token (its access token expires on its own)."""
    session_service.end(session, data.refresh_token, now=clock())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
