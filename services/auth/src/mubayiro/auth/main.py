"""The auth service's FastAPI app: businesses' sign-up, their staff and its sessions
(login, refresh, logout, password reset), the operator's approval of businesses,
customers' sign-in by one-time code, service tokens, the JWKS.

Auth issues every token of the platform, so unlike the other services it does not
fetch a JWKS to check tokens: its verifier trusts its own key set directly. It
publishes ``business.*`` events to loyalty and ``customer.otp_requested`` to
notifications through its outbox, delivered by a background dispatcher started and
stopped with the app.

Run with ``uvicorn --factory mubayiro.auth.main:create_app`` (or ``python -m mubayiro.auth``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
from fastapi import FastAPI

from mubayiro.auth.businesses.endpoints import internal_router
from mubayiro.auth.businesses.endpoints import router as businesses_router
from mubayiro.auth.config import AuthSettings
from mubayiro.auth.events import create_dispatcher, create_publisher
from mubayiro.auth.keys import KeySet
from mubayiro.auth.mail import provider_from_settings
from mubayiro.auth.models import QUEUES, rate_limit
from mubayiro.auth.oauth.endpoints import router as oauth_router
from mubayiro.auth.operator.endpoints import router as operator_router
from mubayiro.auth.otp.codes import hasher_from_settings
from mubayiro.auth.otp.endpoints import internal_router as otp_internal_router
from mubayiro.auth.otp.endpoints import router as otp_router
from mubayiro.auth.otp.service import OtpPolicy
from mubayiro.auth.password_reset.endpoints import router as password_reset_router
from mubayiro.auth.password_reset.service import ResetPolicy
from mubayiro.auth.sessions.endpoints import router as sessions_router
from mubayiro.auth.sessions.service import SessionPolicy
from mubayiro.auth.staff.endpoints import internal_router as staff_internal_router
from mubayiro.auth.staff.endpoints import router as staff_router
from mubayiro.auth.tokens import TokenIssuer, local_verifier
from mubayiro.common.app import create_service_app
from mubayiro.common.db import utcnow
from mubayiro.common.ratelimit import RateLimiter
from mubayiro.common.tokens import TokenVerifier

#: services/auth/alembic.ini, found from this file (src/mubayiro/auth/main.py).
ALEMBIC_INI = Path(__file__).resolve().parents[3] / "alembic.ini"

DESCRIPTION = """Identity of the Mubayiro platform: businesses register here, their staff
(owners and cashiers) sign in for a shift (a short access token renewed with a rotating
refresh token) and reset forgotten passwords by e-mail, customers sign in with a one-time
code sent by SMS, services get their tokens here (OAuth2 client credentials), and every
service checks tokens offline with the public keys at `/auth/.well-known/jwks.json`."""


def create_app(
    settings: AuthSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    outbox_transport: httpx.BaseTransport | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """Build the auth app.

    ``token_verifier`` overrides the verifier built from auth's own keys;
    ``outbox_transport`` replaces the network for event delivery (tests); ``clock``
    (aware UTC ``datetime``) replaces the time one-time codes are issued and checked at,
    so tests can move past an expiry or a rate-limit window without sleeping.

    Raises:
        ValueError: a configured signing or previous public key cannot be used, the
            development OTP secret file is empty, or the mail provider lacks its host.
    """
    settings = settings or AuthSettings()
    key_set = KeySet.from_settings(settings)
    issuer = TokenIssuer(key_set, settings)
    otp_hasher = hasher_from_settings(settings)
    publisher = create_publisher(settings)
    mail_provider = provider_from_settings(settings)

    def start_dispatcher(app: FastAPI) -> None:
        dispatcher = create_dispatcher(
            settings, app.state.database, publisher, issuer, transport=outbox_transport
        )
        app.state.outbox_dispatcher = dispatcher
        dispatcher.start()

    def stop_dispatcher(app: FastAPI) -> None:
        dispatcher = getattr(app.state, "outbox_dispatcher", None)
        if dispatcher is not None:
            dispatcher.stop()
            app.state.outbox_dispatcher = None

    app = create_service_app(
        settings,
        title="Mubayiro auth",
        description=DESCRIPTION,
        routers=[
            businesses_router, sessions_router, staff_router, password_reset_router,
            otp_router, oauth_router, internal_router, staff_internal_router,
            otp_internal_router, operator_router,
        ],
        alembic_ini=ALEMBIC_INI,
        queues=QUEUES,
        token_verifier=token_verifier or local_verifier(key_set, settings),
        on_startup=[start_dispatcher],
        on_shutdown=[stop_dispatcher],
        openapi_tags=[
            {"name": "auth",
             "description": "Businesses' accounts, customers' one-time codes, and tokens."},
            {"name": "internal", "description": "Service-to-service routes (service token)."},
        ],
    )
    app.state.key_set = key_set
    app.state.token_issuer = issuer
    app.state.event_publisher = publisher
    app.state.otp_hasher = otp_hasher
    app.state.otp_policy = OtpPolicy.from_settings(settings)
    app.state.session_policy = SessionPolicy.from_settings(settings)
    app.state.reset_policy = ResetPolicy.from_settings(settings)
    app.state.mail_provider = mail_provider
    app.state.clock = clock or utcnow
    app.state.rate_limiter = RateLimiter.for_database(
        app.state.database, rate_limit, settings.rate_limit_storage_url
    )
    return app
