"""The loyalty service's FastAPI app: ``create_app`` wires settings, peers and workers.

Run with ``uvicorn --factory mubayiro.loyalty.main:create_app`` (or ``mubayiro-loyalty``).
On start the database is migrated, the outbox dispatcher starts delivering
``points.*`` events to notifications and reports with loyalty's service token, and
the expiry worker starts (``lots.expiry``, unless ``expiry_interval_seconds`` is 0);
on stop they are stopped and the peer clients are closed. The recommendation engine is the
rule-based one unless another ``Recommender`` is passed (see ``recommendations``).
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from mubayiro.common.app import create_service_app
from mubayiro.common.events import EventPublisher, OutboxDispatcher, events_router
from mubayiro.common.tokens import ServiceTokenProvider, TokenVerifier
from mubayiro.loyalty.businesses.consumers import business_event_handlers
from mubayiro.loyalty.businesses.endpoints import router as businesses_router
from mubayiro.loyalty.clients.auth import AuthClient
from mubayiro.loyalty.config import ALEMBIC_INI, LoyaltySettings
from mubayiro.loyalty.cross_promotions.endpoints import router as cross_promotions_router
from mubayiro.loyalty.customers.endpoints import router as customers_router
from mubayiro.loyalty.exports.endpoints import router as exports_router
from mubayiro.loyalty.imports.dependencies import IMPORT_PATH_PATTERN
from mubayiro.loyalty.imports.endpoints import router as imports_router
from mubayiro.loyalty.lots.expiry import ExpiryWorker
from mubayiro.loyalty.models import QUEUES, outbox, processed_event
from mubayiro.loyalty.recommendations.base import Recommender
from mubayiro.loyalty.recommendations.endpoints import router as recommendations_router
from mubayiro.loyalty.recommendations.rules import RuleBasedRecommender
from mubayiro.loyalty.reversals.endpoints import router as reversals_router
from mubayiro.loyalty.rewards.endpoints import router as rewards_router
from mubayiro.loyalty.transactions.endpoints import router as transactions_router
from mubayiro.loyalty.transactions.service import EVENT_ROUTES

DESCRIPTION = (
    "Loyalty programs, customers and the points ledger of the Mubayiro coalition: "
    "businesses award points, customers check one balance valid everywhere."
)


def create_app(
    settings: LoyaltySettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
    auth_transport: httpx.BaseTransport | None = None,
    events_transport: httpx.BaseTransport | None = None,
    recommender: Recommender | None = None,
) -> FastAPI:
    """Build the loyalty app.

    ``token_verifier`` replaces the JWKS-backed verifier, ``auth_transport`` the
    network under the auth client and the service-token fetch, ``events_transport``
    the network under the outbox dispatcher (tests pass ``httpx.MockTransport``),
    ``recommender`` the rule-based recommendation engine.
    """
    settings = settings or LoyaltySettings()

    app = create_service_app(
        settings,
        title="Mubayiro loyalty",
        description=DESCRIPTION,
        routers=[
            businesses_router,
            rewards_router,
            cross_promotions_router,
            transactions_router,
            reversals_router,
            exports_router,
            imports_router,
            recommendations_router,
            customers_router,
            events_router(business_event_handlers(settings), processed_event),
        ],
        alembic_ini=ALEMBIC_INI,
        queues=QUEUES,
        token_verifier=token_verifier,
        on_startup=[_start_workers],
        on_shutdown=[_stop_workers],
        # The balance import takes a file; it checks its own limit (import_max_bytes).
        larger_bodies=[(IMPORT_PATH_PATTERN, settings.import_max_bytes)],
    )

    token_http = httpx.Client(timeout=settings.http_timeout_seconds, transport=auth_transport)
    tokens = ServiceTokenProvider.for_service(settings, http=token_http)
    publisher = make_publisher(settings)
    app.state.recommender = recommender or RuleBasedRecommender(settings)
    app.state.known_business_ids = set()
    app.state.token_http = token_http
    app.state.publisher = publisher
    app.state.auth_client = AuthClient(
        settings.auth_url,
        token_provider=tokens,
        timeout=settings.http_timeout_seconds,
        transport=auth_transport,
    )
    app.state.dispatcher = OutboxDispatcher.for_service(
        settings, app.state.database, publisher, token_provider=tokens, transport=events_transport
    )
    app.state.expiry = (
        ExpiryWorker(app.state.database, publisher,
                     poll_seconds=settings.expiry_interval_seconds)
        if settings.expiry_interval_seconds else None
    )
    return app


def make_publisher(settings: LoyaltySettings) -> EventPublisher:
    """The outbox writer of loyalty's events (the app's, and the ``expire`` command's)."""
    return EventPublisher(
        outbox,
        source=settings.service_name,
        routes=EVENT_ROUTES,
        endpoints={"notifications": settings.notifications_url, "reports": settings.reports_url,
                   "referrals": settings.referrals_url},
    )


def _start_workers(app: FastAPI) -> None:
    app.state.dispatcher.start()
    if app.state.expiry is not None:
        app.state.expiry.start()


def _stop_workers(app: FastAPI) -> None:
    if app.state.expiry is not None:
        app.state.expiry.stop()
    app.state.dispatcher.stop()
    app.state.auth_client.close()
    app.state.token_http.close()
