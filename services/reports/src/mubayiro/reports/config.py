"""Settings of the reports service (environment variables prefixed ``REPORTS_``).

Besides the shared :class:`~mubayiro.common.settings.ServiceSettings` (database, auth
URL, token checks), reports needs to know where loyalty lives: the ``backfill``
command replays loyalty's ledger from ``GET /internal/ledger`` (``loyalty_url``), one
page of ``backfill_page_size`` transactions at a time, with this service's own token
from auth (client credentials). The API itself never calls loyalty: it answers from
its own read model, fed by loyalty's events.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from mubayiro.common.settings import ServiceSettings, dev_url

#: services/reports/alembic.ini, found from this file (src/mubayiro/reports/).
ALEMBIC_INI = Path(__file__).resolve().parents[3] / "alembic.ini"

#: The largest page loyalty's ledger route is asked for.
MAX_BACKFILL_PAGE_SIZE = 5000


class ReportsSettings(ServiceSettings):
    """Everything the reports service reads from the environment."""

    model_config = SettingsConfigDict(env_prefix="REPORTS_", env_file=".env", extra="ignore")

    service_name: str = "reports"

    #: Base URL of the loyalty service (its ``/internal/ledger`` feeds the backfill).
    loyalty_url: str = Field(default_factory=lambda: dev_url("loyalty"))
    #: How many ledger transactions the backfill asks loyalty for per page (and applies
    #: per database transaction).
    backfill_page_size: int = Field(default=1000, ge=1, le=MAX_BACKFILL_PAGE_SIZE)
    #: Timeout of one ledger page request.
    loyalty_timeout_seconds: float = Field(default=30.0, gt=0, le=300)
