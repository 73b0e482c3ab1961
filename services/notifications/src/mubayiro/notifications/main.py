"""The notifications service app: SMS out (outbox, providers, events) and SMS in (commands).

:func:`create_app` builds the app on the shared skeleton. At start-up the database is
migrated, then the :class:`~mubayiro.notifications.sms.sender.SmsSender` thread starts;
it stops when the app shuts down, and the peer clients are closed.

- Out: events on ``POST /internal/events`` (``points.earned``, ``points.redeemed``,
  ``points.referral_bonus``, ``customer.otp_requested``) and other services'
  ``POST /internal/sms`` only store SMS; the sender delivers them (``sms/sender.py``),
  skipping non-essential ones to numbers that replied STOP (``optouts``).
- In: ``POST /sms/inbound`` is Twilio's webhook; the commands (BALANCE, HELP, STOP,
  START) are channel-independent (``inbound``), and BALANCE asks loyalty with this
  service's token from auth; any other text goes to the chatbot (when ``chatbot_url``
  is set), whose answer goes back as the reply.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import httpx
from fastapi import FastAPI

from mubayiro.common.app import create_service_app
from mubayiro.common.events import events_router
from mubayiro.common.tokens import ServiceTokenProvider, TokenVerifier
from mubayiro.notifications.clients.chatbot import ChatbotClient
from mubayiro.notifications.clients.loyalty import LoyaltyClient
from mubayiro.notifications.config import NotificationsSettings
from mubayiro.notifications.events.consumers import event_handlers
from mubayiro.notifications.inbound.endpoints import router as inbound_router
from mubayiro.notifications.models import QUEUES, processed_event
from mubayiro.notifications.sms.endpoints import router as sms_router
from mubayiro.notifications.sms.providers import SmsProvider, provider_from_settings
from mubayiro.notifications.sms.sender import SmsSender
from mubayiro.notifications.sms.texts import KIND_OTP_CODE

logger = logging.getLogger(__name__)

#: services/notifications/alembic.ini, found from this file (src/mubayiro/notifications/).
ALEMBIC_INI = Path(__file__).resolve().parents[3] / "alembic.ini"


def create_app(
    settings: NotificationsSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    sms_provider: SmsProvider | None = None,
    peer_transport: httpx.BaseTransport | None = None,
) -> FastAPI:
    """Build the notifications app.

    ``sms_provider`` replaces the provider chosen by the settings (tests use it to
    script failures); ``peer_transport`` replaces the network under the loyalty client
    and the service-token fetch from auth (tests pass ``httpx.MockTransport``).
    """
    settings = settings or NotificationsSettings()
    provider = sms_provider or provider_from_settings(settings)
    wakeup = threading.Event()

    app = create_service_app(
        settings,
        title="Mubayiro notifications",
        description=(
            "SMS to and from customers: the outbox, its sender and the events that fill "
            "it; opt-outs; inbound commands (BALANCE, HELP, STOP, START)."
        ),
        routers=[
            sms_router,
            inbound_router,
            events_router(
                event_handlers(
                    provider_name=provider.name, wakeup=wakeup,
                    countries=settings.sms_countries,
                ), processed_event
            ),
        ],
        alembic_ini=ALEMBIC_INI,
        queues=QUEUES,
        token_verifier=token_verifier,
        on_startup=[_start_sender],
        on_shutdown=[_stop_workers],
    )
    app.state.sms_provider = provider
    app.state.sms_sender = SmsSender(
        app.state.database,
        provider,
        wakeup=wakeup,
        poll_seconds=settings.sms_poll_seconds,
        retry_base_seconds=settings.sms_retry_base_seconds,
        max_backoff_seconds=settings.max_backoff_seconds,
        batch_size=settings.sms_batch_size,
        lease_seconds=settings.sms_lease_seconds,
        send_timeout_seconds=settings.sms_send_timeout_seconds,
        # Development keeps codes readable: the outbox page and the tests sign in with them.
        redact_kinds=frozenset({KIND_OTP_CODE}) if settings.environment == "production"
        else frozenset(),
    )
    app.state.token_http = httpx.Client(
        timeout=settings.http_timeout_seconds, transport=peer_transport
    )
    tokens = ServiceTokenProvider.for_service(settings, http=app.state.token_http)
    # One retry at most: the BALANCE reply must reach Twilio within its 15 s.
    app.state.loyalty_client = LoyaltyClient(
        settings.loyalty_url,
        token_provider=tokens,
        timeout=settings.loyalty_timeout_seconds,
        retries=1,
        transport=peer_transport,
    )
    # No retry: a chat message is not idempotent at the chatbot, and the answer must
    # reach Twilio within its 15 s.
    app.state.chatbot_client = ChatbotClient(
        settings.chatbot_url,
        token_provider=tokens,
        timeout=settings.chatbot_timeout_seconds,
        retries=0,
        transport=peer_transport,
    ) if settings.chatbot_url else None
    return app


def _start_sender(app: FastAPI) -> None:
    settings: NotificationsSettings = app.state.settings
    if settings.twilio_partly_configured and settings.sms_provider == "auto":
        logger.warning(
            "Twilio is only partly configured; SMS go to the console",
            extra={"missing": settings.missing_twilio_settings},
        )
    logger.info("sms provider", extra={"provider": app.state.sms_provider.name})
    app.state.sms_sender.start()


def _stop_workers(app: FastAPI) -> None:
    app.state.sms_sender.stop()
    close = getattr(app.state.sms_provider, "close", None)
    if callable(close):
        close()
    app.state.loyalty_client.close()
    if app.state.chatbot_client is not None:
        app.state.chatbot_client.close()
    app.state.token_http.close()
