"""Two replicas of loyalty and two of auth, on PostgreSQL, behind the real Traefik.

What production's replicas rely on (docs/deploy.md, "Replicas behind Traefik"), shown with
real processes: every service on its own PostgreSQL database on the local server, loyalty
and auth each started twice on the same database, and Traefik balancing between the two
(its development overlay lists both servers; the access log proves both answered).

- 200 concurrent earn and redeem requests over both loyalty replicas keep the ledger
  invariant: ``total_points == sum(points) >= 0``, one row per accepted request;
- an OTP's attempt limit and the per-phone code limit hold across both auth replicas;
- every event of both loyalty replicas' outbox dispatchers is processed exactly once by
  reports (its figures equal the ledger) and by notifications (one SMS per transaction).
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from mubayiro.common.testing import free_port, postgres_database, wait_until
from tests.helpers import (
    latest_sign_in_code,
    new_phone,
    register_business,
    sign_in_customer,
    sms_bodies,
    unique,
)
from tests.integration.consent import redemption_code
from tests.platform import PACKAGES, SERVICES, Platform

#: The services started twice, and the ones that own a database.
REPLICATED = ("auth", "loyalty")
WITH_DATABASE = ("auth", "loyalty", "notifications", "referrals", "reports")
SECOND = "-2"


class ReplicaPlatform(Platform):
    """:class:`Platform` on PostgreSQL, with a second process of each ``REPLICATED`` service.

    ``<service>-2`` is a second ``python -m mubayiro.<service>`` with the same settings (the
    same database) on its own port. Traefik's development overlay lists both addresses of each
    replicated service (``GATEWAY_UPSTREAMS`` takes a list per service), so it balances
    between them; :meth:`balance` waits until both have answered through it.
    """

    def __init__(self, root: Path, database_urls: dict[str, str]):
        super().__init__(root)
        self.database_urls = database_urls
        for name in REPLICATED:
            self.ports[name + SECOND] = free_port()

    def env_for(self, name: str) -> dict[str, str]:
        """The platform's wiring, every service on its database, a replica on its port."""
        service = name.removesuffix(SECOND)
        env = super().env_for(service)
        for owner, url in self.database_urls.items():
            env[f"{owner.upper()}_DATABASE_URL"] = url
        if name.endswith(SECOND):
            env[f"{service.upper()}_PORT"] = str(self.ports[name])
        upstreams: dict[str, str | list[str]] = {s: self.service_url(s) for s in SERVICES}
        for replicated in REPLICATED:
            upstreams[replicated] = [self.service_url(replicated),
                                     f"http://127.0.0.1:{self.ports[replicated + SECOND]}"]
        env["GATEWAY_UPSTREAMS"] = json.dumps(upstreams)
        return env

    def start(self, name: str) -> None:
        """Start one process (a replica like its first) and wait until it answers."""
        if not name.endswith(SECOND):
            super().start(name)
            return
        service = name.removesuffix(SECOND)
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self.logs[name] = log
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", f"mubayiro.{PACKAGES.get(service, service)}"],
            cwd=self.root, env=self.env_for(name), stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{self.ports[name]}/readyz"
        wait_until(lambda: self._ok(url), timeout=30, message=f"{name} to start")

    @property
    def access_log(self) -> Path:
        """Traefik's access log: one JSON line per request, with the server that answered."""
        return self.root / "gateway" / "gateway" / "access.log"

    def balance(self) -> None:
        """Wait until requests through Traefik have reached both servers of every replicated
        service (Traefik's round robin takes turns between them)."""
        with self.client() as gw:
            for name in REPLICATED:
                def both_answered(name: str = name) -> bool:
                    assert gw.get(f"/healthz/{name}").status_code == 200
                    return len(self.servers_used(f"/healthz/{name}")) == 2
                wait_until(both_answered, timeout=30, interval=0.1,
                           message=f"Traefik to balance {name} over both replicas")

    def servers_used(self, path_prefix: str) -> Counter[str]:
        """How many requests under ``path_prefix`` each server answered (access log)."""
        used: Counter[str] = Counter()
        if not self.access_log.exists():
            return used
        for line in self.access_log.read_text().splitlines():
            entry = json.loads(line)
            if entry.get("RequestPath", "").startswith(path_prefix) and entry.get("ServiceAddr"):
                used[entry["ServiceAddr"]] += 1
        return used


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    """The platform with two loyalty and two auth processes, on PostgreSQL."""
    assert set(WITH_DATABASE) <= set(SERVICES)
    with ExitStack() as stack:
        urls = {name: stack.enter_context(postgres_database(f"replicas_{name}"))
                for name in WITH_DATABASE}
        platform = ReplicaPlatform(tmp_path_factory.mktemp("replicas"), urls)
        stack.callback(platform.stop_all)
        # One process migrates each database before its replica starts: two `alembic
        # upgrade` at once on one database would race (docs/deploy.md).
        for name in SERVICES:
            platform.start(name)
            if name in REPLICATED:
                platform.start(name + SECOND)
        for name in ("web", "gateway"):
            platform.start(name)
        platform.balance()
        yield platform


def _history(gw: httpx.Client, phone: str, customer: dict[str, str]) -> list[dict]:
    """The customer's whole history, page by page."""
    rows: list[dict] = []
    while True:
        page = gw.get(f"/customers/{phone}/transactions", headers=customer,
                      params={"limit": 50, "offset": len(rows)})
        assert page.status_code == 200, page.text
        rows.extend(page.json())
        if len(page.json()) < 50:
            return rows


def test_the_ledger_holds_under_concurrent_earns_and_redeems_over_two_replicas(replicas):
    with replicas.client() as gw:
        business_id, headers, _email = register_business(gw, unique("Replica Grocers"), "Rudo Dube")
        phone = new_phone()
        first = gw.post("/transactions/add_points", headers=headers, json={
            "business_id": business_id, "customer_phone_number": phone, "amount_spent": "30"})
        assert first.status_code == 201, first.text
        code = redemption_code(gw, headers, business_id, phone)  # one visit, many redemptions
    before = replicas.servers_used("/transactions/")

    # 200 requests, half earning 7 points and half redeeming 10, from 16 threads at once:
    # redemptions race the earns and each other for the same balance.
    requests = [("earn", i) if i % 2 else ("redeem", i) for i in range(200)]
    random.shuffle(requests)

    def send(request: tuple[str, int]) -> tuple[str, int, dict]:
        kind, _ = request
        with replicas.client() as client:
            if kind == "earn":
                r = client.post("/transactions/add_points", headers=headers, json={
                    "business_id": business_id, "customer_phone_number": phone,
                    "amount_spent": "7"})
            else:
                r = client.post("/transactions/redeem_points", headers=headers, json={
                    "business_id": business_id, "customer_phone_number": phone,
                    "points_to_redeem": 10, "reward_description": "Bread",
                    "customer_code": code})
            return kind, r.status_code, r.json()

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(send, requests))

    statuses = Counter((kind, status) for kind, status, _ in results)
    assert statuses[("earn", 201)] == 100, statuses
    assert statuses[("redeem", 201)] + statuses[("redeem", 409)] == 100, statuses
    assert all(body["error"] == "InsufficientPoints"
               for kind, status, body in results if status == 409)
    assert all(body["total_points"] >= 0 for _, status, body in results if status == 201)
    redeemed = statuses[("redeem", 201)]
    assert redeemed > 0

    used = replicas.servers_used("/transactions/") - before
    assert len(used) == 2 and min(used.values()) >= 20, f"not spread over both: {used}"

    with replicas.client() as gw:
        customer = sign_in_customer(gw, phone)
        balance = gw.get(f"/customers/points/{phone}", headers=customer).json()["total_points"]
        history = _history(gw, phone, customer)
        assert len(history) == 1 + 100 + redeemed
        assert balance == sum(t["points"] for t in history) == 30 + 7 * 100 - 10 * redeemed
        assert balance >= 0

        # Both replicas' dispatchers delivered every event; each was processed once.
        def reports_caught_up():
            summary = gw.get("/reports/summary", headers=headers).json()
            return (summary["total_points_issued"] == 30 + 700
                    and summary["total_redemptions"]["count"] == redeemed) and summary
        summary = wait_until(reports_caught_up, timeout=60, interval=0.5,
                             message="reports to process every event")
        assert summary["total_redemptions"]["points"] == 10 * redeemed

        def all_sms_sent():
            bodies = sms_bodies(gw, phone)
            earned = sum(b.startswith("You earned") for b in bodies)
            spent = sum(b.startswith("You redeemed") for b in bodies)
            return (earned, spent) if earned >= 101 and spent >= redeemed else None
        earned, spent = wait_until(all_sms_sent, timeout=60, interval=0.5,
                                   message="notifications to process every event")
        assert (earned, spent) == (101, redeemed), "an event was processed twice"


def _at_once_over_both(replicas, path: str, body: dict, *, times: int) -> Counter[int]:
    """POST ``body`` to auth's ``path`` ``times`` at once, each on its own connection; the
    statuses. Fails unless both auth replicas answered some of them."""
    before = replicas.servers_used(path)

    def post(_: int) -> int:
        with replicas.client() as client:
            return client.post(path, json=body).status_code

    with ThreadPoolExecutor(max_workers=times) as pool:
        statuses = Counter(pool.map(post, range(times)))
    used = replicas.servers_used(path) - before
    assert len(used) == 2, f"not spread over both auth replicas: {used}"
    return statuses


def test_otp_attempt_limit_holds_across_both_auth_replicas(replicas):
    with replicas.client() as gw:
        phone = new_phone()
        assert gw.post("/auth/customer/otp/request",
                       json={"phone_number": phone}).status_code == 202
        code = wait_until(lambda: latest_sign_in_code(gw, phone), timeout=15, message="the code")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    statuses = _at_once_over_both(replicas, "/auth/customer/otp/verify",
                                  {"phone_number": phone, "code": wrong}, times=10)
    # Five wrong guesses are compared (401); every other one is refused (429), whichever
    # replica got it.
    assert statuses == Counter({401: 5, 429: 5}), statuses
    with replicas.client() as gw:
        late = gw.post("/auth/customer/otp/verify", json={"phone_number": phone, "code": code})
        assert late.status_code == 429, late.text


def test_per_phone_code_limit_holds_across_both_auth_replicas(replicas):
    phone = new_phone()
    statuses = _at_once_over_both(replicas, "/auth/customer/otp/request",
                                  {"phone_number": phone}, times=8)
    assert statuses == Counter({202: 3, 429: 5}), statuses
    with replicas.client() as gw:
        def three_codes():
            codes = [b for b in sms_bodies(gw, phone) if re.search(r"code is \d{6}", b)]
            return len(codes) >= 3 and codes
        assert len(wait_until(three_codes, timeout=30, message="three codes")) == 3
