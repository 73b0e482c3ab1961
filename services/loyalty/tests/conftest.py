"""Fixtures for the loyalty tests: an app on a fresh SQLite file, its peers, tokens.

``loyalty`` is the one most tests use: a running app (lifespan entered, so migrated
and with its outbox dispatcher started) plus helpers to register businesses the way
auth does (an event on ``/internal/events``), mint tokens and count rows. Auth is the
real auth app (:class:`RealAuth`, started on loyalty's first call to it); the event
subscribers are faked with ``httpx.MockTransport``. Nothing touches the network.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.keys import jwk_thumbprint
from mubayiro.auth.main import create_app as create_auth
from mubayiro.auth.models import Business as AuthBusinessRow
from mubayiro.common.testing import (
    CachingKeys,
    PeerApps,
    TestKeys,
    one_event_at_a_time,
    sqlite_fixtures,
)
from mubayiro.loyalty.config import ALEMBIC_INI, LoyaltySettings
from mubayiro.loyalty.main import create_app
from mubayiro.loyalty.models import (
    AwardDay,
    Business,
    CrossPromotion,
    Customer,
    PointLot,
    PointTransaction,
    RedemptionCode,
    Reward,
    idempotency_record,
    outbox,
    processed_event,
)

AUTH_URL = "http://auth.test"
NOTIFICATIONS_URL = "http://notifications.test"
REPORTS_URL = "http://reports.test"

_TABLES = {
    "business": Business.__table__,
    "customer": Customer.__table__,
    "point_transaction": PointTransaction.__table__,
    "point_lot": PointLot.__table__,
    "outbox_message": outbox,
    "processed_event": processed_event,
    "idempotency_record": idempotency_record,
    "redemption_code": RedemptionCode.__table__,
    "award_day": AwardDay.__table__,
    "reward": Reward.__table__,
    "cross_promotion": CrossPromotion.__table__,
}


@pytest.fixture(scope="session")
def keys() -> TestKeys:
    """The key auth signs tokens with, under the ``kid`` auth derives from it (one per
    test run: RSA keys are slow to make), so the real auth app trusts test tokens too."""
    keys = CachingKeys()
    keys.kid = jwk_thumbprint(keys.private_key.public_key())
    return keys


class RealAuth:
    """The real auth app as loyalty's peer, started on loyalty's first call to it.

    Loyalty's service token comes from :class:`PeerApps`' stand-in for ``/auth/token``
    (signed by the test key, which auth trusts); ``/internal/businesses/{id}`` is auth's
    own route over auth's own database. :meth:`add_business` puts a business there with
    the id a test needs, as if it had registered and its event had not reached loyalty.
    """

    HOST = "auth.test"

    def __init__(self, keys: TestKeys, data_dir: Path):
        self.peers = PeerApps(keys=keys, auth_host=self.HOST)
        self.peers.serve(self.HOST, lambda: create_auth(AuthSettings(
            _env_file=None, environment="test", log_level="WARNING", data_dir=data_dir,
            jwt_private_key=keys.private_pem.decode(), loyalty_url=None,
            notifications_url=None)))

    @property
    def calls(self) -> list[str]:
        """``"METHOD /path"`` of every call loyalty made to auth."""
        prefix = f" {self.HOST}"
        return [c.replace(prefix, " ", 1) for c in self.peers.calls if prefix in c]

    @property
    def down(self) -> bool:
        """Whether auth refuses connections."""
        return self.HOST in self.peers.down

    @down.setter
    def down(self, value: bool) -> None:
        if value:
            self.peers.down.add(self.HOST)
        else:
            self.peers.down.discard(self.HOST)

    def add_business(self, business_id: int, name: str, *,
                     loyalty_rate: str | None = None, status: str = "active") -> None:
        """A business auth knows (registered with ``loyalty_rate``, if given), in
        ``status`` (``pending``, ``active`` or ``suspended``)."""
        database = self.peers.client(self.HOST).app.state.database
        with database.session() as s:
            s.add(AuthBusinessRow(
                id=business_id, name=name, contact_person="Owner",
                email=f"owner{business_id}@example.com", status=status,
                registration_loyalty_rate=Decimal(loyalty_rate) if loyalty_rate else None))

    def lookups(self) -> list[str]:
        """The business lookups loyalty made."""
        return [c for c in self.calls if "/internal/businesses/" in c]


class FakeSubscribers:
    """Notifications and reports receiving events on ``/internal/events``."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.failing: set[str] = set()
        self._lock = threading.Lock()

    def handler(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host in self.failing:
            return httpx.Response(503, json={"detail": "down", "error": "Unavailable"})
        with self._lock:
            self.received.append({
                "host": host,
                "path": request.url.path,
                "authorization": request.headers.get("authorization"),
                "envelope": json.loads(request.content),
            })
        return httpx.Response(200, json={"status": "processed"})

    def for_host(self, host: str) -> list[dict[str, Any]]:
        """What one subscriber received."""
        with self._lock:
            return [r for r in self.received if r["host"] == host]


class Loyalty:
    """A running loyalty app with its fakes, and helpers for the tests."""

    def __init__(self, app: FastAPI, client: TestClient, keys: TestKeys, auth: RealAuth,
                 subscribers: FakeSubscribers):
        self.app = app
        self.client = client
        self.keys = keys
        self.auth = auth
        self.subscribers = subscribers
        self._event_seq = 0

    def business_headers(self, business_id: int, **kw: Any) -> dict[str, str]:
        """Authorization header with a business token."""
        return {"Authorization": f"Bearer {self.keys.business_token(business_id, **kw)}"}

    def customer_headers(self, phone: str) -> dict[str, str]:
        """Authorization header with a customer token for the E.164 ``phone``."""
        return {"Authorization": f"Bearer {self.keys.customer_token(phone)}"}

    def service_headers(self, client_id: str = "auth") -> dict[str, str]:
        """Authorization header with a service token."""
        return {"Authorization": f"Bearer {self.keys.service_token(client_id)}"}

    def send_event(self, event_type: str, data: dict[str, Any], *,
                   event_id: str | None = None) -> httpx.Response:
        """Deliver an event as auth's dispatcher would."""
        self._event_seq += 1
        envelope = {
            "id": event_id or f"evt-{self._event_seq}",
            "type": event_type,
            "source": "auth",
            "occurred_at": "2026-11-24T10:00:00Z",
            "data": data,
        }
        return self.client.post("/internal/events", json=envelope,
                                headers=self.service_headers())

    def register_business(self, business_id: int, name: str,
                          loyalty_rate: str | None = None) -> None:
        """Make a business known to loyalty through auth's ``business.registered`` event."""
        resp = self.send_event("business.registered", {
            "business_id": business_id, "name": name, "contact_person": "Owner",
            "email": f"owner{business_id}@example.com", "loyalty_rate": loyalty_rate,
        })
        assert resp.status_code == 200, resp.text

    def add_points(self, business_id: int, phone: str, amount: Any, *,
                   headers: dict[str, str] | None = None, **extra: Any) -> httpx.Response:
        """POST /transactions/add_points as ``business_id``."""
        return self.client.post(
            "/transactions/add_points",
            json={"business_id": business_id, "customer_phone_number": phone,
                  "amount_spent": amount},
            headers={**self.business_headers(business_id), **(headers or {})},
            **extra,
        )

    def redemption_code(self, business_id: int, phone: str, *,
                        headers: dict[str, str] | None = None) -> str:
        """Ask for the customer's redemption code as ``business_id`` and read the code
        from the ``redemption_code.requested`` event in the outbox (the SMS it becomes
        is notifications' business)."""
        resp = self.client.post(
            "/transactions/redemption_codes",
            json={"business_id": business_id, "customer_phone_number": phone},
            headers=headers or self.business_headers(business_id),
        )
        assert resp.status_code == 202, resp.text
        phone_e164 = resp.json()["customer_phone_number"]
        with self.app.state.database.session(write=False) as s:
            envelopes = s.scalars(
                select(outbox.c.envelope)
                .where(outbox.c.event_type == "redemption_code.requested")
                .order_by(outbox.c.id.desc())
            )
            for envelope in envelopes:
                data = json.loads(envelope)["data"]
                if (data["business_id"], data["customer_phone_number"]) == (
                        business_id, phone_e164):
                    return str(data["code"])
        raise AssertionError("no redemption_code.requested event in the outbox")

    def redeem(self, business_id: int, phone: str, points: int, *,
               description: str = "Free coffee", code: str | None = None,
               headers: dict[str, str] | None = None, **fields: Any) -> httpx.Response:
        """POST /transactions/redeem_points as ``business_id`` with the customer's
        redemption code (asked for first unless ``code`` is given)."""
        if code is None:
            code = self.redemption_code(business_id, phone)
        return self.client.post(
            "/transactions/redeem_points",
            json={"business_id": business_id, "customer_phone_number": phone,
                  "points_to_redeem": points, "reward_description": description,
                  "customer_code": code, **fields},
            headers={**self.business_headers(business_id), **(headers or {})},
        )

    def reverse(self, business_id: int, transaction_id: int, *,
                headers: dict[str, str] | None = None, **body: Any) -> httpx.Response:
        """POST /transactions/{transaction_id}/reverse as ``business_id`` with ``body``."""
        return self.client.post(
            f"/transactions/{transaction_id}/reverse", json=body,
            headers={**self.business_headers(business_id), **(headers or {})},
        )

    def balances_match_ledger(self) -> dict[str, int]:
        """Every customer's balance, after checking it equals the sum of their ledger
        rows and is not negative."""
        with self.app.state.database.session(write=False) as s:
            rows = s.execute(
                select(Customer.phone_number, Customer.total_points,
                       func.coalesce(func.sum(PointTransaction.points), 0))
                .outerjoin(PointTransaction, PointTransaction.customer_id == Customer.id)
                .group_by(Customer.id)
            ).all()
        for phone, total, ledger in rows:
            assert total == ledger >= 0, (phone, total, ledger)
        return {phone: total for phone, total, _ in rows}

    def count(self, table: str) -> int:
        """How many rows ``table`` holds."""
        with self.app.state.database.session(write=False) as s:
            return int(s.scalar(select(func.count()).select_from(_TABLES[table])) or 0)

    def counts(self) -> dict[str, int]:
        """Row counts of the tables a request may write (to prove nothing was written)."""
        return {name: self.count(name) for name in
                ("business", "customer", "point_transaction", "outbox_message",
                 "idempotency_record", "reward", "cross_promotion")}

    def rows(self, table: str) -> list[Any]:
        """Every row of ``table``, by primary key."""
        t = _TABLES[table]
        with self.app.state.database.session(write=False) as s:
            return list(s.execute(select(t).order_by(*t.primary_key.columns)))


# A migrated copy per test (``make_settings`` copies it unless a test names another
# database, as the PostgreSQL tests do); ``test_app`` migrates an empty one on its own.
migrated_template, _ = sqlite_fixtures(ALEMBIC_INI, "loyalty.db")


@pytest.fixture
def make_settings(tmp_path: Path, migrated_template: Path) -> Callable[..., LoyaltySettings]:
    """Settings for a test app on a SQLite file under ``tmp_path`` (a migrated copy)."""

    def make(**overrides: Any) -> LoyaltySettings:
        values: dict[str, Any] = {
            "data_dir": tmp_path,
            "environment": "test",
            "auth_url": AUTH_URL,
            "notifications_url": NOTIFICATIONS_URL,
            "reports_url": REPORTS_URL,
            "referrals_url": None,
            "outbox_poll_seconds": 0.05,
            "outbox_max_backoff_seconds": 0.2,
            "log_level": "WARNING",
        }
        values.update(overrides)
        settings = LoyaltySettings(**values)
        target = settings.data_dir / "loyalty.db"
        if not settings.database_url and not target.exists():
            shutil.copyfile(migrated_template, target)
        return settings

    return make


@pytest.fixture
def auth(keys: TestKeys, tmp_path: Path) -> Iterator[RealAuth]:
    """The real auth app (started when loyalty first calls it, stopped after the test)."""
    real = RealAuth(keys, tmp_path / "auth")
    yield real
    real.peers.stop()


@pytest.fixture
def subscribers() -> FakeSubscribers:
    """Fake event subscribers."""
    return FakeSubscribers()


@pytest.fixture
def start_loyalty(
    make_settings: Callable[..., LoyaltySettings],
    keys: TestKeys,
    auth: RealAuth,
    subscribers: FakeSubscribers,
) -> Iterator[Callable[..., Loyalty]]:
    """Start a loyalty app with the given settings overrides (stopped after the test).

    ``recommender=`` replaces the rule-based recommendation engine.
    """
    started: list[TestClient] = []

    def start(*, recommender: Any = None, **overrides: Any) -> Loyalty:
        app = create_app(
            make_settings(**overrides),
            token_verifier=keys.verifier(),
            auth_transport=auth.peers,
            events_transport=httpx.MockTransport(one_event_at_a_time(subscribers.handler)),
            recommender=recommender,
        )
        client = TestClient(app)
        client.__enter__()
        started.append(client)
        return Loyalty(app, client, keys, auth, subscribers)

    yield start
    for client in reversed(started):
        client.__exit__(None, None, None)


@pytest.fixture
def loyalty(start_loyalty: Callable[..., Loyalty]) -> Loyalty:
    """A running loyalty app with default test settings."""
    return start_loyalty()


RACE_PHONE = "+263771234567"


def run_redeem_race(loyalty: Loyalty) -> None:
    """200 redemptions of 10 points and 100 earns, all at once, against 1,000 points.

    Every request is a real request through the app, on its own thread. Which
    redemptions succeed depends on how they interleave with the earns, so the checks
    are the ones that hold for every order:

    - every earn succeeds; every redemption is 201 or 409 ``InsufficientPoints``;
    - each 409 saw a balance below 10 at that moment (the detail reports it): no
      redemption was refused while the points were there;
    - the 1,000 points alone pay for 100 redemptions, so at least 100 succeed, and
      ``successes × 10 ≤ 1000 + earned``;
    - the final balance is ``1000 + earned − 10 × successes``, equals the sum of the
      ledger, is never negative, and the ledger holds exactly one row per success;
    - earned points are fewer than the 1,000 the last 100 redemptions would need, so
      some redemptions must fail.
    """
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    assert loyalty.add_points(1, RACE_PHONE, "1000.00").json()["total_points"] == 1000
    earn_amounts = [f"{1 + i % 9}.00" for i in range(100)]  # 1..9 points each
    earned = sum(1 + i % 9 for i in range(100))
    assert earned < 1000
    jobs = [("earn", a) for a in earn_amounts] + [("redeem", 10)] * 200
    random.Random(7).shuffle(jobs)
    headers = loyalty.business_headers(1)
    code = loyalty.redemption_code(1, RACE_PHONE)  # one visit: any number of redemptions

    def run(job: tuple[str, Any]) -> tuple[str, httpx.Response]:
        kind, value = job
        if kind == "earn":
            return kind, loyalty.add_points(1, RACE_PHONE, value)
        return kind, loyalty.client.post("/transactions/redeem_points", headers=headers, json={
            "business_id": 1, "customer_phone_number": RACE_PHONE, "points_to_redeem": value,
            "reward_description": "Free coffee", "customer_code": code})

    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(run, jobs))

    earns = [r for kind, r in results if kind == "earn"]
    redemptions = [r for kind, r in results if kind == "redeem"]
    assert [r.status_code for r in earns] == [201] * 100
    assert {r.status_code for r in redemptions} <= {201, 409}
    successes = [r for r in redemptions if r.status_code == 201]
    refusals = [r for r in redemptions if r.status_code == 409]
    for refusal in refusals:
        assert refusal.json()["error"] == "InsufficientPoints"
        seen = int(re.fullmatch(r"The customer has (\d+) points? and needs 10 points",
                                refusal.json()["detail"]).group(1))
        assert seen < 10
    assert refusals, "the earns cannot pay for every redemption"
    assert 100 <= len(successes) < 200
    assert len(successes) * 10 <= 1000 + earned
    assert all(r.json()["total_points"] >= 0 for r in successes)
    with loyalty.app.state.database.session(write=False) as s:
        final = s.scalar(select(Customer.total_points))
        ledger = s.scalar(select(func.sum(PointTransaction.points)))
        redeem_rows = s.scalar(select(func.count()).select_from(PointTransaction)
                               .where(PointTransaction.type == "redeem"))
    assert final == ledger == 1000 + earned - 10 * len(successes) >= 0
    assert redeem_rows == len(successes)


def run_reversal_race(loyalty: Loyalty) -> None:
    """50 refunds of 1.00 of one 30.00 purchase, and 50 whole reversals of another, all
    at once: exactly 30 partial refunds and 1 whole reversal go through, the others are
    409, and neither purchase is ever reversed for more than it earned."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="2")
    partial = loyalty.add_points(1, RACE_PHONE, "30.00").json()["transaction_id"]
    whole = loyalty.add_points(1, RACE_PHONE, "10.00").json()["transaction_id"]

    def run(job: tuple[int, dict[str, Any]]) -> httpx.Response:
        transaction_id, body = job
        return loyalty.reverse(1, transaction_id, **body)

    jobs = [(partial, {"amount": "1.00"})] * 50 + [(whole, {})] * 50
    random.Random(3).shuffle(jobs)
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(zip(jobs, pool.map(run, jobs), strict=True))

    partials = [r for (tid, _), r in results if tid == partial]
    wholes = [r for (tid, _), r in results if tid == whole]
    assert sorted(r.status_code for r in partials) == [201] * 30 + [409] * 20
    assert sorted(r.status_code for r in wholes) == [201] + [409] * 49
    assert {r.json()["error"] for r in partials + wholes if r.status_code == 409} == {
        "AlreadyReversed"}
    taken = [-r.json()["points"] + r.json()["shortfall"]
             for r in partials + wholes if r.status_code == 201]
    assert sum(taken) == 60 + 20
    assert loyalty.balances_match_ledger() == {RACE_PHONE: 0}


@pytest.fixture
def reversal_race() -> Callable[[Loyalty], None]:
    """The reversal race (see :func:`run_reversal_race`), for SQLite and PostgreSQL."""
    return run_reversal_race


@pytest.fixture
def redeem_race() -> Callable[[Loyalty], None]:
    """The redemption race (see :func:`run_redeem_race`), for SQLite and PostgreSQL."""
    return run_redeem_race
