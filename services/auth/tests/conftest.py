"""Fixtures for the auth service's tests.

Each test gets its own SQLite file under ``tmp_path`` and its own app, migrated by the
lifespan. The signing key is generated once per session (RSA generation is slow) and
given as ``jwt_private_key``; the key-file tests leave it out on purpose. Password
hashing uses cheap Argon2 parameters here: the real cost is tested once, in
``test_passwords.py``. The subscribers (loyalty, notifications) are faked with one
``httpx.MockTransport``. The app's clock is a :class:`FakeClock`, so tests move time
forward (code expiry, rate-limit windows) without sleeping.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from passlib.context import CryptContext
from sqlalchemy import func, select

from mubayiro.auth import passwords
from mubayiro.auth.config import AuthSettings
from mubayiro.auth.main import create_app
from mubayiro.auth.models import Business, outbox
from mubayiro.common.db import utcnow
from mubayiro.common.testing import TestKeys, one_event_at_a_time

LOYALTY_URL = "http://loyalty.test"
NOTIFICATIONS_URL = "http://notifications.test"
PASSWORD = "correct horse 42"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with tiny parameters, so tests do not spend 0.1 s per hash."""
    cheap = CryptContext(
        schemes=["argon2"], argon2__memory_cost=256, argon2__rounds=1, argon2__parallelism=1
    )
    monkeypatch.setattr(passwords, "pwd_context", cheap)
    passwords._dummy_hash.cache_clear()


@pytest.fixture(scope="session")
def signing_pem() -> str:
    """One RSA key for the whole test session."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="session")
def _stranger_keys() -> TestKeys:
    return TestKeys()


@pytest.fixture
def stranger_keys(_stranger_keys: TestKeys, app: FastAPI) -> TestKeys:
    """Another RSA key announcing auth's own ``kid``: what a forger would sign with."""
    _stranger_keys.kid = app.state.key_set.kid
    return _stranger_keys


@pytest.fixture
def make_settings(tmp_path: Any, signing_pem: str) -> Callable[..., AuthSettings]:
    """Build test settings (no .env), with overrides."""

    def make(**overrides: Any) -> AuthSettings:
        values: dict[str, Any] = {
            "data_dir": tmp_path,
            "environment": "test",
            "jwt_private_key": signing_pem,
            "loyalty_url": LOYALTY_URL,
            "notifications_url": NOTIFICATIONS_URL,
            "outbox_poll_seconds": 0.05,
        }
        values.update(overrides)
        return AuthSettings(_env_file=None, **values)

    return make


class FakeClock:
    """A clock that stands still until a test moves it forward."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``."""
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    """The app's clock."""
    return FakeClock()


class FakeSubscriber:
    """A subscriber's ``/internal/events`` faked in process; records what it received."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.status_code = 200
        self._lock = threading.Lock()
        self.transport = httpx.MockTransport(one_event_at_a_time(self._handle))

    def _handle(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
        return httpx.Response(self.status_code, json={"status": "processed"})

    def envelopes(self) -> list[dict[str, Any]]:
        """The event envelopes received so far."""
        with self._lock:
            return [json.loads(r.content) for r in self.requests]


@pytest.fixture
def loyalty() -> FakeSubscriber:
    """The fake loyalty service."""
    return FakeSubscriber()


@pytest.fixture
def app(
    make_settings: Callable[..., AuthSettings], loyalty: FakeSubscriber, clock: FakeClock
) -> FastAPI:
    """The auth app with test settings, the fake subscribers and the fake clock."""
    return create_app(make_settings(), outbox_transport=loyalty.transport, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client for the app, inside its lifespan (migrations, dispatcher)."""
    with TestClient(app) as c:
        yield c


@pytest.fixture
def register(client: TestClient) -> Callable[..., dict[str, Any]]:
    """Register a business (201 expected); return its JSON."""

    def do(email: str = "owner@example.com", **overrides: Any) -> dict[str, Any]:
        body = {
            # Business names are unique: the first shop is "Mbare Groceries", others
            # are named after their email.
            "name": "Mbare Groceries" if email == "owner@example.com" else f"Shop {email}",
            "contact_person": "Tendai Moyo",
            "email": email,
            "password": PASSWORD,
            **overrides,
        }
        resp = client.post("/auth/register_business", json=body)
        assert resp.status_code == 201, resp.text
        return resp.json()

    return do


@pytest.fixture
def login(client: TestClient) -> Callable[..., str]:
    """Log a business in with JSON; return its access token."""

    def do(email: str = "owner@example.com", password: str = PASSWORD) -> str:
        resp = client.post("/auth/login_business", json={"email": email, "password": password})
        assert resp.status_code == 200, resp.text
        return resp.json()["access_token"]

    return do


@pytest.fixture
def sign(app: FastAPI) -> Callable[..., str]:
    """Sign arbitrary claims with auth's own key (for tokens auth would never issue)."""

    def do(claims: dict[str, Any], *, audience: str = "mubayiro", expires_in: int = 600,
           headers: dict[str, Any] | None = None) -> str:
        now = int(time.time())
        payload = {"iss": "mubayiro-auth", "aud": audience, "iat": now,
                   "exp": now + expires_in, "jti": uuid.uuid4().hex, **claims}
        keys = app.state.key_set
        return jwt.encode(payload, keys.signing_key, algorithm="RS256",
                          headers={"kid": keys.kid, **(headers or {})})

    return do


def b64url(data: bytes) -> str:
    """Base64url without padding (JWT segments)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture
def counts(app: FastAPI) -> Callable[[], tuple[int, int]]:
    """(businesses, outbox rows) in the database right now."""

    def do() -> tuple[int, int]:
        with app.state.database.session(write=False) as s:
            businesses = s.scalar(select(func.count()).select_from(Business))
            events = s.scalar(select(func.count()).select_from(outbox))
        return int(businesses or 0), int(events or 0)

    return do


def bearer(token: str) -> dict[str, str]:
    """An Authorization header."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth_header() -> Callable[[str], dict[str, str]]:
    """Build an ``Authorization: Bearer`` header."""
    return bearer


@pytest.fixture
def b64() -> Callable[[bytes], str]:
    """Base64url without padding."""
    return b64url
