"""The reports service app: a read model of loyalty's ledger and the report routes.

:func:`create_app` builds the app on the shared skeleton. At start-up the database is
migrated; there is no background worker (loyalty's outbox pushes the events here).

- In: ``POST /internal/events`` (service token) takes ``points.earned``,
  ``points.redeemed`` and ``points.referral_bonus`` from loyalty, deduplicated by event
  id and by transaction id (``ingest``). ``python -m mubayiro.reports backfill`` feeds
  the same path from loyalty's ``GET /internal/ledger``.
- Out: ``GET /reports/*`` (business token) answers the caller's own figures from the
  aggregate tables (``figures``).
"""

from __future__ import annotations

from fastapi import FastAPI

from mubayiro.common.app import create_service_app
from mubayiro.common.events import events_router
from mubayiro.common.tokens import TokenVerifier
from mubayiro.reports.config import ALEMBIC_INI, ReportsSettings
from mubayiro.reports.figures.endpoints import internal_router as internal_figures_router
from mubayiro.reports.figures.endpoints import router as figures_router
from mubayiro.reports.ingest.consumers import event_handlers
from mubayiro.reports.models import processed_event

__all__ = ["ALEMBIC_INI", "create_app"]

DESCRIPTION = (
    "Per-business reports of the Mubayiro coalition — points issued, redemptions, "
    "customers, top customers, and a daily series — from a read model fed by loyalty's "
    "events. Every figure is the calling business's own."
)


def create_app(
    settings: ReportsSettings | None = None,
    *,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    """Build the reports app (``token_verifier`` replaces the JWKS-backed one in tests)."""
    settings = settings or ReportsSettings()
    return create_service_app(
        settings,
        title="Mubayiro reports",
        description=DESCRIPTION,
        routers=[
            figures_router,
            internal_figures_router,
            events_router(event_handlers(), processed_event),
        ],
        alembic_ini=ALEMBIC_INI,
        token_verifier=token_verifier,
        openapi_tags=[{"name": "reports", "description": "Your business's figures."}],
    )
