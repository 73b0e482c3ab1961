"""Settings of the loyalty service (environment variables prefixed ``LOYALTY_``).

Besides the shared :class:`~mubayiro.common.settings.ServiceSettings` (database, auth
URL, token checks, outbox timing) the ledger needs: where its event subscribers live,
the largest amount of money one purchase may record, and the bounds of a loyalty rate;
the recommendation engine needs the thresholds of its rules (``recommend_*``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from mubayiro.common.money import MAX_MONEY
from mubayiro.common.settings import DEV_PORTS, ServiceSettings, dev_url

#: The service's Alembic configuration (services/loyalty/alembic.ini).
ALEMBIC_INI = Path(__file__).resolve().parents[3] / "alembic.ini"

#: Loyalty rates are stored as Numeric(12, 4): at most 4 decimal places.
RATE_DECIMAL_PLACES = 4


class LoyaltySettings(ServiceSettings):
    """Configuration of the loyalty service."""

    model_config = SettingsConfigDict(env_prefix="LOYALTY_", env_file=".env", extra="ignore")

    service_name: str = "loyalty"
    host: str = "127.0.0.1"
    port: int = DEV_PORTS["loyalty"]

    # Subscribers of the points.* events; None means "not deployed" (no outbox rows for it).
    notifications_url: str | None = Field(default_factory=lambda: dev_url("notifications"))
    reports_url: str | None = Field(default_factory=lambda: dev_url("reports"))

    #: The largest ``amount_spent`` one purchase may record (at most the platform's
    #: ``MAX_MONEY``; checked by the ledger, ``transactions.service``).
    max_amount_spent: Decimal = Decimal("1000000")
    #: Points per unit of money for a business whose registration gave no rate.
    default_loyalty_rate: Decimal = Decimal("1")
    #: The largest loyalty rate a business may set.
    max_loyalty_rate: Decimal = Decimal("1000")

    #: Rule ``near_reward`` (X): recommend a reward when the points still missing are at
    #: most this fraction of its cost (0.20: within 20%).
    recommend_near_reward_fraction: Decimal = Decimal("0.20")
    #: Rule ``inactivity`` (Y): a customer without a visit for this many days is missed.
    recommend_inactive_days: int = 30
    #: Rule ``co_visit``: how many other customers must have visited both businesses
    #: before "customers of A also visit B" is said (the minimum support).
    recommend_min_co_visits: int = 2

    @model_validator(mode="after")
    def _check_ledger_bounds(self) -> LoyaltySettings:
        if not 0 < self.max_amount_spent <= MAX_MONEY:
            raise ValueError(f"max_amount_spent must be positive and at most {MAX_MONEY}")
        if self.max_loyalty_rate < 0:
            raise ValueError("max_loyalty_rate must not be negative")
        rate = self.default_loyalty_rate
        if rate < 0 or rate > self.max_loyalty_rate:
            raise ValueError("default_loyalty_rate must be between 0 and max_loyalty_rate")
        if rate != rate.quantize(Decimal(1).scaleb(-RATE_DECIMAL_PLACES)):
            raise ValueError(f"default_loyalty_rate has more than {RATE_DECIMAL_PLACES} decimals")
        fraction = self.recommend_near_reward_fraction
        if not fraction.is_finite() or not 0 <= fraction <= 1:
            raise ValueError("recommend_near_reward_fraction must be between 0 and 1")
        if self.recommend_inactive_days < 1:
            raise ValueError("recommend_inactive_days must be at least 1")
        if self.recommend_min_co_visits < 1:
            raise ValueError("recommend_min_co_visits must be at least 1")
        return self
