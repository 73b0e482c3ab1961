"""Abuse limits (mubayiro.auth.limits): each is tried until it answers 429 with
``Retry-After``, and each is shown not to lock out someone it should not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.main import create_app
from mubayiro.common.settings import dev_client_secret

PASSWORD = "correct-horse-42"
VICTIM_PHONE = "+263771234567"


@pytest.fixture
def limited(
    make_settings: Callable[..., AuthSettings], clock: Any, loyalty: Any
) -> Callable[..., FastAPI]:
    """An auth app whose limits are the given overrides (the rest stay at defaults)."""

    def build(**limits: Any) -> FastAPI:
        return create_app(make_settings(**limits), clock=clock,
                          outbox_transport=loyalty.transport)

    return build


@contextmanager
def client_from(app: FastAPI, address: str) -> Iterator[TestClient]:
    """A client whose requests come from ``address``."""
    with TestClient(app, client=(address, 40000)) as client:
        yield client


def _register(client: TestClient, email: str) -> Any:
    return client.post("/auth/register_business", json={
        "name": f"Shop {email}", "contact_person": "Tendai Moyo", "email": email,
        "password": PASSWORD})


def _login(client: TestClient, email: str, password: str) -> Any:
    return client.post("/auth/login_business", json={"email": email, "password": password})


def _assert_limited(response: Any, window: int = 3600) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["error"] in {"TooManyAttempts", "TooManyCodeRequests"}
    assert 1 <= int(response.headers["Retry-After"]) <= window


def test_wrong_passwords_per_account_are_limited_and_then_even_the_right_one_waits(
    limited: Callable[..., FastAPI],
) -> None:
    app = limited(login_limit_per_account="5/15 minutes")
    with client_from(app, "10.0.0.1") as shop, client_from(app, "10.0.0.2") as attacker:
        assert _register(shop, "owner@example.com").status_code == 201
        answers = [_login(attacker, "owner@example.com", "wrong-guess-1").status_code
                   for _ in range(5)]
        assert answers == [401] * 5
        _assert_limited(_login(attacker, "owner@example.com", "wrong-guess-1"))
        # The guesser cannot tell a right password from a wrong one while the window is full.
        _assert_limited(_login(attacker, "owner@example.com", PASSWORD))
        # Another account is not affected.
        assert _register(shop, "other@example.com").status_code == 201
        assert _login(attacker, "other@example.com", PASSWORD).status_code == 200


def test_right_passwords_are_never_counted(limited: Callable[..., FastAPI]) -> None:
    app = limited(login_limit_per_account="3/15 minutes", login_limit_per_address="3/15 minutes")
    with client_from(app, "10.0.0.1") as shop:
        assert _register(shop, "owner@example.com").status_code == 201
        assert [_login(shop, "owner@example.com", PASSWORD).status_code
                for _ in range(10)] == [200] * 10


def test_wrong_passwords_per_address_are_limited_across_accounts(
    limited: Callable[..., FastAPI],
) -> None:
    app = limited(login_limit_per_address="4/15 minutes")
    with client_from(app, "10.0.0.1") as shop, client_from(app, "10.0.0.9") as attacker:
        for n in range(3):
            assert _register(shop, f"owner{n}@example.com").status_code == 201
        answers = [_login(attacker, f"owner{n % 3}@example.com", "nope-nope-1").status_code
                   for n in range(4)]
        assert answers == [401] * 4
        _assert_limited(_login(attacker, "owner2@example.com", "nope-nope-1"))
        # The shop's own address still signs in.
        assert _login(shop, "owner0@example.com", PASSWORD).status_code == 200


def test_registrations_per_address_are_limited(limited: Callable[..., FastAPI]) -> None:
    app = limited(registration_limit_per_address="3/hour")
    with client_from(app, "10.0.0.1") as bot, client_from(app, "10.0.0.2") as shop:
        assert [_register(bot, f"bot{n}@example.com").status_code for n in range(3)] == [201] * 3
        _assert_limited(_register(bot, "bot3@example.com"))
        assert _register(shop, "real@example.com").status_code == 201


def test_wrong_client_secrets_are_limited_per_client(limited: Callable[..., FastAPI]) -> None:
    app = limited(client_credentials_limit_per_client="3/15 minutes")

    def token(client: TestClient, secret: str) -> Any:
        return client.post("/auth/token", data={
            "grant_type": "client_credentials", "client_id": "loyalty", "client_secret": secret})

    with client_from(app, "10.0.0.1") as service:
        # A service renewing its token is never counted.
        right = dev_client_secret("loyalty")
        assert [token(service, right).status_code for _ in range(5)] == [200] * 5
        assert [token(service, "guess").status_code for _ in range(3)] == [401] * 3
        _assert_limited(token(service, "guess"))
        _assert_limited(token(service, right))


def _request_code(client: TestClient, phone: str) -> Any:
    return client.post("/auth/customer/otp/request", json={"phone_number": phone})


def test_code_requests_per_address_stop_one_client_texting_many_phones(
    limited: Callable[..., FastAPI],
) -> None:
    app = limited(otp_request_limit_per_address="5/hour")
    with client_from(app, "10.0.0.66") as fraud, client_from(app, "10.0.0.1") as customer:
        phones = [f"+2637712345{n:02d}" for n in range(6)]
        assert [_request_code(fraud, p).status_code for p in phones[:5]] == [202] * 5
        _assert_limited(_request_code(fraud, phones[5]))
        assert _request_code(customer, phones[5]).status_code == 202


def test_a_stranger_cannot_use_up_the_phone_owners_code_requests(
    limited: Callable[..., FastAPI],
) -> None:
    app = limited()
    with client_from(app, "10.0.0.66") as stranger, client_from(app, "10.0.0.1") as owner:
        answers = [_request_code(stranger, VICTIM_PHONE).status_code for _ in range(4)]
        assert answers == [202, 202, 202, 429]  # the per-phone-and-address window
        assert _request_code(owner, VICTIM_PHONE).status_code == 202


def test_code_requests_per_phone_from_anywhere_stop_an_sms_flood(
    limited: Callable[..., FastAPI],
) -> None:
    app = limited(otp_request_limit_per_phone="4/hour")
    answers = []
    for n in range(5):
        with client_from(app, f"10.0.1.{n}") as client:
            answers.append(_request_code(client, VICTIM_PHONE).status_code)
    assert answers == [202] * 4 + [429]


def test_wrong_codes_per_address_are_limited_whatever_the_phone(
    limited: Callable[..., FastAPI],
) -> None:
    app = limited(otp_verify_limit_per_address="4/15 minutes")
    phones = [f"+2637712345{n:02d}" for n in range(5)]
    with client_from(app, "10.0.0.66") as guesser, client_from(app, "10.0.0.1") as owner:
        for phone in phones:
            assert _request_code(owner, phone).status_code == 202
        answers = [guesser.post("/auth/customer/otp/verify", json={
            "phone_number": phones[n], "code": "000000"}).status_code for n in range(4)]
        assert answers == [401] * 4
        response = guesser.post("/auth/customer/otp/verify",
                                json={"phone_number": phones[4], "code": "000000"})
        _assert_limited(response)
        # The owner's address is not limited by the guesser's failures.
        assert owner.post("/auth/customer/otp/verify", json={
            "phone_number": phones[4], "code": "000000"}).status_code == 401


def test_counts_are_shared_by_replicas_on_one_database(
    make_settings: Callable[..., AuthSettings], clock: Any, loyalty: Any,
) -> None:
    settings = make_settings(registration_limit_per_address="4/hour")
    first, second = (create_app(settings, clock=clock, outbox_transport=loyalty.transport)
                     for _ in range(2))
    with client_from(first, "10.0.0.5") as a, client_from(second, "10.0.0.5") as b:
        answers = [_register(client, f"r{n}@example.com").status_code
                   for n, client in enumerate([a, b, a, b])]
        assert answers == [201] * 4
        _assert_limited(_register(b, "r4@example.com"))
        _assert_limited(_register(a, "r5@example.com"))


def test_a_limit_setting_must_be_a_rate() -> None:
    with pytest.raises(ValueError, match="rate limit"):
        AuthSettings(_env_file=None, environment="test", login_limit_per_account="lots")


@pytest.mark.parametrize("phone", ["+881631234567", "+12025550123"])
def test_codes_go_only_to_numbers_of_the_served_countries(
    limited: Callable[..., FastAPI], phone: str,
) -> None:
    with client_from(limited(), "10.0.0.1") as client:
        response = _request_code(client, phone)
        assert response.status_code == 422, response.text
        assert response.json()["error"] == "PhoneCountryNotServed"
    with client_from(limited(sms_countries=["ZW", "US"]), "10.0.0.1") as client:
        assert _request_code(client, "+12025550123").status_code == 202
