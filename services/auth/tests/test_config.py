"""Settings: development defaults, what production refuses, reading from the environment."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import ValidationError

from mubayiro.auth.config import AuthSettings
from mubayiro.common.settings import DEV_PORTS

REAL = "a-real-secret-of-some-length"
OTP_SECRET = "x7Kq2LmN9pR4sT6vW8yZ1aB3cD5eF7gH"


def _production(**overrides):
    values = {"environment": "production", "service_client_secret": REAL,
              "service_clients": {"loyalty": REAL}, "otp_secret": OTP_SECRET,
              "mail_provider": "smtp", "smtp_host": "smtp.example.co.zw",
              "password_reset_url": "https://loyalty.example.co.zw/admin/reset-password"}
    values.update(overrides)
    return AuthSettings(_env_file=None, **values)


def test_development_clients_default_to_every_service_with_its_dev_secret():
    settings = AuthSettings(_env_file=None, environment="development")
    assert set(settings.service_clients) == set(DEV_PORTS) | {"devtools", "operator"}
    assert settings.service_clients["loyalty"].get_secret_value() == "dev-secret-loyalty"
    assert settings.business_token_seconds == 900
    assert settings.service_token_seconds == 900
    assert settings.port == 8101
    assert settings.loyalty_url == "http://127.0.0.1:8102"
    assert settings.notifications_url == "http://127.0.0.1:8103"
    assert settings.otp_secret is None  # generated into data_dir in development
    assert (settings.otp_ttl_seconds, settings.otp_max_attempts, settings.otp_max_requests,
            settings.otp_window_seconds) == (300, 5, 3, 900)


def test_production_without_a_signing_key_fails_to_build(signing_pem):
    with pytest.raises(ValidationError, match="AUTH_JWT_PRIVATE_KEY"):
        _production()
    with pytest.raises(ValidationError, match="AUTH_JWT_PRIVATE_KEY"):
        _production(jwt_private_key="  ")
    assert _production(jwt_private_key=signing_pem).jwt_private_key is not None


def test_production_needs_service_clients(signing_pem):
    with pytest.raises(ValidationError, match="AUTH_SERVICE_CLIENTS"):
        _production(jwt_private_key=signing_pem, service_clients={})


@pytest.mark.parametrize("secret", ["dev-secret-loyalty", "dev-anything-long-enough",
                                    "changeme", "short"])
def test_production_refuses_development_or_weak_client_secrets(signing_pem, secret):
    with pytest.raises(ValidationError, match="loyalty"):
        _production(jwt_private_key=signing_pem, service_clients={"loyalty": secret})


@pytest.mark.parametrize("client_id", ["Loyalty", "", "a b", "x" * 65])
def test_client_ids_must_be_simple_names(client_id):
    with pytest.raises(ValidationError, match="client id"):
        AuthSettings(_env_file=None, service_clients={client_id: "secret"})


def test_settings_come_from_the_environment(monkeypatch, signing_pem):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    other_pem = other.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    monkeypatch.setenv("AUTH_ENVIRONMENT", "production")
    monkeypatch.setenv("AUTH_SERVICE_CLIENT_SECRET", REAL)
    monkeypatch.setenv("AUTH_JWT_PRIVATE_KEY", signing_pem)
    monkeypatch.setenv("AUTH_JWT_PREVIOUS_PUBLIC_KEYS", other_pem + "\n" + other_pem)
    monkeypatch.setenv("AUTH_SERVICE_CLIENTS", json.dumps({"loyalty": REAL, "mcp": REAL + "2"}))
    monkeypatch.setenv("AUTH_BUSINESS_TOKEN_SECONDS", "600")
    monkeypatch.setenv("AUTH_OTP_SECRET", OTP_SECRET)
    monkeypatch.setenv("AUTH_OTP_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("AUTH_MAIL_PROVIDER", "smtp")
    monkeypatch.setenv("AUTH_SMTP_HOST", "smtp.example.co.zw")
    monkeypatch.setenv("AUTH_PASSWORD_RESET_URL", "https://loyalty.example.co.zw/admin/reset")
    settings = AuthSettings(_env_file=None)
    assert settings.environment == "production"
    assert len(settings.jwt_previous_public_keys) == 2
    assert settings.jwt_previous_public_keys[0].strip() == other_pem.strip()
    assert set(settings.service_clients) == {"loyalty", "mcp"}
    assert settings.business_token_seconds == 600
    assert settings.otp_secret.get_secret_value() == OTP_SECRET
    assert settings.otp_max_attempts == 3


def test_previous_public_keys_may_be_a_json_list(monkeypatch):
    pem = "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----"
    monkeypatch.setenv("AUTH_JWT_PREVIOUS_PUBLIC_KEYS", json.dumps([pem]))
    assert len(AuthSettings(_env_file=None).jwt_previous_public_keys) == 1


def test_previous_public_keys_must_be_pems():
    with pytest.raises(ValidationError, match="PEM"):
        AuthSettings(_env_file=None, jwt_previous_public_keys="just text")


def test_an_empty_loyalty_url_means_not_deployed():
    assert AuthSettings(_env_file=None, loyalty_url=" ").loyalty_url is None


def test_an_empty_notifications_url_means_not_deployed():
    assert AuthSettings(_env_file=None, notifications_url="").notifications_url is None


@pytest.mark.parametrize("secret", [None, "", "  ", "short-but-real",
                                    "dev-" + "x" * 40, "changeme"])
def test_production_needs_a_real_otp_secret(signing_pem, secret):
    with pytest.raises(ValidationError, match="AUTH_OTP_SECRET"):
        _production(jwt_private_key=signing_pem, otp_secret=secret)


def test_businesses_are_approved_automatically_only_outside_production(signing_pem):
    assert AuthSettings(_env_file=None, environment="development") \
        .approves_businesses_automatically
    assert AuthSettings(_env_file=None, environment="test").approves_businesses_automatically
    assert not _production(jwt_private_key=signing_pem).approves_businesses_automatically
    assert _production(jwt_private_key=signing_pem, auto_approve_businesses=True) \
        .approves_businesses_automatically
    assert not AuthSettings(_env_file=None, auto_approve_businesses=False) \
        .approves_businesses_automatically


def test_auto_approval_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("AUTH_AUTO_APPROVE_BUSINESSES", "false")
    assert not AuthSettings(_env_file=None).approves_businesses_automatically


def test_sessions_and_reset_links_have_shift_and_half_hour_defaults():
    settings = AuthSettings(_env_file=None)
    assert settings.refresh_token_seconds == 12 * 3600
    assert settings.password_reset_seconds == 1800
    assert settings.mail_provider == "console"
    assert settings.operator_clients == ["operator"]


@pytest.mark.parametrize("overrides", [
    {"mail_provider": "console"},
    {"smtp_host": None},
    {"smtp_host": " "},
])
def test_production_sends_mail_by_smtp(signing_pem, overrides):
    with pytest.raises(ValidationError, match="SMTP"):
        _production(jwt_private_key=signing_pem, **overrides)


@pytest.mark.parametrize("url", ["http://loyalty.example.co.zw/admin/reset-password",
                                 "https://localhost:8443/admin/reset-password"])
def test_production_needs_the_public_reset_page(signing_pem, url):
    with pytest.raises(ValidationError, match="AUTH_PASSWORD_RESET_URL"):
        _production(jwt_private_key=signing_pem, password_reset_url=url)
