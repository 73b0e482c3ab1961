"""Settings of the referrals service (environment variables prefixed ``REFERRALS_``).

Besides the shared :class:`~mubayiro.common.settings.ServiceSettings` (database, auth
URL, token checks, outbox timing) referrals needs its two peers — loyalty (is a phone a
customer, of a shop? pay the referral bonus) and notifications (send the invitation
SMS) — the bounds of its rules (bonus, default bonus, invitations), and the timing of
the invitation-SMS sender.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from mubayiro.common.money import MAX_POINTS
from mubayiro.common.ratelimit import LimitSetting
from mubayiro.common.settings import ServiceSettings, dev_url

#: The service's Alembic configuration (services/referrals/alembic.ini).
ALEMBIC_INI = Path(__file__).resolve().parents[3] / "alembic.ini"


class ReferralsSettings(ServiceSettings):
    """Configuration of the referrals service."""

    model_config = SettingsConfigDict(env_prefix="REFERRALS_", env_file=".env", extra="ignore")

    service_name: str = "referrals"

    #: Base URL of loyalty (``/internal/customers/{phone}/balance``,
    #: ``/internal/transactions/referral_bonus``).
    loyalty_url: str = Field(default_factory=lambda: dev_url("loyalty"))
    #: Base URL of notifications (``/internal/sms`` sends the invitations).
    notifications_url: str = Field(default_factory=lambda: dev_url("notifications"))
    #: Subscribers of ``referral.completed``: name → base URL (its ``/internal/events``
    #: receives the event). None are deployed yet, so by default no outbox rows are written.
    event_subscribers: dict[str, str] = Field(default_factory=dict)

    #: The largest bonus one completed referral may pay its referrer.
    max_referral_points: int = Field(default=10_000, ge=1, le=MAX_POINTS)
    #: The bonus a business offers on completion until its owner sets another
    #: (``PUT /referrals/settings``); capped by ``max_referral_points``.
    default_referral_points: int = Field(default=100, ge=1, le=MAX_POINTS)
    #: Invitations one customer may send per rolling 24 hours; one more is a 429.
    max_invites_per_day: int = Field(default=5, ge=1, le=1000)
    #: Invitation *attempts* per customer, refused ones included: each refusal
    #: (``AlreadyACustomer``, ``AlreadyReferred``) tells the inviter something about a
    #: number, so asking is what is limited (429 ``TooManyAttempts``).
    invite_attempt_limit: LimitSetting = "10/day"

    #: How often the invitation-SMS sender looks for due SMS when nothing wakes it.
    invite_sms_poll_seconds: float = Field(default=5.0, gt=0)
    #: First retry delay after notifications failed to take an SMS; doubled per attempt.
    invite_sms_retry_base_seconds: float = Field(default=2.0, gt=0)
    #: Upper bound of that delay (named as in notifications, whose SMS sender has one too).
    max_backoff_seconds: float = Field(default=300.0, gt=0)
    #: How long a claimed invitation is reserved for the sender round that claimed it.
    invite_sms_lease_seconds: float = Field(default=120.0, gt=0)

    @model_validator(mode="after")
    def _check_sender_timing(self) -> ReferralsSettings:
        # One request to notifications may take three timeouts (two retries) plus backoff;
        # the lease must outlast it, or a second round could send the same row meanwhile.
        if self.invite_sms_lease_seconds <= 3 * self.http_timeout_seconds + 1:
            raise ValueError("invite_sms_lease_seconds must exceed 3 × http_timeout_seconds + 1")
        return self
