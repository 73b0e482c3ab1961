"""Settings of the loyalty service (environment variables prefixed ``LOYALTY_``).

Besides the shared :class:`~mubayiro.common.settings.ServiceSettings` (database, auth
URL, token checks, outbox timing) the ledger needs: where its event subscribers live,
the largest amount of money one purchase may record, and the bounds of a loyalty rate;
the default award limits of a business (the operator changes one business's with
``python -m mubayiro.loyalty limits``); the customer's consent to spend (redemption
codes: ``require_customer_code`` and ``redemption_code_*``); the recommendation engine
needs the thresholds of its rules (``recommend_*``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from mubayiro.common.money import MAX_MONEY, MAX_POINTS
from mubayiro.common.settings import ServiceSettings, dev_url

#: The service's Alembic configuration (services/loyalty/alembic.ini).
ALEMBIC_INI = Path(__file__).resolve().parents[3] / "alembic.ini"

#: Loyalty rates are stored as Numeric(12, 4): at most 4 decimal places.
RATE_DECIMAL_PLACES = 4


class LoyaltySettings(ServiceSettings):
    """Configuration of the loyalty service."""

    model_config = SettingsConfigDict(env_prefix="LOYALTY_", env_file=".env", extra="ignore")

    service_name: str = "loyalty"

    # Subscribers of the points.* events; None means "not deployed" (no outbox rows for it).
    notifications_url: str | None = Field(default_factory=lambda: dev_url("notifications"))
    reports_url: str | None = Field(default_factory=lambda: dev_url("reports"))
    # Subscriber of points.earned (a friend's purchase completes a referral there).
    referrals_url: str | None = Field(default_factory=lambda: dev_url("referrals"))

    #: The largest ``amount_spent`` one purchase may record (at most the platform's
    #: ``MAX_MONEY``; checked by the ledger, ``transactions.service``).
    max_amount_spent: Decimal = Decimal("1000000")
    #: Points per unit of money for a business whose registration gave no rate.
    default_loyalty_rate: Decimal = Decimal("1")
    #: The largest loyalty rate a business may set.
    max_loyalty_rate: Decimal = Decimal("1000")

    #: The most points one award may give, unless the operator set another limit for the
    #: business (422 ``AwardLimitExceeded`` beyond). 100,000 points is a purchase of
    #: 100,000 at rate 1: far above a small shop's till, far below a mint.
    award_limit_per_transaction: int = Field(default=100_000, ge=1, le=MAX_POINTS)
    #: The most points a business may award in one UTC day (earns and referral
    #: bonuses), unless the operator set another (429 ``DailyAwardLimitReached``).
    award_limit_per_day: int = Field(default=1_000_000, ge=1)

    #: A redemption needs the code the customer got by SMS (docs/api.md, consent to
    #: spend). On by default; off only for a deployment whose shops have no customers'
    #: phones at the till (then a business still sees only its own customers).
    require_customer_code: bool = True
    #: How long a redemption code is valid: one visit at the till.
    redemption_code_ttl_seconds: int = Field(default=600, ge=60, le=3600)
    #: Wrong tries after which a code is dead (the right code then fails too).
    redemption_code_max_attempts: int = Field(default=5, ge=1, le=20)
    #: Codes one business may ask for one phone per hour (each is an SMS to the customer).
    redemption_code_max_requests_per_hour: int = Field(default=5, ge=1, le=60)

    #: The largest balance-import file (``POST /businesses/{id}/import/balances``): 8 MiB,
    #: the gateway's own limit, about 300,000 rows; larger is 413 ``ImportTooLarge``.
    import_max_bytes: int = Field(default=8 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    #: The most data rows one import file may have (422 beyond: split the file).
    import_max_rows: int = Field(default=200_000, ge=1, le=1_000_000)

    #: How often each replica runs the expiry job (``lots.expiry``); 0 turns the worker
    #: off (then run ``python -m mubayiro.loyalty expire`` from cron instead).
    expiry_interval_seconds: float = Field(default=3600, ge=0)

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
        if self.award_limit_per_transaction > self.award_limit_per_day:
            raise ValueError("award_limit_per_transaction must not exceed award_limit_per_day")
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
