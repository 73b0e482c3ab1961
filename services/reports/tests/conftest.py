"""Fixtures of the reports tests (helpers are fixtures: with ``--import-mode=importlib``
test modules cannot import this file).

The schema is migrated once per session into a template SQLite file; each test gets
its own copy under ``tmp_path`` (the app's start-up migration then finds it at head).
Settings never read the developer's ``.env``.

Loyalty is faked twice over: its events are envelopes built here and posted to
``/internal/events`` with loyalty's service token (``events`` fixture), and its
``GET /internal/ledger`` plus auth's token endpoint are an ``httpx.MockTransport``
(:class:`FakeLoyalty`, fixture ``fake_loyalty``) for the backfill.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mubayiro.common.testing import CachingKeys, TestKeys, sqlite_fixtures
from mubayiro.reports.config import ALEMBIC_INI, ReportsSettings
from mubayiro.reports.main import create_app
from mubayiro.reports.models import (
    BusinessCustomer,
    BusinessCustomerDay,
    BusinessDay,
    ReportTransaction,
    processed_event,
)

AUTH_URL = "http://auth.test"
LOYALTY_URL = "http://loyalty.test"
EVENTS = "/internal/events"

_TABLES: dict[str, Any] = {
    "report_transaction": ReportTransaction.__table__,
    "business_day": BusinessDay.__table__,
    "business_customer": BusinessCustomer.__table__,
    "business_customer_day": BusinessCustomerDay.__table__,
    "processed_event": processed_event,
}


migrated_template, data_dir = sqlite_fixtures(ALEMBIC_INI, "reports.db")


def _settings(data_dir: Path, **overrides: Any) -> ReportsSettings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "environment": "test",
        "auth_url": AUTH_URL,
        "loyalty_url": LOYALTY_URL,
    }
    values.update(overrides)
    return ReportsSettings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def make_settings(data_dir: Path) -> Callable[..., ReportsSettings]:
    """``make_settings(**overrides)``: test settings on this test's database (unless
    ``data_dir`` is overridden), no ``.env``."""
    return lambda **overrides: _settings(overrides.pop("data_dir", data_dir), **overrides)


@pytest.fixture
def app(make_settings: Callable[..., ReportsSettings], keys: CachingKeys) -> FastAPI:
    """The reports app on this test's database, trusting the test key."""
    return create_app(make_settings(), token_verifier=keys.verifier())


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client of the app with its lifespan entered (migrated)."""
    with TestClient(app) as c:
        yield c


@pytest.fixture
def service_headers(keys: CachingKeys) -> dict[str, str]:
    """Authorization header with loyalty's service token."""
    return {"Authorization": f"Bearer {keys.service_token('loyalty')}"}


@pytest.fixture
def business_headers(keys: CachingKeys) -> Callable[[int], dict[str, str]]:
    """``business_headers(business_id)``: Authorization header with that business's token."""
    return lambda business_id: {"Authorization": f"Bearer {keys.business_token(business_id)}"}


def _iso(moment: datetime | str) -> str:
    return moment if isinstance(moment, str) else moment.isoformat()


class Events:
    """Builds loyalty's ``points.*`` envelopes (docs/events.md) and posts them."""

    def __init__(self, headers: dict[str, str]):
        self.headers = headers

    @staticmethod
    def envelope(event_type: str, data: dict[str, Any], *, event_id: str | None = None
                 ) -> dict[str, Any]:
        """An envelope around ``data`` (a fresh event id unless given)."""
        return {"id": event_id or str(uuid.uuid4()), "type": event_type, "source": "loyalty",
                "occurred_at": datetime.now(UTC).isoformat(), "data": data}

    def points_event(self, event_type: str, transaction_id: int, *, business_id: int = 1,
                     phone: str = "+263771234567",
                     at: datetime | str = "2026-11-20T10:00:00+00:00",
                     event_id: str | None = None, **fields: Any) -> dict[str, Any]:
        """A ``points.*`` envelope: what every such event carries, plus ``fields``."""
        return self.envelope(event_type, {
            "transaction_id": transaction_id, "business_id": business_id,
            "business_name": f"Business {business_id}", "customer_phone_number": phone,
            **fields, "timestamp": _iso(at)}, event_id=event_id)

    def earned(self, transaction_id: int, *, points: int = 10, amount: str = "10.00",
               **where: Any) -> dict[str, Any]:
        """A ``points.earned`` envelope (``where``: see :meth:`points_event`)."""
        return self.points_event("points.earned", transaction_id, amount_spent=amount,
                                 points=points, total_points=1000, **where)

    def redeemed(self, transaction_id: int, *, points: int = 10, **where: Any
                 ) -> dict[str, Any]:
        """A ``points.redeemed`` envelope (``points`` positive: the number redeemed)."""
        return self.points_event("points.redeemed", transaction_id, points=points,
                                 reward_description="Free coffee", reward_id=None,
                                 total_points=0, **where)

    def bonus(self, transaction_id: int, *, points: int = 50, **where: Any) -> dict[str, Any]:
        """A ``points.referral_bonus`` envelope."""
        return self.points_event("points.referral_bonus", transaction_id, points=points,
                                 total_points=1000, referral_id=transaction_id, **where)

    def reversed(self, transaction_id: int, *, points: int = -10, shortfall: int = 0,
                 reversed_type: str | None = None, amount: str | None = None,
                 **where: Any) -> dict[str, Any]:
        """A ``points.reversed`` envelope (``points`` signed: negative taken back,
        positive given back; the reversed type follows the sign unless given)."""
        kind = reversed_type or ("redeem" if points > 0 else "earn")
        return self.points_event("points.reversed", transaction_id, points=points,
                                 shortfall=shortfall, reversed_type=kind,
                                 reversed_transaction_id=transaction_id - 1, amount=amount,
                                 reason="Refund", total_points=0, **where)

    def expired(self, transaction_id: int, *, points: int = 10, **where: Any
                ) -> dict[str, Any]:
        """A ``points.expired`` envelope (``points`` positive: the number expired)."""
        return self.points_event("points.expired", transaction_id, points=points,
                                 total_points=0, **where)

    def imported(self, rows: list[tuple[int, str, int]], *, business_id: int = 1,
                 at: datetime | str = "2026-11-20T10:00:00+00:00",
                 event_id: str | None = None) -> dict[str, Any]:
        """A ``points.imported`` envelope: ``rows`` of ``(transaction_id, phone, points)``."""
        return self.envelope("points.imported", {
            "business_id": business_id, "business_name": f"Business {business_id}",
            "file_sha256": "0" * 64, "timestamp": _iso(at),
            "rows": [{"transaction_id": tid, "customer_phone_number": phone, "points": points,
                      "total_points": points} for tid, phone, points in rows],
        }, event_id=event_id)

    def from_ledger_row(self, row: dict[str, Any], *, event_id: str | None = None
                        ) -> dict[str, Any]:
        """The event loyalty emits for one of its ledger rows (see :class:`FakeLoyalty`)."""
        common = {"business_id": row["business_id"], "phone": row["customer_phone_number"],
                  "at": row["timestamp"], "event_id": event_id}
        kind = row["type"]
        if kind == "earn":
            return self.earned(row["id"], points=row["points"], amount=row["amount_spent"],
                               **common)
        if kind == "redeem":
            return self.redeemed(row["id"], points=-row["points"], **common)
        if kind == "reversal":
            return self.reversed(row["id"], points=row["points"],
                                 shortfall=row["shortfall"] or 0, **common)
        if kind == "expire":
            return self.expired(row["id"], points=-row["points"], **common)
        if kind == "import":
            return self.imported([(row["id"], row["customer_phone_number"], row["points"])],
                                 business_id=row["business_id"], at=row["timestamp"],
                                 event_id=event_id)
        return self.bonus(row["id"], points=row["points"], **common)

    def post(self, client: TestClient, envelope: dict[str, Any]) -> httpx.Response:
        """POST one envelope to ``/internal/events`` as loyalty."""
        return client.post(EVENTS, json=envelope, headers=self.headers)

    def send(self, client: TestClient, *envelopes: dict[str, Any]) -> None:
        """POST envelopes, asserting each one is acknowledged."""
        for envelope in envelopes:
            response = self.post(client, envelope)
            assert response.status_code == 200, response.text


@pytest.fixture
def events(service_headers: dict[str, str]) -> Events:
    """Builds and posts loyalty's events (see :class:`Events`)."""
    return Events(service_headers)


def _count_rows(app: FastAPI, table: str) -> int:
    with app.state.database.session(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(_TABLES[table])) or 0)


@pytest.fixture
def count_rows() -> Callable[[FastAPI, str], int]:
    """``count_rows(app, table)``: how many rows a table of the read model holds."""
    return _count_rows


def _snapshot(app: FastAPI) -> dict[str, list[tuple[Any, ...]]]:
    f, d, c, cd = (ReportTransaction, BusinessDay, BusinessCustomer, BusinessCustomerDay)
    with app.state.database.session(write=False) as session:
        def rows(query: Any) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in session.execute(query)]

        return {
            "facts": rows(select(
                f.transaction_id, f.business_id, f.phone_number, f.type, f.points,
                f.amount_spent, f.day, f.occurred_at).order_by(f.transaction_id)),
            "business_day": rows(select(*d.__table__.c).order_by(d.business_id, d.day)),
            "business_customer": rows(select(
                c.business_id, c.phone_number, c.points_earned, c.points_redeemed,
                c.transaction_count, c.first_seen_at, c.last_seen_at,
            ).order_by(c.business_id, c.phone_number)),
            "business_customer_day": rows(select(
                cd.business_id, cd.day, c.phone_number, cd.points_earned, cd.points_redeemed,
                cd.transaction_count,
            ).join(c, c.id == cd.customer_id).order_by(cd.business_id, cd.day, c.phone_number)),
        }


@pytest.fixture
def snapshot() -> Callable[[FastAPI], dict[str, list[tuple[Any, ...]]]]:
    """``snapshot(app)``: the read model's content, comparable between two databases
    (local customer ids replaced by phone numbers; arrival times and sources left out)."""
    return _snapshot


class FakeLoyalty:
    """Auth's token endpoint and loyalty's ``GET /internal/ledger``, as reports meets them.

    ``ledger`` is the list of ledger rows (id order). ``end_with_null`` chooses how the
    last page is marked: ``next_after_id: null`` (True) or an empty page after it.
    ``ledger_calls`` records ``(after_id, limit)`` of every page asked for.
    """

    def __init__(self, keys: TestKeys):
        self.keys = keys
        self.ledger: list[dict[str, Any]] = []
        self.end_with_null = True
        self.ledger_calls: list[tuple[int, int]] = []
        self.token_requests = 0
        self.fail_after_id: int | None = None
        self._issued: set[str] = set()

    def add(self, id: int, type: str, *, business_id: int = 1, phone: str = "+263771234567",
            points: int = 10, at: str = "2026-11-20T10:00:00+00:00",
            amount: str | None = None, shortfall: int | None = None) -> dict[str, Any]:
        """Append a ledger row (``points`` signed, as loyalty lists them; a reversal's
        ``shortfall`` defaults to 0)."""
        row = {
            "id": id, "type": type, "business_id": business_id,
            "business_name": f"Business {business_id}", "customer_phone_number": phone,
            "amount_spent": amount if amount is not None else (
                f"{points}.00" if type == "earn" else None),
            "points": points,
            "reward_description": "Free coffee" if type == "redeem" else None,
            "reward_id": None,
            "reversed_transaction_id": id - 1 if type == "reversal" else None,
            "shortfall": (shortfall or 0) if type == "reversal" else None,
            "staff_id": None, "timestamp": at,
        }
        self.ledger.append(row)
        return row

    def handler(self, request: httpx.Request) -> httpx.Response:
        origin = f"{request.url.scheme}://{request.url.host}"
        if origin == AUTH_URL and request.method == "POST" and request.url.path == "/auth/token":
            form = dict(httpx.QueryParams(request.content.decode()))
            if form != {"grant_type": "client_credentials", "client_id": "reports",
                        "client_secret": "dev-secret-reports"}:
                return httpx.Response(401, json={"detail": "bad client", "error": "Unauthorized"})
            token = self.keys.service_token("reports")
            self.token_requests += 1
            self._issued.add(token)
            return httpx.Response(200, json={"access_token": token, "token_type": "bearer",
                                             "expires_in": 900})
        if origin == LOYALTY_URL and request.method == "GET" and \
                request.url.path == "/internal/ledger":
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
            if bearer not in self._issued:
                return httpx.Response(401, json={"detail": "Missing bearer token",
                                                 "error": "Unauthorized"})
            after_id = int(request.url.params["after_id"])
            limit = int(request.url.params["limit"])
            self.ledger_calls.append((after_id, limit))
            if self.fail_after_id is not None and after_id >= self.fail_after_id:
                raise httpx.ConnectError("loyalty is down", request=request)
            rows = [r for r in self.ledger if r["id"] > after_id][:limit]
            more = bool(rows) and any(r["id"] > rows[-1]["id"] for r in self.ledger)
            if self.end_with_null:
                next_after_id = rows[-1]["id"] if more else None
            else:
                next_after_id = rows[-1]["id"] if rows else after_id
            return httpx.Response(200, json={"transactions": rows,
                                             "next_after_id": next_after_id})
        return httpx.Response(404, json={"detail": "no such fake route", "error": "NotFound"})

    def transport(self) -> httpx.MockTransport:
        """The transport the backfill's clients use."""
        return httpx.MockTransport(self.handler)


@pytest.fixture
def fake_loyalty(keys: CachingKeys) -> FakeLoyalty:
    """An empty fake loyalty ledger (with auth's token endpoint)."""
    return FakeLoyalty(keys)


@pytest.fixture(params=["grouping", "walk", "short walk"])
def walk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """How a range's customers are found: as shipped (test data is small, so grouped
    outright), by the walk whatever the range's size, or by a walk with pages of 2 and 4
    customers that gives up after 12 (so that its paging, its stop and its fallback all
    run on small data)."""
    from mubayiro.reports.figures import repository
    if request.param != "grouping":
        monkeypatch.setattr(repository, "GROUP_AT_MOST", -1)
    if request.param == "short walk":
        monkeypatch.setattr(repository, "_WALK_FIRST_PAGE", 2)
        monkeypatch.setattr(repository, "_WALK_MOST_PAGE", 4)
        monkeypatch.setattr(repository, "_WALK_MOST_CUSTOMERS", 12)
    return str(request.param)
