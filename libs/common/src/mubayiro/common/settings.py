"""The settings every service shares, read from the environment and ``.env``.

Each service subclasses :class:`ServiceSettings` with its own ``env_prefix``
(``LOYALTY_``, ``AUTH_``, …), so one ``.env`` can configure the whole platform
without names colliding. Development gets working defaults (local ports, SQLite
files under ``data/``, well-known development client secrets); production refuses
to start with a development secret or without the secrets it needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]

#: Ports of the services when the whole platform runs on one machine (README, Procfile).
DEV_PORTS: dict[str, int] = {
    "auth": 8101,
    "loyalty": 8102,
    "notifications": 8103,
    "referrals": 8104,
    "reports": 8105,
    "mcp": 8106,
    "chatbot": 8107,
}


def dev_url(service: str) -> str:
    """Base URL of a service in the single-machine development layout."""
    return f"http://127.0.0.1:{DEV_PORTS[service]}"


def dev_client_secret(client_id: str) -> str:
    """The well-known development secret of a service client (refused in production)."""
    return f"dev-secret-{client_id}"


#: Values people leave in a template or an ``.env`` instead of a secret (compared in
#: lower case).
PLACEHOLDER_SECRETS = frozenset({"changeme", "change-me", "placeholder", "secret", "xxx"})


def is_placeholder_secret(value: str | None) -> bool:
    """True for a secret that must never guard production: missing or blank, a
    development one (``dev-…``, as :func:`dev_client_secret` makes), or a placeholder
    from :data:`PLACEHOLDER_SECRETS` — in any case and with any surrounding spaces.

    Every production check of a secret (service clients, the OTP secret, the Twilio
    token) asks this one question; a length rule, where one applies, comes on top.
    """
    text = (value or "").strip().lower()
    return not text or text.startswith("dev-") or text in PLACEHOLDER_SECRETS


class ServiceSettings(BaseSettings):
    """Settings common to every service; subclass with ``env_prefix`` set."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_file_encoding="utf-8")

    service_name: str = "service"
    #: Where ``python -m mubayiro.<service>`` listens.
    host: str = "127.0.0.1"
    #: 0 (unset): the service's development port, ``DEV_PORTS[service_name]``.
    port: int = 0
    environment: Environment = "development"
    log_level: str = "INFO"
    data_dir: Path = Path("data")
    database_url: str | None = None
    # SQLite busy timeout: how long a writer waits for the lock before failing.
    sqlite_busy_timeout_ms: int = 30_000

    auth_url: str = Field(default_factory=lambda: dev_url("auth"))
    jwt_issuer: str = "mubayiro-auth"
    jwt_audience: str = "mubayiro"
    jwt_service_audience: str = "mubayiro-internal"
    jwks_cache_seconds: int = 300

    service_client_id: str | None = None
    service_client_secret: SecretStr | None = None

    #: Where abuse limits are counted (``redis://…``, any ``limits`` storage URL); unset:
    #: in the service's own database (:mod:`mubayiro.common.ratelimit`).
    rate_limit_storage_url: str | None = None
    #: Addresses (or networks) of the gateway: only from them is ``X-Forwarded-For``
    #: believed as the client's address (uvicorn's ``forwarded_allow_ips``).
    trusted_proxies: str = "127.0.0.1"

    #: Countries (ISO codes) whose numbers the platform texts; sign-in codes, consent
    #: codes, invitations and every other SMS to another country are refused or skipped
    #: (:func:`mubayiro.common.phone.sms_country_served`). ``<SVC>_SMS_COUNTRIES='["ZW","ZA"]'``.
    sms_countries: list[str] = Field(default_factory=lambda: ["ZW"])

    max_request_bytes: int = 64 * 1024
    http_timeout_seconds: float = 5.0

    #: Swagger UI and the OpenAPI document: on outside production unless set (``docs.py``).
    docs_enabled: bool | None = None
    #: Origins allowed to call this service from a browser on another origin (``docs.py``);
    #: empty: same-origin only. Exact origins such as ``https://kiosk.example.co.zw``.
    cors_origins: list[str] = Field(default_factory=list)

    outbox_poll_seconds: float = 1.0
    outbox_max_backoff_seconds: float = 60.0
    #: Rows one delivery round claims (a row per event and subscriber); issue 14: 300 keeps
    #: up with a sustained burst of awards where 100 fell behind.
    outbox_batch_size: int = 300

    @model_validator(mode="after")
    def _fill_development_defaults(self) -> ServiceSettings:
        if self.port == 0 and self.service_name in DEV_PORTS:
            self.port = DEV_PORTS[self.service_name]
        if self.service_client_id is None:
            self.service_client_id = self.service_name
        if self.service_client_secret is None and self.environment != "production":
            self.service_client_secret = SecretStr(dev_client_secret(self.service_client_id))
        if self.environment == "production":
            secret = self.service_client_secret
            if is_placeholder_secret(secret.get_secret_value() if secret else None):
                raise ValueError(
                    f"{self.service_name}: a real SERVICE_CLIENT_SECRET is required in production"
                )
        return self

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL: ``database_url`` or a SQLite file under ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / f'{self.service_name}.db').as_posix()}"

    @property
    def jwks_url(self) -> str:
        """Where the auth service publishes its public keys."""
        return f"{self.auth_url.rstrip('/')}/auth/.well-known/jwks.json"

    @property
    def docs_are_enabled(self) -> bool:
        """Whether the API documentation is served (explicit setting, else not in production)."""
        return self.docs_enabled if self.docs_enabled is not None else self.is_development

    @property
    def is_development(self) -> bool:
        """True outside production (development and test)."""
        return self.environment != "production"
