"""Fixtures of the referrals tests (helpers are fixtures: with ``--import-mode=importlib``
test modules cannot import this file).

The schema is migrated once per session into a template SQLite file; each test gets its
own copy under ``tmp_path`` (the app's start-up migration then finds it at head).

Every peer is faked behind one ``httpx.MockTransport`` (:class:`FakePeers`): auth's token
endpoint; loyalty's balance route, its view of a customer at one business (only a
customer with a transaction there) and its referral-bonus route — which implements
``Idempotency-Key`` the way docs/events.md says (same key and body → the first
answer again, nothing paid; other body → 422) and can lose its answers after paying;
notifications' ``/internal/sms`` (also idempotent by key); and an event subscriber.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mubayiro.common.events import EVENTS_BATCH_PATH
from mubayiro.common.testing import TestKeys, one_event_at_a_time, sqlite_fixtures
from mubayiro.referrals.config import ReferralsSettings
from mubayiro.referrals.main import ALEMBIC_INI, create_app
from mubayiro.referrals.models import (
    Invitation,
    Referral,
    ReferralCode,
    ReferralSetting,
    ShopPurchase,
    idempotency_record,
    outbox,
    processed_event,
)

AUTH_URL = "http://auth.test"
LOYALTY_URL = "http://loyalty.test"
NOTIFICATIONS_URL = "http://notifications.test"
REPORTS_URL = "http://reports.test"

_TABLES = {
    "referral": Referral.__table__,
    "referral_code": ReferralCode.__table__,
    "invitation": Invitation.__table__,
    "outbox_message": outbox,
    "idempotency_record": idempotency_record,
    "shop_purchase": ShopPurchase.__table__,
    "referral_setting": ReferralSetting.__table__,
    "processed_event": processed_event,
}


migrated_template, data_dir = sqlite_fixtures(ALEMBIC_INI, "referrals.db")


def _json(status: int, body: dict[str, Any]) -> httpx.Response:
    return httpx.Response(status, json=body)


class FakePeers:
    """Auth, loyalty, notifications and one event subscriber, as referrals meets them.

    Loyalty: ``customers`` maps phones to points (others are 404 on the balance route);
    ``shop_rows`` maps (business, phone) to the customer's transactions at that business
    (:meth:`buys` adds a purchase; a business sees only customers with a row there);
    ``known_businesses`` (None: all) limits whom a bonus can be paid for; ``loyalty_down``
    refuses connections; ``lose_bonus_answers`` makes the bonus route record and pay, then
    time out instead of answering; ``bonus_barrier`` holds each bonus request until
    the barrier's parties have all arrived. ``payments`` lists what was really paid,
    ``bonus_requests`` every request (key, body).

    Notifications: ``sms_requests`` lists every ``/internal/sms`` request, ``sms_stored``
    the distinct SMS it kept (one per key); ``notifications_down`` refuses connections,
    ``sms_status`` makes it answer that error status; ``opted_out`` phones are ``skipped``.
    """

    def __init__(self, keys: TestKeys):
        self.keys = keys
        self._lock = threading.Lock()
        self._issued: set[str] = set()
        self.token_requests = 0
        # loyalty
        self.customers: dict[str, int] = {}
        self.shop_rows: dict[tuple[int, str], list[dict[str, Any]]] = {}
        self.shop_calls: list[tuple[int, str]] = []
        self.known_businesses: set[int] | None = None
        self.loyalty_down = False
        self.lose_bonus_answers = False
        self.bonus_barrier: threading.Barrier | None = None
        self.balance_calls: list[str] = []
        self.bonus_requests: list[tuple[str | None, dict[str, Any]]] = []
        self.payments: list[dict[str, Any]] = []
        self._bonus_by_key: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        self._rows = 0
        # notifications
        self.notifications_down = False
        self.sms_status: int | None = None
        self.opted_out: set[str] = set()
        self.sms_requests: list[dict[str, Any]] = []
        self._sms_by_key: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        # subscriber
        self.events: list[dict[str, Any]] = []

    @property
    def sms_stored(self) -> list[dict[str, Any]]:
        """The distinct SMS notifications kept, in the order it first got them."""
        with self._lock:
            return [body for body, _ in self._sms_by_key.values()]

    def _authorized(self, request: httpx.Request) -> bool:
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        return bearer in self._issued

    def handler(self, request: httpx.Request) -> httpx.Response:
        base = f"{request.url.scheme}://{request.url.host}"
        path = request.url.raw_path.decode().split("?")[0]
        if base == AUTH_URL and request.method == "POST" and path == "/auth/token":
            form = dict(httpx.QueryParams(request.content.decode()))
            assert form == {"grant_type": "client_credentials", "client_id": "referrals",
                            "client_secret": "dev-secret-referrals"}
            token = self.keys.service_token("referrals")
            with self._lock:
                self.token_requests += 1
                self._issued.add(token)
            return _json(200, {"access_token": token, "token_type": "bearer",
                               "expires_in": 900})
        if base == LOYALTY_URL:
            return self._loyalty(request, path)
        if base == NOTIFICATIONS_URL and request.method == "POST" and path == "/internal/sms":
            return self._sms(request)
        if base == REPORTS_URL and request.method == "POST" and path == EVENTS_BATCH_PATH:
            assert self._authorized(request)
            with self._lock:
                self.events.append(json.loads(request.content))
            return _json(200, {"status": "processed"})
        return _json(404, {"detail": "no such fake route", "error": "NotFound"})

    def _loyalty(self, request: httpx.Request, path: str) -> httpx.Response:
        if self.loyalty_down:
            raise httpx.ConnectError("loyalty is down", request=request)
        if not self._authorized(request):
            return _json(401, {"detail": "Missing bearer token", "error": "Unauthorized"})
        match = re.fullmatch(r"/internal/customers/([^/]+)/balance", path)
        if request.method == "GET" and match:
            phone = unquote(match.group(1))
            with self._lock:
                self.balance_calls.append(phone)
            if phone not in self.customers:
                return _json(404, {"detail": "Customer not found", "error": "CustomerNotFound"})
            return _json(200, {"phone_number": phone, "total_points": self.customers[phone]})
        match = re.fullmatch(r"/internal/businesses/(\d+)/customers/([^/]+)", path)
        if request.method == "GET" and match:
            business_id, phone = int(match.group(1)), unquote(match.group(2))
            with self._lock:
                self.shop_calls.append((business_id, phone))
                rows = self.shop_rows.get((business_id, phone))
            if not rows:
                return _json(404, {"detail": "Customer not found", "error": "CustomerNotFound"})
            return _json(200, {"phone_number": phone, "total_points": self.customers[phone],
                               "transactions": list(reversed(rows))})
        if request.method == "POST" and path == "/internal/transactions/referral_bonus":
            return self._bonus(request)
        return _json(404, {"detail": "no such fake route", "error": "NotFound"})

    def _bonus(self, request: httpx.Request) -> httpx.Response:
        key = request.headers.get("idempotency-key")
        body = json.loads(request.content)
        if self.bonus_barrier is not None:
            self.bonus_barrier.wait(timeout=10)
        with self._lock:
            self.bonus_requests.append((key, body))
            if key is not None and key in self._bonus_by_key:
                first_body, answer = self._bonus_by_key[key]
                if first_body != body:
                    return _json(422, {"detail": "This Idempotency-Key was already used with "
                                       "a different request body",
                                       "error": "IdempotencyKeyReused"})
            else:
                if (self.known_businesses is not None
                        and body["business_id"] not in self.known_businesses):
                    return _json(404, {"detail": "Business not found",
                                       "error": "BusinessNotFound"})
                phone = body["customer_phone_number"]
                self.customers[phone] = self.customers.get(phone, 0) + body["points"]
                self.payments.append(body)
                answer = {"transaction_id": 1000 + len(self.payments),
                          "customer_phone_number": phone, "points_awarded": body["points"],
                          "total_points": self.customers[phone]}
                if key is not None:
                    self._bonus_by_key[key] = (body, answer)
        if self.lose_bonus_answers:
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return _json(201, answer)

    def _sms(self, request: httpx.Request) -> httpx.Response:
        if self.notifications_down:
            raise httpx.ConnectError("notifications is down", request=request)
        if not self._authorized(request):
            return _json(401, {"detail": "Missing bearer token", "error": "Unauthorized"})
        key = request.headers.get("idempotency-key")
        body = json.loads(request.content)
        with self._lock:
            self.sms_requests.append({"key": key, "body": body})
            if self.sms_status is not None:
                return _json(self.sms_status, {"detail": "refused", "error": "ValidationError"})
            if key is not None and key in self._sms_by_key:
                first_body, answer = self._sms_by_key[key]
                if first_body != body:
                    return _json(422, {"detail": "key reused", "error": "IdempotencyKeyReused"})
                return _json(202, answer)
            status = "skipped" if body["to"] in self.opted_out else "queued"
            answer = {"id": 500 + len(self._sms_by_key), "status": status}
            self._sms_by_key[key or f"no-key-{len(self._sms_by_key)}"] = (body, answer)
        return _json(202, answer)

    def buys(self, business_id: int, phone: str, points: int = 10,
             at: str = "2026-12-14T09:00:00Z") -> dict[str, Any]:
        """Record a purchase at loyalty (a customer of ``business_id`` from now on); the
        ledger row."""
        with self._lock:
            self.customers[phone] = self.customers.get(phone, 0) + points
            self._rows += 1
            row = {"id": self._rows, "type": "earn", "business_id": business_id,
                   "points": points, "timestamp": at}
            self.shop_rows.setdefault((business_id, phone), []).append(row)
        return row

    def paid_to(self, phone: str) -> int:
        """Points really paid to ``phone`` as referral bonuses."""
        with self._lock:
            return sum(p["points"] for p in self.payments if p["customer_phone_number"] == phone)


@pytest.fixture
def peers(keys: TestKeys) -> FakePeers:
    """The fake peers every app of this test talks to."""
    return FakePeers(keys)


def _settings(data_dir: Path, **overrides: Any) -> ReferralsSettings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "environment": "test",
        "log_level": "WARNING",
        "auth_url": AUTH_URL,
        "loyalty_url": LOYALTY_URL,
        "notifications_url": NOTIFICATIONS_URL,
        "outbox_poll_seconds": 0.05,
        "outbox_max_backoff_seconds": 0.2,
        "invite_sms_poll_seconds": 0.05,
        "invite_sms_retry_base_seconds": 0.01,
        "max_backoff_seconds": 0.05,
    }
    values.update(overrides)
    return ReferralsSettings(_env_file=None, **values)  # type: ignore[call-arg]


class Referrals:
    """A running referrals app with its fake peers, and helpers for the tests."""

    def __init__(self, app: FastAPI, client: TestClient, keys: TestKeys, peers: FakePeers):
        self.app = app
        self.client = client
        self.keys = keys
        self.peers = peers
        self.stopped = False

    def stop(self) -> None:
        """Stop the app (its lifespan ends: workers stop, the database is released)."""
        if not self.stopped:
            self.stopped = True
            self.client.__exit__(None, None, None)

    # tokens
    def business(self, business_id: int) -> dict[str, str]:
        """Authorization header with a business token."""
        return {"Authorization": f"Bearer {self.keys.business_token(business_id)}"}

    def customer(self, phone: str) -> dict[str, str]:
        """Authorization header with a customer token for the E.164 ``phone``."""
        return {"Authorization": f"Bearer {self.keys.customer_token(phone)}"}

    # routes
    def track(self, business_id: int, new_customer: str, referrer: str | None = None, *,
              code: str | None = None, headers: dict[str, str] | None = None,
              as_business: int | None = None) -> httpx.Response:
        """POST /referrals/track as ``as_business`` (default ``business_id``)."""
        body: dict[str, Any] = {"business_id": business_id,
                                "new_customer_phone_number": new_customer}
        if referrer is not None:
            body["referrer_phone_number"] = referrer
        if code is not None:
            body["referral_code_used"] = code
        return self.client.post(
            "/referrals/track", json=body,
            headers={**self.business(as_business or business_id), **(headers or {})},
        )

    def complete(self, business_id: int, *, referral_id: int | None = None,
                 phone: str | None = None, points: Any = 100,
                 headers: dict[str, str] | None = None) -> httpx.Response:
        """POST /referrals/complete as ``business_id`` (``points=None``: none sent)."""
        body: dict[str, Any] = {}
        if points is not None:
            body["points_to_award_referrer"] = points
        if referral_id is not None:
            body["referral_id"] = referral_id
        if phone is not None:
            body["new_customer_phone_number"] = phone
        return self.client.post("/referrals/complete", json=body,
                                headers={**self.business(business_id), **(headers or {})})

    def invite(self, inviter: str, friend: str, *,
               headers: dict[str, str] | None = None) -> httpx.Response:
        """POST /referrals/invite as the customer ``inviter``."""
        return self.client.post("/referrals/invite", json={"friend_phone_number": friend},
                                headers={**self.customer(inviter), **(headers or {})})

    def purchase(self, business_id: int, phone: str, *, points: int = 10,
                 at: str = "2026-12-14T09:00:00Z", imported: bool = False,
                 event_id: str | None = None) -> dict[str, Any]:
        """A purchase at loyalty, and its ``points.earned`` event delivered here, as
        loyalty's dispatcher would; the event envelope."""
        row = self.peers.buys(business_id, phone, points, at)
        data: dict[str, Any] = {
            "transaction_id": row["id"], "business_id": business_id,
            "business_name": f"Shop {business_id}", "customer_phone_number": phone,
            "amount_spent": f"{points}.00", "points": points,
            "total_points": self.peers.customers[phone], "timestamp": at,
        }
        if imported:
            data["imported"] = True
        envelope = {"id": event_id or f"evt-{row['id']}", "type": "points.earned",
                    "source": "loyalty", "occurred_at": at, "data": data}
        answer = self.deliver(envelope)
        assert answer.status_code == 200, answer.text
        return envelope

    def deliver(self, envelope: dict[str, Any]) -> httpx.Response:
        """POST an event envelope to ``/internal/events`` with loyalty's service token."""
        token = self.keys.service_token("loyalty")
        return self.client.post("/internal/events", json=envelope,
                                headers={"Authorization": f"Bearer {token}"})

    def settings(self, business_id: int, points: Any = None, *,
                 headers: dict[str, str] | None = None) -> httpx.Response:
        """GET /referrals/settings, or PUT it with ``points`` as the default bonus."""
        auth = {**self.business(business_id), **(headers or {})}
        if points is None:
            return self.client.get("/referrals/settings", headers=auth)
        return self.client.put("/referrals/settings", json={"default_bonus_points": points},
                               headers=auth)

    def list(self, business_id: int, **params: Any) -> httpx.Response:
        """GET /referrals as ``business_id``."""
        return self.client.get("/referrals", params=params, headers=self.business(business_id))

    # database
    def count(self, table: str) -> int:
        """How many rows ``table`` holds."""
        with self.app.state.database.session(write=False) as s:
            return int(s.scalar(select(func.count()).select_from(_TABLES[table])) or 0)

    def counts(self) -> dict[str, int]:
        """Row counts of every table a request may write (to prove nothing was written)."""
        return {name: self.count(name) for name in _TABLES}

    def rows(self, table: str) -> list[Any]:
        """Every row of ``table``, by primary key."""
        t = _TABLES[table]
        with self.app.state.database.session(write=False) as s:
            return list(s.execute(select(t).order_by(*t.primary_key.columns)))

    def referral(self, referral_id: int) -> Any:
        """The ``referral`` row with this id."""
        return next(r for r in self.rows("referral") if r.id == referral_id)


@pytest.fixture
def start_referrals(
    data_dir: Path, keys: TestKeys, peers: FakePeers
) -> Iterator[Callable[..., Referrals]]:
    """Start a referrals app with the given settings overrides (stopped after the test)."""
    started: list[Referrals] = []

    def start(**overrides: Any) -> Referrals:
        app = create_app(
            _settings(data_dir, **overrides),
            token_verifier=keys.verifier(),
            peer_transport=httpx.MockTransport(one_event_at_a_time(peers.handler)),
        )
        client = TestClient(app)
        client.__enter__()
        started.append(Referrals(app, client, keys, peers))
        return started[-1]

    yield start
    for running in reversed(started):
        running.stop()


@pytest.fixture
def referrals(start_referrals: Callable[..., Referrals]) -> Referrals:
    """A running referrals app with default test settings."""
    return start_referrals()


@pytest.fixture
def make_settings(data_dir: Path) -> Callable[..., ReferralsSettings]:
    """Test settings (no ``.env``), with overrides."""
    return lambda **overrides: _settings(data_dir, **overrides)
