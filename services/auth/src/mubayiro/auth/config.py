"""Settings of the auth service (environment prefix ``AUTH_``).

Beyond the shared :class:`~mubayiro.common.settings.ServiceSettings`, auth holds the
signing key, the lifetimes of the tokens it issues, the OAuth2 clients (the other
services) allowed to get service tokens, the customer one-time-code policy and its
pepper, and where its event subscribers live.

It also holds the rules of business accounts: whether new businesses are approved
automatically (``AUTH_AUTO_APPROVE_BUSINESSES``: on outside production unless set, off
in production unless set), which service clients act for the platform operator
(``AUTH_OPERATOR_CLIENTS``), how long a staff session lasts, password reset links, and
the mail provider that sends them (``console`` in development, ``smtp`` required in
production, configured by ``AUTH_SMTP_*``).

Development and test work out of the box: the signing key and the OTP pepper are
generated into ``data_dir/auth/`` on first start (see :mod:`mubayiro.auth.keys` and
:mod:`mubayiro.auth.otp.codes`) and every service in ``DEV_PORTS``, plus ``devtools``
(local tools such as the demo loader, ``scripts/demo_data.py``), is a client with its
well-known development secret. Production refuses to start without
``AUTH_JWT_PRIVATE_KEY``, ``AUTH_SERVICE_CLIENTS``, ``AUTH_OTP_SECRET``, an SMTP mail
provider and an https ``AUTH_PASSWORD_RESET_URL``, and refuses development or short
secrets.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from mubayiro.common.ratelimit import LimitSetting
from mubayiro.common.settings import (
    DEV_PORTS,
    ServiceSettings,
    dev_client_secret,
    dev_url,
    is_placeholder_secret,
)

_PEM_BLOCK = re.compile(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", re.DOTALL)
_CLIENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MIN_PRODUCTION_SECRET_LENGTH = 16
MIN_OTP_SECRET_LENGTH = 32


#: A development-only client for local tools (``make demo`` imports history with it).
DEVTOOLS_CLIENT_ID = "devtools"
#: The platform operator's client (approves and suspends businesses over
#: ``/internal/operator/*``); in development it has the usual well-known secret.
OPERATOR_CLIENT_ID = "operator"
#: Where a password reset link points in development: the admin UI behind Traefik.
DEV_PASSWORD_RESET_URL = "https://localhost:8443/admin/reset-password"


def _dev_clients() -> dict[str, SecretStr]:
    names = [*DEV_PORTS, DEVTOOLS_CLIENT_ID, OPERATOR_CLIENT_ID]
    return {name: SecretStr(dev_client_secret(name)) for name in names}


class AuthSettings(ServiceSettings):
    """Configuration of the auth service."""

    model_config = SettingsConfigDict(env_prefix="AUTH_", env_file=".env", extra="ignore")

    service_name: str = "auth"

    #: PEM of the RSA private key that signs every token. Required in production; in
    #: development a key is generated into ``data_dir/auth/jwt_private_key.pem``.
    jwt_private_key: SecretStr | None = None
    #: PEMs of public keys that signed tokens before the last rotation: still published
    #: in the JWKS so tokens they signed stay valid until they expire. One string with
    #: the PEM blocks one after another, or a JSON list of PEM strings.
    jwt_previous_public_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)

    #: Access tokens of staff: short, since other services check them offline and a
    #: removed member's token lives until it expires; the session's refresh token
    #: renews them for a whole shift.
    business_token_seconds: int = Field(default=900, ge=60, le=7 * 24 * 3600)
    customer_token_seconds: int = Field(default=3600, ge=60, le=30 * 24 * 3600)
    service_token_seconds: int = Field(default=900, ge=60, le=3600)
    #: Service clients that may get a customer token for a phone another channel vouches
    #: for (``POST /internal/customer_tokens``): the chatbot, answering an SMS from that
    #: phone. Any other service is refused (403).
    customer_token_clients: list[str] = Field(default_factory=lambda: ["chatbot"])
    #: Lifetime of such a token: long enough for one chat turn, no longer.
    delegated_customer_token_seconds: int = Field(default=120, ge=30, le=900)

    #: OAuth2 client id → secret of every service allowed to get a service token
    #: (``AUTH_SERVICE_CLIENTS='{"loyalty": "…", "reports": "…"}'``).
    service_clients: dict[str, SecretStr] = Field(default_factory=dict)

    #: The server-side key (pepper) of the HMAC that stores one-time codes (see
    #: :mod:`mubayiro.auth.otp.codes`). Required in production, at least 32 characters;
    #: in development a random one is kept in ``data_dir/auth/otp_secret``.
    otp_secret: SecretStr | None = None
    #: How long a one-time code is valid.
    otp_ttl_seconds: int = Field(default=300, ge=30, le=3600)
    #: Wrong guesses allowed on one code; the next try is refused (429) even if right.
    otp_max_attempts: int = Field(default=5, ge=1, le=20)
    #: Codes one phone may request from one client address per ``otp_window_seconds``;
    #: one more is 429.
    otp_max_requests: int = Field(default=3, ge=1, le=100)
    otp_window_seconds: int = Field(default=900, ge=60, le=24 * 3600)

    #: Abuse limits, in the ``limits`` library's notation (``N/period``; see
    #: :mod:`mubayiro.common.ratelimit` and docs/security.md). Over one: 429 with
    #: ``Retry-After``. Wrong passwords per account and per client address (a right
    #: password is not counted, but is refused while a window is full):
    login_limit_per_account: LimitSetting = "10/15 minutes"
    login_limit_per_address: LimitSetting = "30/15 minutes"
    #: Sign-ups per client address (every attempt counts).
    registration_limit_per_address: LimitSetting = "10/hour"
    #: Wrong secrets per service client id (a right one is not counted).
    client_credentials_limit_per_client: LimitSetting = "10/15 minutes"
    #: Sign-in codes one client address may request, whatever the phones (one client
    #: texting many numbers is toll fraud), and one phone may be sent from anywhere (an
    #: SMS flood); the per-phone window above counts per phone *and* address, so a
    #: stranger's requests never use up the phone owner's own.
    otp_request_limit_per_address: LimitSetting = "10/hour"
    otp_request_limit_per_phone: LimitSetting = "10/hour"
    #: Wrong codes one client address may try, whatever the phones.
    otp_verify_limit_per_address: LimitSetting = "20/15 minutes"

    #: New businesses start ``active`` instead of ``pending`` (waiting for an operator).
    #: Unset: on in development and test, off in production.
    auto_approve_businesses: bool | None = None
    #: Service clients that act for the platform operator (``/internal/operator/*``).
    operator_clients: list[str] = Field(default_factory=lambda: [OPERATOR_CLIENT_ID])

    #: How long a staff session lasts from its login (a shift): its refresh tokens
    #: all end then, however often they were rotated.
    refresh_token_seconds: int = Field(default=12 * 3600, ge=300, le=7 * 24 * 3600)

    #: How long a password reset link works.
    password_reset_seconds: int = Field(default=1800, ge=300, le=24 * 3600)
    #: Reset links one member may be sent per window; more requests send nothing.
    password_reset_max_requests: int = Field(default=3, ge=1, le=100)
    password_reset_window_seconds: int = Field(default=3600, ge=60, le=24 * 3600)
    #: The admin UI page a reset link opens; the token follows in the fragment
    #: (``…#token=…``). Production requires an https URL.
    password_reset_url: str = DEV_PASSWORD_RESET_URL

    #: ``console`` (log and keep, development only) or ``smtp``.
    mail_provider: Literal["console", "smtp"] = "console"
    mail_from: str = "Mubayiro <no-reply@localhost>"
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    #: Upgrade the connection with STARTTLS (port 587); ignored with ``smtp_ssl``.
    smtp_starttls: bool = True
    #: Implicit TLS from the first byte (port 465).
    smtp_ssl: bool = False
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    #: Base URL of the loyalty service, the subscriber of ``business.*`` events
    #: (empty: not deployed, events for it are not written).
    loyalty_url: str | None = Field(default_factory=lambda: dev_url("loyalty"))
    #: Base URL of the notifications service, which texts one-time codes
    #: (``customer.otp_requested``; empty: not deployed, no code is sent anywhere).
    notifications_url: str | None = Field(default_factory=lambda: dev_url("notifications"))

    @field_validator("jwt_previous_public_keys", mode="before")
    @classmethod
    def _split_pems(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return []
            if text.startswith("["):
                return json.loads(text)
            blocks = _PEM_BLOCK.findall(text)
            if not blocks:
                raise ValueError("expected one or more PEM public keys")
            return blocks
        return value

    @field_validator("service_clients")
    @classmethod
    def _check_client_ids(cls, value: dict[str, SecretStr]) -> dict[str, SecretStr]:
        for client_id, secret in value.items():
            if not _CLIENT_ID.match(client_id):
                raise ValueError(f"client id {client_id!r}: use lowercase letters, digits, - or _")
            if not secret.get_secret_value():
                raise ValueError(f"client {client_id!r} has an empty secret")
        return value

    @field_validator("loyalty_url", "notifications_url")
    @classmethod
    def _empty_url_is_none(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return value.strip()

    @model_validator(mode="after")
    def _require_production_secrets(self) -> AuthSettings:
        if self.environment != "production":
            if not self.service_clients:
                self.service_clients = _dev_clients()
            return self
        if self.jwt_private_key is None or not self.jwt_private_key.get_secret_value().strip():
            raise ValueError("auth: AUTH_JWT_PRIVATE_KEY (an RSA private key PEM) is required "
                             "in production")
        if not self.service_clients:
            raise ValueError("auth: AUTH_SERVICE_CLIENTS is required in production")
        for client_id, secret in self.service_clients.items():
            value = secret.get_secret_value()
            if is_placeholder_secret(value) or len(value) < MIN_PRODUCTION_SECRET_LENGTH:
                raise ValueError(
                    f"auth: client {client_id!r} needs a real secret in production "
                    f"(at least {MIN_PRODUCTION_SECRET_LENGTH} characters, not a dev- secret)"
                )
        if self.mail_provider != "smtp" or not (self.smtp_host or "").strip():
            raise ValueError("auth: production sends password reset mail by SMTP: set "
                             "AUTH_MAIL_PROVIDER=smtp and AUTH_SMTP_HOST")
        if not self.password_reset_url.startswith("https://") or "localhost" in (
            self.password_reset_url
        ):
            raise ValueError("auth: AUTH_PASSWORD_RESET_URL must be the admin UI's public "
                             "https address of its reset page in production")
        otp_secret = self.otp_secret.get_secret_value().strip() if self.otp_secret else ""
        if is_placeholder_secret(otp_secret) or len(otp_secret) < MIN_OTP_SECRET_LENGTH:
            raise ValueError(
                f"auth: AUTH_OTP_SECRET is required in production (at least "
                f"{MIN_OTP_SECRET_LENGTH} random characters, not a dev- secret)"
            )
        return self

    @property
    def approves_businesses_automatically(self) -> bool:
        """Whether new businesses start ``active`` (explicit setting, else not in
        production)."""
        if self.auto_approve_businesses is not None:
            return self.auto_approve_businesses
        return self.is_development

    @property
    def key_file(self) -> Path:
        """Where the development signing key is kept."""
        return self.data_dir / "auth" / "jwt_private_key.pem"

    @property
    def otp_secret_file(self) -> Path:
        """Where the development OTP pepper is kept (next to the signing key)."""
        return self.data_dir / "auth" / "otp_secret"
