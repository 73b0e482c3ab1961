"""The referrals service's FastAPI app: ``create_app`` wires settings, peers and workers.

Run with ``uvicorn --factory mubayiro.referrals.main:create_app`` (or
``mubayiro-referrals``). On start the database is migrated, then two threads start: the
invitation sender (owed invitation SMS → notifications' ``/internal/sms``) and the outbox
dispatcher (``referral.completed`` → the subscribers in ``event_subscribers``, none by
default). ``POST /internal/events`` receives loyalty's ``points.earned`` (see
``purchases``). Both call peers with this service's token from auth. On stop they stop and
the peer clients are closed.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from mubayiro.common.app import create_service_app
from mubayiro.common.events import EventPublisher, OutboxDispatcher, events_router
from mubayiro.common.ratelimit import RateLimiter
from mubayiro.common.tokens import ServiceTokenProvider, TokenVerifier
from mubayiro.referrals.clients.loyalty import LoyaltyClient
from mubayiro.referrals.clients.notifications import NotificationsClient
from mubayiro.referrals.config import ALEMBIC_INI, ReferralsSettings
from mubayiro.referrals.invitations.endpoints import router as invitations_router
from mubayiro.referrals.invitations.sender import InvitationSender
from mubayiro.referrals.models import QUEUES, outbox, processed_event, rate_limit
from mubayiro.referrals.purchases.consumers import event_handlers
from mubayiro.referrals.shop_settings.endpoints import router as settings_router
from mubayiro.referrals.tracking.endpoints import router as referrals_router
from mubayiro.referrals.tracking.service import REFERRAL_COMPLETED

__all__ = ["ALEMBIC_INI", "create_app"]

DESCRIPTION = (
    "Referrals of the Mubayiro coalition: customers invite friends by SMS; a friend who "
    "buys at a shop becomes that shop's pending referral, and shops track referrals at "
    "the till; a shop completes a referral once the friend has bought there (the "
    "referrer's bonus is paid by loyalty exactly once)."
)


def create_app(
    settings: ReferralsSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    peer_transport: httpx.BaseTransport | None = None,
) -> FastAPI:
    """Build the referrals app.

    ``token_verifier`` replaces the JWKS-backed verifier; ``peer_transport`` replaces the
    network under every peer call — auth's token endpoint, loyalty, notifications and the
    event subscribers (tests pass ``httpx.MockTransport``).
    """
    settings = settings or ReferralsSettings()

    app = create_service_app(
        settings,
        title="Mubayiro referrals",
        description=DESCRIPTION,
        routers=[
            settings_router,
            referrals_router,
            invitations_router,
            events_router(event_handlers(), processed_event),
        ],
        alembic_ini=ALEMBIC_INI,
        queues=QUEUES,
        token_verifier=token_verifier,
        on_startup=[_start_workers],
        on_shutdown=[_stop_workers],
    )

    token_http = httpx.Client(timeout=settings.http_timeout_seconds, transport=peer_transport)
    tokens = ServiceTokenProvider.for_service(settings, http=token_http)
    publisher = EventPublisher(
        outbox,
        source=settings.service_name,
        routes={REFERRAL_COMPLETED: list(settings.event_subscribers)},
        endpoints=dict(settings.event_subscribers),
    )
    notifications = NotificationsClient(
        settings.notifications_url, token_provider=tokens,
        timeout=settings.http_timeout_seconds, transport=peer_transport,
    )
    app.state.token_http = token_http
    app.state.publisher = publisher
    app.state.rate_limiter = RateLimiter.for_database(
        app.state.database, rate_limit, settings.rate_limit_storage_url
    )
    app.state.loyalty_client = LoyaltyClient(
        settings.loyalty_url, token_provider=tokens, timeout=settings.http_timeout_seconds,
        transport=peer_transport,
    )
    app.state.notifications_client = notifications
    app.state.invitation_sender = InvitationSender(
        app.state.database,
        notifications,
        poll_seconds=settings.invite_sms_poll_seconds,
        retry_base_seconds=settings.invite_sms_retry_base_seconds,
        max_backoff_seconds=settings.max_backoff_seconds,
        lease_seconds=settings.invite_sms_lease_seconds,
        # The client retries twice: one request may take three timeouts.
        request_timeout_seconds=3 * settings.http_timeout_seconds,
    )
    app.state.dispatcher = OutboxDispatcher.for_service(
        settings, app.state.database, publisher, token_provider=tokens, transport=peer_transport
    )
    return app


def _start_workers(app: FastAPI) -> None:
    app.state.invitation_sender.start()
    app.state.dispatcher.start()


def _stop_workers(app: FastAPI) -> None:
    app.state.dispatcher.stop()
    app.state.invitation_sender.stop()
    app.state.loyalty_client.close()
    app.state.notifications_client.close()
    app.state.token_http.close()
