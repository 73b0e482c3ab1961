"""Fixtures of the MCP server tests: the real loyalty and reports apps in-process, the
MCP app on top of them, and MCP clients (the SDK's own) that present a token.

Peers are the real apps over their ASGI interface (each inside a ``TestClient``, so its
lifespan ran: migrated SQLite files under ``tmp_path``, outbox dispatcher started);
:class:`Peers` routes the MCP server's HTTP calls to them by host. Only auth's token
endpoint is answered here (a service token signed by the test key), since every app
trusts that key. Loyalty's events reach reports through the same router, so reports'
figures come from real ``points.*`` events.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from mubayiro.common.testing import CachingKeys, TestKeys, wait_until
from mubayiro.loyalty.config import LoyaltySettings
from mubayiro.loyalty.main import create_app as create_loyalty
from mubayiro.mcp_server.config import McpSettings
from mubayiro.mcp_server.main import create_app as create_mcp
from mubayiro.reports.config import ReportsSettings
from mubayiro.reports.main import create_app as create_reports

AUTH_HOST = "auth.test"
LOYALTY_HOST = "loyalty.test"
REPORTS_HOST = "reports.test"
MCP_URL = "http://mcp.test/mcp"

ALICE = "+263771111111"
BOB = "+263772222222"


class Peers(httpx.BaseTransport):
    """Routes a request by host to a real app (its TestClient) or to auth's token stub."""

    def __init__(self, keys: TestKeys):
        self.keys = keys
        self.apps: dict[str, TestClient] = {}
        self.calls: list[tuple[str, str, str | None]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Forward ``request`` to the app serving its host."""
        host = request.url.host
        self.calls.append((host, request.url.path, request.headers.get("authorization")))
        if host == AUTH_HOST and request.url.path == "/auth/token":
            form = dict(httpx.QueryParams(request.read().decode()))
            token = self.keys.service_token(form["client_id"])
            return httpx.Response(200, json={"access_token": token, "token_type": "bearer",
                                             "expires_in": 600})
        client = self.apps.get(host)
        if client is None:
            raise httpx.ConnectError(f"{host} is down", request=request)
        resp = client.request(request.method, request.url.raw_path.decode(),
                              headers=dict(request.headers), content=request.read())
        return httpx.Response(resp.status_code, headers=resp.headers, content=resp.content)


class Coalition:
    """The running peers, with helpers to make data through their real routes."""

    def __init__(self, keys: TestKeys, peers: Peers, loyalty: TestClient, reports: TestClient):
        self.keys = keys
        self.peers = peers
        self.loyalty = loyalty
        self.reports = reports
        self._event = 0

    def business(self, business_id: int, name: str, rate: str = "1") -> None:
        """Register a business in loyalty as auth's event would."""
        self._event += 1
        resp = self.loyalty.post("/internal/events", headers=self.service("auth"), json={
            "id": f"evt-{self._event}", "type": "business.registered", "source": "auth",
            "occurred_at": "2026-11-24T10:00:00Z",
            "data": {"business_id": business_id, "name": name, "contact_person": "Owner",
                     "email": f"owner{business_id}@example.com", "loyalty_rate": rate}})
        assert resp.status_code == 200, resp.text

    def earn(self, business_id: int, phone: str, amount: str) -> dict[str, Any]:
        """Award points for a purchase."""
        resp = self.loyalty.post("/transactions/add_points", headers=self.as_business(business_id),
                                 json={"business_id": business_id, "customer_phone_number": phone,
                                       "amount_spent": amount})
        assert resp.status_code == 201, resp.text
        return resp.json()

    def write(self, business_id: int, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST ``body`` to loyalty's ``path`` as ``business_id`` (201 expected)."""
        resp = self.loyalty.post(path, headers=self.as_business(business_id), json=body)
        assert resp.status_code == 201, resp.text
        return resp.json()

    def reward(self, business_id: int, name: str, cost: int) -> None:
        """Add a reward to a business's catalog."""
        resp = self.loyalty.post(f"/businesses/{business_id}/rewards",
                                 headers=self.as_business(business_id),
                                 json={"name": name, "points_cost": cost})
        assert resp.status_code == 201, resp.text

    def promote(self, business_id: int, partners: list[int]) -> None:
        """Set a business's cross-promoted partners."""
        resp = self.loyalty.put(f"/businesses/{business_id}/cross_promotions",
                                headers=self.as_business(business_id),
                                json={"partner_business_ids": partners})
        assert resp.status_code == 200, resp.text

    def service(self, client_id: str) -> dict[str, str]:
        """Authorization header of a service token."""
        return {"Authorization": f"Bearer {self.keys.service_token(client_id)}"}

    def as_business(self, business_id: int) -> dict[str, str]:
        """Authorization header of a business token."""
        return {"Authorization": f"Bearer {self.keys.business_token(business_id)}"}

    def as_customer(self, phone: str) -> dict[str, str]:
        """Authorization header of a customer token."""
        return {"Authorization": f"Bearer {self.keys.customer_token(phone)}"}

    def reports_issued(self, business_id: int) -> int:
        """Points issued by a business according to reports."""
        resp = self.reports.get("/reports/total_points_issued",
                                headers=self.as_business(business_id))
        return int(resp.json()["total_points_issued"])


@pytest.fixture
def coalition(tmp_path: Path, keys: CachingKeys) -> Iterator[Coalition]:
    """Loyalty and reports running, with three shops, rewards, and two customers.

    Alice: 40 points from 7 purchases at Mazoe Cafe (rate 1) and Harare Butchery (rate 2).
    Bob: 500 points at Harare Butchery. Mazoe Cafe promotes Harare Butchery.
    """
    peers = Peers(keys)
    common: dict[str, Any] = {"environment": "test", "auth_url": f"http://{AUTH_HOST}",
                              "log_level": "WARNING", "outbox_poll_seconds": 0.05}
    reports_app = create_reports(
        ReportsSettings(_env_file=None, data_dir=tmp_path / "reports", **common),
        token_verifier=keys.verifier())
    loyalty_app = create_loyalty(
        LoyaltySettings(_env_file=None, data_dir=tmp_path / "loyalty",
                        reports_url=f"http://{REPORTS_HOST}", notifications_url=None,
                        # No notifications here to text a redemption code.
                        require_customer_code=False,
                        outbox_max_backoff_seconds=0.2, **common),
        token_verifier=keys.verifier(), auth_transport=peers, events_transport=peers)
    with TestClient(reports_app) as reports, TestClient(loyalty_app) as loyalty:
        peers.apps = {LOYALTY_HOST: loyalty, REPORTS_HOST: reports}
        world = Coalition(keys, peers, loyalty, reports)
        world.business(1, "Mazoe Cafe")
        world.business(2, "Harare Butchery", rate="2")
        world.business(3, "Chicken Inn")
        for i in range(7):
            world.earn(1 + i % 2, ALICE, f"{i + 1}.00")
        world.earn(2, BOB, "250.00")
        world.reward(1, "Free coffee", 30)
        world.reward(1, "Cake", 500)
        world.reward(2, "Braai pack", 450)
        world.promote(1, [2])
        wait_until(lambda: world.reports_issued(2) == 524, message="reports to catch up")
        yield world


@pytest.fixture
def make_mcp(coalition: Coalition, keys: CachingKeys) -> Callable[..., FastAPI]:
    """Build the MCP app on the coalition (settings overridable)."""

    def make(**overrides: Any) -> FastAPI:
        values: dict[str, Any] = {
            "environment": "test", "log_level": "WARNING", "auth_url": f"http://{AUTH_HOST}",
            "loyalty_url": f"http://{LOYALTY_HOST}", "reports_url": f"http://{REPORTS_HOST}",
            "public_url": "https://mubayiro.test/mcp",
            "authorization_server_url": "https://mubayiro.test/auth",
        }
        values.update(overrides)
        return create_mcp(McpSettings(_env_file=None, **values), token_verifier=keys.verifier(),
                          peer_transport=coalition.peers)

    return make


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[FastAPI]:
    """``app`` with its lifespan entered (the SDK's session manager running), in the
    calling task: anyio's task groups must be left by the task that entered them."""
    async with app.router.lifespan_context(app):
        yield app


def http_client(app: FastAPI, token: str | None) -> httpx2.AsyncClient:
    """An async HTTP client (the SDK's httpx2) onto ``app`` presenting ``token``."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), headers=headers,
                              base_url="http://mcp.test", timeout=30)


@pytest.fixture
def connect(
    make_mcp: Callable[..., FastAPI],
) -> Callable[..., AbstractAsyncContextManager[Client]]:
    """``async with connect(token) as client``: the SDK's client over streamable HTTP,
    onto a fresh MCP app (``app=`` to share one, e.g. for rate limits)."""

    @asynccontextmanager
    async def open_client(token: str, app: FastAPI | None = None) -> AsyncIterator[Client]:
        target = app or make_mcp()
        async with running(target), http_client(target, token) as http:
            transport = streamable_http_client(MCP_URL, http_client=http)
            async with Client(transport) as client:
                yield client

    return open_client
