"""Settings of the notifications service (``NOTIFICATIONS_*`` environment variables).

Besides the shared :class:`~mubayiro.common.settings.ServiceSettings`, this service
chooses its SMS provider and tunes the background sender.

Which provider sends SMS (``sms_provider``):

- ``"auto"`` (default): Twilio when its account SID, auth token and sender number are
  all set, the console otherwise. In production the console is never picked silently:
  without Twilio the service refuses to start unless ``sms_provider="console"`` is
  chosen explicitly (a platform that prints its SMS to a log must be a deliberate choice).
- ``"twilio"``: Twilio; refuses to start when any of the three is missing.
- ``"console"``: SMS are written to the log and kept in the outbox.

Inbound SMS (``POST /sms/inbound``) are checked against the Twilio auth token, on the
public URL Twilio called: ``public_base_url`` when set, else the URL rebuilt from the
gateway's ``X-Forwarded-*`` headers. The BALANCE command asks loyalty (``loyalty_url``)
with this service's token from auth; any other text is a chat message for the chatbot
(``chatbot_url``; unset, it gets a short help).

The Twilio credentials are read from ``NOTIFICATIONS_TWILIO_*`` or, as Twilio's own
tools name them, from the unprefixed ``TWILIO_ACCOUNT_SID`` / ``TWILIO_AUTH_TOKEN`` /
``TWILIO_FROM_NUMBER`` (the prefixed name wins when both are set).
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from mubayiro.common.settings import ServiceSettings, dev_url, is_placeholder_secret

SmsProviderChoice = Literal["auto", "console", "twilio"]
ActiveSmsProvider = Literal["console", "twilio"]


def _twilio_alias(name: str) -> AliasChoices:
    # The first name found wins. `validate_by_name` (model_config) keeps
    # `NotificationsSettings(twilio_account_sid=...)` working beside the aliases.
    return AliasChoices(f"NOTIFICATIONS_TWILIO_{name.upper()}", f"TWILIO_{name.upper()}")


class NotificationsSettings(ServiceSettings):
    """Everything the notifications service reads from the environment."""

    model_config = SettingsConfigDict(
        env_prefix="NOTIFICATIONS_", env_file=".env", extra="ignore", validate_by_name=True
    )

    service_name: str = "notifications"

    sms_provider: SmsProviderChoice = "auto"
    twilio_account_sid: str | None = Field(
        default=None, validation_alias=_twilio_alias("account_sid")
    )
    twilio_auth_token: SecretStr | None = Field(
        default=None, validation_alias=_twilio_alias("auth_token")
    )
    twilio_from_number: str | None = Field(
        default=None, validation_alias=_twilio_alias("from_number")
    )
    #: Where the Twilio REST API lives; only changed to point at a fake Twilio in tests.
    twilio_api_base_url: str | None = None

    #: Base URL of the loyalty service (its ``/internal/*`` routes answer BALANCE).
    loyalty_url: str = Field(default_factory=lambda: dev_url("loyalty"))
    #: Timeout of one loyalty call. Twilio waits 15 s for a webhook's answer, and a
    #: BALANCE reply (one retry included) must come well within that.
    loyalty_timeout_seconds: float = Field(default=3.0, gt=0, le=10)
    #: Base URL of the chatbot, which answers inbound texts that are not commands
    #: (``/internal/chat/sms``). Empty: no chatbot deployed; such a text gets a short help.
    chatbot_url: str | None = Field(default_factory=lambda: dev_url("chatbot"))
    #: Timeout of one chat call: the chatbot asks auth and MCP (which asks loyalty), and
    #: the reply must still reach Twilio within its 15 s.
    chatbot_timeout_seconds: float = Field(default=10.0, gt=0, le=14)
    #: The public origin the platform is reached at (``https://loyalty.example.com``),
    #: for checking Twilio signatures; unset, it is rebuilt from ``X-Forwarded-*``.
    public_base_url: str | None = Field(default=None, pattern=r"^https?://[^/?#\s]+/?$")

    #: How long one call to the SMS provider may take before it counts as a temporary error.
    sms_send_timeout_seconds: float = Field(default=10.0, gt=0)
    #: How often the sender looks for due messages when nothing wakes it.
    sms_poll_seconds: float = Field(default=2.0, gt=0)
    #: How many messages the sender claims per round.
    sms_batch_size: int = Field(default=20, ge=1, le=500)
    #: First retry delay after a temporary failure; doubled per attempt.
    sms_retry_base_seconds: float = Field(default=2.0, gt=0)
    #: Upper bound of the retry delay.
    max_backoff_seconds: float = Field(default=300.0, gt=0)
    #: How long a claimed message is reserved for the sender that claimed it.
    sms_lease_seconds: float = Field(default=120.0, gt=0)

    @field_validator("public_base_url", "chatbot_url", mode="before")
    @classmethod
    def _empty_means_unset(cls, value: object) -> object:
        # NOTIFICATIONS_PUBLIC_BASE_URL= in a .env means "rebuild from the headers";
        # NOTIFICATIONS_CHATBOT_URL= means "no chatbot".
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @model_validator(mode="after")
    def _check_sms_provider(self) -> NotificationsSettings:
        # An empty variable (TWILIO_AUTH_TOKEN=) means "not set", not "an empty secret".
        if self.twilio_account_sid is not None and not self.twilio_account_sid.strip():
            self.twilio_account_sid = None
        if self.twilio_auth_token is not None and not self.twilio_auth_token.get_secret_value():
            self.twilio_auth_token = None
        if self.twilio_from_number is not None and not self.twilio_from_number.strip():
            self.twilio_from_number = None
        if self.public_base_url is not None:
            self.public_base_url = self.public_base_url.rstrip("/")

        if self.sms_lease_seconds <= 2 * self.sms_send_timeout_seconds:
            raise ValueError("sms_lease_seconds must exceed twice sms_send_timeout_seconds")

        missing = self.missing_twilio_settings
        if self.sms_provider == "twilio" and missing:
            raise ValueError(f"sms_provider=twilio needs {', '.join(missing)}")
        if self.environment == "production":
            if self.sms_provider == "auto" and missing:
                raise ValueError(
                    "notifications: Twilio is not configured (missing "
                    f"{', '.join(missing)}); set it up, or choose "
                    "NOTIFICATIONS_SMS_PROVIDER=console explicitly"
                )
            if self.active_sms_provider == "twilio":
                assert self.twilio_auth_token is not None
                if is_placeholder_secret(self.twilio_auth_token.get_secret_value()):
                    raise ValueError("notifications: a real Twilio auth token is required")
        return self

    @property
    def missing_twilio_settings(self) -> list[str]:
        """Names of the Twilio settings that are not set (empty when Twilio is configured)."""
        values = {
            "TWILIO_ACCOUNT_SID": self.twilio_account_sid,
            "TWILIO_AUTH_TOKEN": self.twilio_auth_token,
            "TWILIO_FROM_NUMBER": self.twilio_from_number,
        }
        return [name for name, value in values.items() if value is None]

    @property
    def twilio_partly_configured(self) -> bool:
        """True when some but not all Twilio settings are set (worth a warning)."""
        return 0 < len(self.missing_twilio_settings) < 3

    @property
    def active_sms_provider(self) -> ActiveSmsProvider:
        """The provider these settings select (see module doc)."""
        if self.sms_provider == "auto":
            return "console" if self.missing_twilio_settings else "twilio"
        return self.sms_provider
