"""Fixtures of the notifications tests (helpers are fixtures: with
``--import-mode=importlib`` test modules cannot import this file).

The schema is migrated once per session into a template SQLite file; each test gets
its own copy under ``tmp_path`` (the app's start-up migration then finds it at head).
Settings never read the developer's ``.env``, and pick the console provider unless a
test says otherwise. Retry delays are shrunk so retry tests finish in milliseconds.

Peers: auth (the service-token endpoint) and loyalty (the balance lookup) are faked
with ``httpx.MockTransport`` (:class:`FakePeers`, fixture ``peers``), which every app
built here uses; Twilio's REST API is a real local HTTP server (``fake_twilio``).
Inbound webhooks are signed the way Twilio signs them (``twilio_webhook``).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from mubayiro.common.db import Database
from mubayiro.common.testing import TestKeys, sqlite_fixtures
from mubayiro.notifications.config import NotificationsSettings
from mubayiro.notifications.main import ALEMBIC_INI, create_app
from mubayiro.notifications.models import SmsMessage
from mubayiro.notifications.sms.providers import SmsProvider

PHONE = "+263771234567"
AUTH_URL = "http://auth.test"
LOYALTY_URL = "http://loyalty.test"
TWILIO_ACCOUNT_SID = "AC" + "0" * 32
TWILIO_AUTH_TOKEN = "test-auth-token"
TWILIO_FROM_NUMBER = "+15005550006"
PUBLIC_INBOUND_URL = "https://loyalty.example.com/sms/inbound"


migrated_template, data_dir = sqlite_fixtures(ALEMBIC_INI, "notifications.db")


def _settings(data_dir: Path, **overrides: Any) -> NotificationsSettings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "environment": "test",
        "sms_provider": "console",
        "sms_poll_seconds": 0.05,
        "sms_retry_base_seconds": 0.01,
        "max_backoff_seconds": 0.05,
        "auth_url": AUTH_URL,
        "loyalty_url": LOYALTY_URL,
        # No chatbot unless a test deploys one (tests/inbound/test_chat.py).
        "chatbot_url": None,
    }
    values.update(overrides)
    return NotificationsSettings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def database(data_dir: Path) -> Iterator[Database]:
    """This test's migrated database, without an app (no sender thread running)."""
    db = Database(f"sqlite:///{(data_dir / 'notifications.db').as_posix()}")
    yield db
    db.dispose()


@pytest.fixture
def make_settings(data_dir: Path) -> Callable[..., NotificationsSettings]:
    """Test settings: console provider, quick polling and retries, no ``.env``."""
    return lambda **overrides: _settings(data_dir, **overrides)


class FakePeers:
    """Auth's token endpoint and loyalty's balance route, as notifications meets them.

    ``balances`` maps E.164 numbers to points (others are 404), ``expiries`` to their
    ``next_expiry`` (``{points, date}``; none when absent); ``loyalty_down``
    makes loyalty unreachable, ``loyalty_status`` makes it answer that status.
    ``balance_calls`` lists the numbers loyalty was asked about.
    """

    def __init__(self, keys: TestKeys):
        self.keys = keys
        self.balances: dict[str, int] = {}
        self.expiries: dict[str, dict[str, Any]] = {}
        self.loyalty_down = False
        self.loyalty_status: int | None = None
        self.balance_calls: list[str] = []
        self.token_requests = 0
        self._issued: set[str] = set()
        self._lock = threading.Lock()

    def handler(self, request: httpx.Request) -> httpx.Response:
        url = f"{request.url.scheme}://{request.url.host}"
        if url == AUTH_URL and request.method == "POST" and request.url.path == "/auth/token":
            form = dict(httpx.QueryParams(request.content.decode()))
            assert form == {"grant_type": "client_credentials", "client_id": "notifications",
                            "client_secret": "dev-secret-notifications"}
            token = self.keys.service_token("notifications")
            with self._lock:
                self.token_requests += 1
                self._issued.add(token)
            return httpx.Response(200, json={"access_token": token, "token_type": "bearer",
                                             "expires_in": 900})
        match = re.fullmatch(r"/internal/customers/([^/]+)/balance", request.url.raw_path
                             .decode().split("?")[0])
        if url == LOYALTY_URL and request.method == "GET" and match:
            phone = unquote(match.group(1))
            with self._lock:
                self.balance_calls.append(phone)
            if self.loyalty_down:
                raise httpx.ConnectError("loyalty is down", request=request)
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
            if bearer not in self._issued:
                return httpx.Response(401, json={"detail": "Missing bearer token",
                                                 "error": "Unauthorized"})
            if self.loyalty_status is not None:
                return httpx.Response(self.loyalty_status,
                                      json={"detail": "boom", "error": "InternalError"})
            if phone not in self.balances:
                return httpx.Response(404, json={"detail": "Unknown customer",
                                                 "error": "CustomerNotFound"})
            return httpx.Response(200, json={"phone_number": phone,
                                             "total_points": self.balances[phone],
                                             "next_expiry": self.expiries.get(phone)})
        return httpx.Response(404, json={"detail": "no such fake route", "error": "NotFound"})


@pytest.fixture
def peers(keys: TestKeys) -> FakePeers:
    """The fake auth and loyalty every app of this test talks to."""
    return FakePeers(keys)


AppFactory = Callable[..., FastAPI]


@pytest.fixture
def app_factory(data_dir: Path, keys: TestKeys, peers: FakePeers) -> AppFactory:
    """Build an app on this test's database: ``app_factory(provider=..., **settings)``."""

    def build(*, provider: SmsProvider | None = None, **overrides: Any) -> FastAPI:
        return create_app(
            _settings(data_dir, **overrides),
            token_verifier=keys.verifier(),
            sms_provider=provider,
            peer_transport=httpx.MockTransport(peers.handler),
        )

    return build


@pytest.fixture
def client(app_factory: AppFactory) -> Iterator[TestClient]:
    """A client of an app with the console provider (lifespan run: sender started)."""
    with TestClient(app_factory()) as c:
        yield c


@pytest.fixture
def service_headers(keys: TestKeys) -> dict[str, str]:
    """Authorization header with loyalty's service token."""
    return {"Authorization": f"Bearer {keys.service_token('loyalty')}"}


def _envelope(event_type: str, data: dict[str, Any], *, event_id: str | None = None,
              source: str = "loyalty", occurred_at: datetime | None = None) -> dict[str, Any]:
    return {
        "id": event_id or str(uuid.uuid4()),
        "type": event_type,
        "source": source,
        "occurred_at": (occurred_at or datetime.now(UTC)).isoformat(),
        "data": data,
    }


@pytest.fixture
def envelope() -> Callable[..., dict[str, Any]]:
    """``envelope(type, data, event_id=None, source="loyalty", occurred_at=None)``."""
    return _envelope


def _loyalty_event(event_type: str, **defaults: Any) -> Callable[..., dict[str, Any]]:
    """A builder of ``event_type`` envelopes as loyalty sends them: ``build(event_id=None,
    **data)``, ``data`` overriding the ``defaults`` (the timestamp is now)."""

    def build(event_id: str | None = None, **data: Any) -> dict[str, Any]:
        payload = {**defaults, "timestamp": datetime.now(UTC).isoformat(), **data}
        return _envelope(event_type, payload, event_id=event_id)

    return build


_points_earned_event = _loyalty_event(
    "points.earned", transaction_id=17, business_id=3, business_name="Mbare Fresh Grocers",
    customer_phone_number=PHONE, amount_spent="25.00", points=25, total_points=140,
)
_redeemed_event = _loyalty_event(
    "points.redeemed", transaction_id=18, business_id=3, business_name="Mbare Coffee",
    customer_phone_number=PHONE, points=100, reward_description="Free coffee", total_points=40,
)
_referral_bonus_event = _loyalty_event(
    "points.referral_bonus", transaction_id=19, business_id=3,
    business_name="Mbare Fresh Grocers", customer_phone_number=PHONE, points=50,
    total_points=190,
)

_reversed_event = _loyalty_event(
    "points.reversed", transaction_id=20, reversed_transaction_id=17, reversed_type="earn",
    business_id=3, business_name="Mbare Fresh Grocers", customer_phone_number=PHONE,
    amount="12.00", points=-12, shortfall=0, reason="Refund", total_points=128,
)
_expiring_event = _loyalty_event(
    "points.expiring", customer_phone_number=PHONE, points=40, date="2027-01-12",
    expires_at="2027-01-12T09:30:00+00:00", total_points=140,
)


@pytest.fixture
def points_event() -> Callable[..., dict[str, Any]]:
    """``points_event(event_id=None, **data)``: a ``points.earned`` envelope as loyalty
    sends it, ``data`` overriding payload fields."""
    return _points_earned_event


@pytest.fixture
def redeemed_event() -> Callable[..., dict[str, Any]]:
    """``redeemed_event(event_id=None, **data)``: a ``points.redeemed`` envelope."""
    return _redeemed_event


@pytest.fixture
def referral_bonus_event() -> Callable[..., dict[str, Any]]:
    """``referral_bonus_event(event_id=None, **data)``: a ``points.referral_bonus`` envelope."""
    return _referral_bonus_event


@pytest.fixture
def reversed_event() -> Callable[..., dict[str, Any]]:
    """``reversed_event(event_id=None, **data)``: a ``points.reversed`` envelope (by
    default 12 points of a purchase taken back)."""
    return _reversed_event


@pytest.fixture
def expiring_event() -> Callable[..., dict[str, Any]]:
    """``expiring_event(event_id=None, **data)``: a ``points.expiring`` envelope (40
    points on 12 Jan 2027)."""
    return _expiring_event


def _otp_event(event_id: str | None = None, *, lifetime_seconds: float = 300,
               occurred_at: datetime | None = None, **data: Any) -> dict[str, Any]:
    occurred = occurred_at or datetime.now(UTC)
    payload: dict[str, Any] = {
        "phone_number": PHONE,
        "code": "482913",
        "expires_at": (occurred + timedelta(seconds=lifetime_seconds)).isoformat(),
    }
    payload.update(data)
    return _envelope("customer.otp_requested", payload, event_id=event_id, source="auth",
                     occurred_at=occurred)


@pytest.fixture
def otp_event() -> Callable[..., dict[str, Any]]:
    """``otp_event(event_id=None, lifetime_seconds=300, occurred_at=None, **data)``: a
    ``customer.otp_requested`` envelope as auth sends it."""
    return _otp_event


def _all_messages(app: FastAPI) -> list[SmsMessage]:
    with app.state.database.session(write=False) as session:
        return list(session.scalars(select(SmsMessage).order_by(SmsMessage.id)))


@pytest.fixture
def sms_rows() -> Callable[[FastAPI], list[SmsMessage]]:
    """``sms_rows(app)``: every ``sms_message`` row, oldest first."""
    return _all_messages


@dataclass
class FakeTwilio:
    """What the fake Twilio received, and what it answers next."""

    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 201
    answer: dict[str, Any] = field(default_factory=lambda: {"sid": "SM" + "f" * 32})


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A fake Twilio REST API on a free port, answering Messages.json creates."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    fake = FakeTwilio(url=f"http://127.0.0.1:{server.server_address[1]}")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            fake.requests.append(
                {"path": self.path, "form": form,
                 "authorization": self.headers.get("Authorization", "")}
            )
            body = json.dumps(
                {**fake.answer, "to": form.get("To"), "from": form.get("From"),
                 "body": form.get("Body"), "status": "queued"}
                if fake.status < 300 else fake.answer
            ).encode()
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def twilio_settings(fake_twilio: FakeTwilio) -> dict[str, Any]:
    """Settings overrides selecting Twilio, pointed at the fake Twilio API."""
    return {
        "sms_provider": "twilio",
        "twilio_account_sid": TWILIO_ACCOUNT_SID,
        "twilio_auth_token": TWILIO_AUTH_TOKEN,
        "twilio_from_number": TWILIO_FROM_NUMBER,
        "twilio_api_base_url": fake_twilio.url,
    }


#: The gateway's headers for a request that came in at PUBLIC_INBOUND_URL.
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "loyalty.example.com",
             "X-Forwarded-Port": "443", "X-Forwarded-For": "54.172.60.1"}


class TwilioWebhook:
    """Posts inbound SMS to ``/sms/inbound`` exactly as Twilio does, signed."""

    url = PUBLIC_INBOUND_URL
    forwarded = FORWARDED

    def __init__(self) -> None:
        self._counter = 0

    def form(self, body: str, *, sender: str = PHONE, sid: str | None = None) -> dict[str, str]:
        """The fields Twilio posts for one SMS (a new ``MessageSid`` unless given)."""
        self._counter += 1
        return {
            "ToCountry": "US", "ToState": "", "SmsMessageSid": sid or "",
            "NumMedia": "0", "ToCity": "", "FromZip": "", "SmsSid": sid or "",
            "FromState": "", "SmsStatus": "received", "FromCity": "", "Body": body,
            "FromCountry": "ZW", "To": TWILIO_FROM_NUMBER, "NumSegments": "1",
            "MessageSid": sid or f"SM{uuid.uuid4().hex}", "AccountSid": TWILIO_ACCOUNT_SID,
            "From": sender, "ApiVersion": "2010-04-01",
        }

    def sign(self, form: dict[str, str], *, url: str = PUBLIC_INBOUND_URL,
             token: str = TWILIO_AUTH_TOKEN) -> str:
        """``X-Twilio-Signature`` for ``form`` posted to ``url``, by the Twilio library."""
        return RequestValidator(token).compute_signature(url, form)

    def post(self, client: TestClient, form: dict[str, str], *,
             signature: str | None = "sign", headers: dict[str, str] | None = None,
             path: str = "/sms/inbound") -> httpx.Response:
        """POST ``form``; ``signature="sign"`` signs it for the public URL, None omits it."""
        all_headers = {**FORWARDED, **(headers or {})}
        if signature == "sign":
            signature = self.sign(form)
        if signature is not None:
            all_headers["X-Twilio-Signature"] = signature
        return client.post(path, data=form, headers=all_headers)

    def send(self, client: TestClient, body: str, **kw: Any) -> httpx.Response:
        """Text ``body`` in (signed), from ``sender``/``sid`` in ``kw``."""
        return self.post(client, self.form(body, **kw))

    @staticmethod
    def reply(response: httpx.Response) -> str:
        """The text of the TwiML reply (asserting its shape)."""
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/xml")
        match = re.fullmatch(
            r'<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>(.*)</Message>'
            r"</Response>", response.text, flags=re.S,
        )
        assert match, response.text
        return unescape(match.group(1))


@pytest.fixture
def twilio_webhook() -> TwilioWebhook:
    """Signs and posts inbound SMS like Twilio (see :class:`TwilioWebhook`)."""
    return TwilioWebhook()
