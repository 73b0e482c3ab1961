"""Choosing the SMS provider from the environment."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mubayiro.notifications.config import NotificationsSettings
from mubayiro.notifications.sms.providers import (
    ConsoleSmsProvider,
    TwilioSmsProvider,
    provider_from_settings,
)

SID = "AC" + "2" * 32
TOKEN = "a-real-twilio-token"
FROM = "+15005550006"
PROD = {"environment": "production", "service_client_secret": "a-real-production-secret"}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No Twilio or notifications variables from the developer's shell, no ``.env``."""
    import os

    for name in list(os.environ):
        if name.upper().startswith(("TWILIO_", "NOTIFICATIONS_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def _settings(**values) -> NotificationsSettings:
    return NotificationsSettings(_env_file=None, **values)  # type: ignore[call-arg]


def test_console_when_twilio_is_not_configured():
    settings = _settings()

    assert settings.active_sms_provider == "console"
    assert isinstance(provider_from_settings(settings), ConsoleSmsProvider)


@pytest.mark.parametrize("prefix", ["NOTIFICATIONS_", ""], ids=["prefixed", "unprefixed"])
def test_twilio_when_the_three_variables_are_set(monkeypatch, prefix):
    monkeypatch.setenv(f"{prefix}TWILIO_ACCOUNT_SID", SID)
    monkeypatch.setenv(f"{prefix}TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv(f"{prefix}TWILIO_FROM_NUMBER", FROM)

    settings = _settings()

    assert settings.active_sms_provider == "twilio"
    assert settings.twilio_account_sid == SID
    assert settings.twilio_auth_token.get_secret_value() == TOKEN
    assert settings.twilio_from_number == FROM
    provider = provider_from_settings(settings)
    assert isinstance(provider, TwilioSmsProvider)
    assert provider.from_number == FROM
    provider.close()


def test_prefixed_variable_wins_over_unprefixed(monkeypatch):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC-unprefixed")
    monkeypatch.setenv("NOTIFICATIONS_TWILIO_ACCOUNT_SID", SID)

    assert _settings().twilio_account_sid == SID


def test_twilio_settings_from_dotenv_file(tmp_path):
    env = tmp_path / ".env"
    env.write_text(f"TWILIO_ACCOUNT_SID={SID}\nTWILIO_AUTH_TOKEN={TOKEN}\n"
                   f"NOTIFICATIONS_TWILIO_FROM_NUMBER={FROM}\n")

    settings = NotificationsSettings(_env_file=env)  # type: ignore[call-arg]

    assert settings.active_sms_provider == "twilio"


def test_auth_token_is_a_secret_not_shown_in_repr(monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)

    assert TOKEN not in repr(_settings())


@pytest.mark.parametrize("missing", ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
                                     "TWILIO_FROM_NUMBER"])
def test_partly_configured_twilio_falls_back_to_console_in_development(monkeypatch, missing):
    for name, value in {"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN,
                        "TWILIO_FROM_NUMBER": FROM}.items():
        if name != missing:
            monkeypatch.setenv(name, value)

    settings = _settings()

    assert settings.active_sms_provider == "console"
    assert settings.twilio_partly_configured
    assert settings.missing_twilio_settings == [missing]


def test_empty_variables_count_as_unset(monkeypatch):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "")
    monkeypatch.setenv("TWILIO_FROM_NUMBER", FROM)

    settings = _settings()

    assert settings.twilio_auth_token is None
    assert settings.active_sms_provider == "console"


def test_explicit_console_wins_over_configured_twilio():
    settings = _settings(sms_provider="console", twilio_account_sid=SID,
                         twilio_auth_token=TOKEN, twilio_from_number=FROM)

    assert settings.active_sms_provider == "console"


def test_explicit_twilio_without_credentials_refuses_to_start():
    with pytest.raises(ValidationError, match="TWILIO_AUTH_TOKEN"):
        _settings(sms_provider="twilio", twilio_account_sid=SID, twilio_from_number=FROM)


def test_production_without_twilio_refuses_to_start():
    with pytest.raises(ValidationError, match="NOTIFICATIONS_SMS_PROVIDER=console"):
        _settings(**PROD)


def test_production_with_console_chosen_explicitly_starts():
    assert _settings(sms_provider="console", **PROD).active_sms_provider == "console"


def test_production_with_twilio_starts():
    settings = _settings(twilio_account_sid=SID, twilio_auth_token=TOKEN,
                         twilio_from_number=FROM, **PROD)

    assert settings.active_sms_provider == "twilio"


@pytest.mark.parametrize("token", ["changeme", "dev-twilio"])
def test_production_refuses_a_placeholder_twilio_token(token):
    with pytest.raises(ValidationError, match="real Twilio auth token"):
        _settings(twilio_account_sid=SID, twilio_auth_token=token, twilio_from_number=FROM,
                  **PROD)


def test_lease_must_outlast_a_send():
    with pytest.raises(ValidationError, match="sms_lease_seconds"):
        _settings(sms_lease_seconds=15, sms_send_timeout_seconds=10)


def test_loyalty_url_defaults_to_the_development_port():
    assert _settings().loyalty_url == "http://127.0.0.1:8102"


def test_public_base_url_is_optional_and_loses_its_trailing_slash(monkeypatch):
    assert _settings().public_base_url is None
    monkeypatch.setenv("NOTIFICATIONS_PUBLIC_BASE_URL", "")
    assert _settings().public_base_url is None
    monkeypatch.setenv("NOTIFICATIONS_PUBLIC_BASE_URL", "https://loyalty.example.com/")
    assert _settings().public_base_url == "https://loyalty.example.com"


@pytest.mark.parametrize("url", ["loyalty.example.com", "ftp://x.example",
                                 "https://x.example/sms/inbound", "https://x.example?q=1"])
def test_public_base_url_must_be_an_origin(url):
    with pytest.raises(ValidationError, match="public_base_url"):
        _settings(public_base_url=url)
