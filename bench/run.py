"""``make bench``: the platform's performance figures, each beside its ceiling, from one run.

Starts the real platform exactly as the integration tests do (every service a process on
its own SQLite files, the web app and the real Traefik: :class:`tests.platform.Platform`),
then measures, in this order and in the same run:

1. **start-up**: from starting the processes to ``GET /readyz`` 200 through Traefik;
2. **ceilings**: ``GET /healthz/loyalty`` through Traefik (the full path, trivial work) and
   loyalty's own ``/healthz`` (no gateway);
3. **earn**: ``POST /transactions/add_points`` through Traefik from 32 connections, random
   customers, with reports and notifications running and consuming; each process's peak RSS
   is sampled meanwhile, and its CPU time per award is reported;
4. **event lag**: once the load stops, how long until every award has its SMS queued in
   notifications and reports' ``total_points_issued`` equals the ledger's sum;
   then awards from 1 and from 8 connections, for the latency of fewer tills;
5. **redeem under contention**: 32 connections redeeming 1 point at a time from 10 hot
   customers, then the ledger invariant (balance = sum of rows, never negative) checked;
6. **lookup at scale**: ``GET /customers/points/{phone}`` as the customers themselves, after a
   bulk load (straight into loyalty's tables, not through the API) of many customers and
   transactions; then again on PostgreSQL (the server at 127.0.0.1:5432, a second platform
   with loyalty's database there, loaded with ``COPY``);
7. **reports summary**: ``GET /reports/summary`` for all time, 30 and 365 days over a read
   model of 1,000,000 transactions (``bench/reports_summary.py``, run once the platform
   has stopped);
8. **writers**: loyalty's award without HTTP from 32 threads, by the two designs of SQLite
   writers the issue names: the writer gate (shipped) and a single writer thread with
   group commit (``bench/writers.py``, once the platform has stopped).

The load generator is wrk (Debian's package): one C process drives 32+ connections from a
single core with Lua scripts for the POST bodies (``bench/wrk/``), where a Python load
generator would itself starve the 2-core machine it measures. Each script ends by printing
one JSON line of figures (requests, rate, p50/p90/p99/max latency, non-2xx, socket errors).

Prints one table and writes ``bench/results/<UTC date-time>.json``. ``--quick`` shortens every
load and loads 100,000 transactions instead of 10,000,000 (and 100,000 instead of
1,000,000 for the reports summary): under two minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform as host
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "bench" / "wrk"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from mubayiro.common.testing import wait_until  # noqa: E402
from tests.platform import Platform  # noqa: E402 - the repository root is on the path now

EARN_PREFIX = "+26377"
HOT_PREFIX = "+26371"
LOAD_PREFIX = "+26378"


@dataclass
class Figure:
    """One line of the table: a measured figure, and what it is compared with."""

    what: str
    value: str
    against: str = ""
    ok: bool | None = None


@dataclass
class Bench:
    """A benchmark run: the platform, the business it acts as, and what it found."""

    platform: Platform
    quick: bool
    results: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    business_id: int = 0
    token: str = ""

    # --- plumbing ------------------------------------------------------------------------

    def wrk(self, script: str, url: str, *, connections: int, seconds: float,
            env: dict[str, str] | None = None) -> dict[str, Any]:
        """Run wrk with one of ``bench/wrk/*.lua``; the figures of its JSON line."""
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
                   "-s", str(LUA / script), url]
        full_env = {**os.environ, "BENCH_LUA_DIR": str(LUA), **(env or {})}
        done = subprocess.run(command, env=full_env, capture_output=True, text=True,
                              check=True)
        figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return figures

    def script(self, name: str, *args: str) -> dict[str, Any]:
        """Run ``bench/<name>`` in a process of its own with ``--json``; its figures."""
        out = self.platform.root / f"{Path(name).stem}.json"
        subprocess.run([sys.executable, str(ROOT / "bench" / name), *args, "--json", str(out)],
                       cwd=ROOT, check=True, capture_output=True, text=True)
        figures: dict[str, Any] = json.loads(out.read_text())
        return figures

    def client(self) -> httpx.Client:
        """An HTTPS client for the gateway."""
        return self.platform.client()

    def db(self, service: str) -> sqlite3.Connection:
        """A read connection to a service's SQLite file."""
        path = self.platform.root / service / f"{service}.db"
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        connection.execute("PRAGMA busy_timeout = 30000")
        return connection

    def rss_mb(self) -> dict[str, float]:
        """Resident memory of each process now, in MB."""
        sizes: dict[str, float] = {}
        for name, proc in self.platform.procs.items():
            try:
                status = Path(f"/proc/{proc.pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    sizes[name] = int(line.split()[1]) / 1024
        return sizes

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) each process has used so far, in seconds."""
        tick = os.sysconf("SC_CLK_TCK")
        used: dict[str, float] = {}
        for name, proc in self.platform.procs.items():
            try:
                fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used[name] = (int(fields[11]) + int(fields[12])) / tick
        return used

    # --- set-up --------------------------------------------------------------------------

    def register_business(self) -> None:
        """A business with a rate of 1 point per dollar, and its token."""
        email = f"bench-{uuid.uuid4().hex[:8]}@example.co.zw"
        with self.client() as gw:
            created = gw.post("/auth/register_business", json={
                "name": f"Bench Butchery {uuid.uuid4().hex[:4]}", "contact_person": "Bench",
                "email": email, "password": "Bench-2026!"})
            created.raise_for_status()
            self.business_id = created.json()["id"]
            login = gw.post("/auth/login_business", json={"email": email,
                                                          "password": "Bench-2026!"})
            login.raise_for_status()
            self.token = login.json()["access_token"]
        # Loyalty learns of the business with its first award; then the operator lifts its
        # daily award limit, as for any high-volume shop (the load awards millions).
        self.first_award()
        subprocess.run(
            [sys.executable, "-m", "mubayiro.loyalty", "limits", str(self.business_id),
             "--per-transaction", "10000000", "--per-day", "1000000000000"],
            env=self.platform.env_for("loyalty"), cwd=self.platform.root, check=True,
            capture_output=True)

    def first_award(self) -> None:
        """One award, which makes loyalty fetch the business from auth."""
        with self.client() as gw:
            first = gw.post("/transactions/add_points", headers={
                "Authorization": f"Bearer {self.token}"}, json={
                "business_id": self.business_id, "customer_phone_number": f"{EARN_PREFIX}0000000",
                "amount_spent": "1.00"})
            first.raise_for_status()

    def business_env(self) -> dict[str, str]:
        """What the wrk scripts need to act as the business."""
        return {"BENCH_TOKEN": self.token, "BENCH_BUSINESS_ID": str(self.business_id)}

    # --- measurements -------------------------------------------------------------------

    def ceilings(self, seconds: float) -> None:
        """The gateway's ceiling (a trivial route through the full path) and loyalty's own."""
        gateway = self.wrk("get.lua", f"{self.platform.base_url}/healthz/loyalty",
                           connections=32, seconds=seconds)
        direct = self.wrk("get.lua", f"{self.platform.service_url('loyalty')}/healthz",
                          connections=32, seconds=seconds)
        self.results["ceiling_gateway"] = gateway
        self.results["ceiling_loyalty_direct"] = direct
        ratio = gateway["rps"] / direct["rps"]
        self.figures += [
            Figure("GET /healthz/loyalty through Traefik (32 conn)",
                   f"{gateway['rps']:,.0f} req/s, p99 {gateway['p99_ms']:.1f} ms",
                   f"loyalty direct {direct['rps']:,.0f} req/s, p99 {direct['p99_ms']:.1f} ms"),
            Figure("  gateway / direct", f"{ratio:.2f}", "≥ 0.60", ratio >= 0.6),
        ]

    def earn(self, seconds: float) -> None:
        """Awards through the gateway from 32 connections, with peak RSS sampled."""
        peak: dict[str, float] = {}
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                for name, mb in self.rss_mb().items():
                    peak[name] = max(peak.get(name, 0.0), mb)
                stop.wait(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        cpu_before = self.cpu_seconds()
        try:
            figures = self.wrk("earn.lua", self.platform.base_url, connections=32,
                               seconds=seconds,
                               env={**self.business_env(), "BENCH_PHONE_PREFIX": EARN_PREFIX})
        finally:
            stop.set()
            sampler.join()
        cpu_after = self.cpu_seconds()
        self.results["earn"] = figures
        self.results["rss_peak_mb"] = peak
        # Where an award's CPU goes (the profile's first question): ms per award, by process.
        per_award = {name: 1000 * (cpu_after[name] - cpu_before.get(name, 0.0))
                     / max(1, figures["requests"]) for name in cpu_after}
        self.results["earn_cpu_ms_per_award"] = per_award
        ceiling = self.results["ceiling_gateway"]["rps"]
        ratio = figures["rps"] / ceiling
        errors = _errors(figures)
        self.figures += [
            Figure("POST /transactions/add_points through Traefik (32 conn)",
                   _load(figures, p50=True), f"ceiling {ceiling:,.0f} req/s"),
            Figure("  earn / ceiling", f"{ratio:.2f}", "≥ 0.25", ratio >= 0.25),
            Figure("  earn p99", f"{figures['p99_ms']:.1f} ms", "≤ 50 ms",
                   figures["p99_ms"] <= 50 and errors == 0),
        ]
        busy = {name: ms for name, ms in per_award.items() if ms >= 0.05}
        self.figures.append(Figure(
            "  CPU per award, by process",
            ", ".join(f"{_process(name)} {ms:.1f} ms" for name, ms in
                      sorted(busy.items(), key=lambda item: -item[1])),
            f"total {sum(per_award.values()):.1f} ms of {os.cpu_count()} cores"))
        for name, mb in sorted(peak.items()):
            if name == "gateway":  # Traefik: not one of our Python services
                self.figures.append(Figure("  peak RSS of traefik", f"{mb:.0f} MB"))
            else:
                self.figures.append(Figure(f"  peak RSS of {name}", f"{mb:.0f} MB", "≤ 100 MB",
                                           mb <= 100))

    def event_lag(self, timeout: float = 120.0) -> None:
        """Once the load stops: time until every SMS is queued and reports match the ledger.

        The ledger is read again at every poll: requests wrk had in flight when it stopped
        may still commit for a moment after, and they count too.
        """
        stopped = time.monotonic()
        sms_done = reports_done = None
        count = total = 0

        def ledger() -> tuple[int, int]:
            with self.db("loyalty") as loyalty:
                row = loyalty.execute(
                    "SELECT count(*), coalesce(sum(points), 0) FROM point_transaction "
                    "WHERE business_id = ? AND type = 'earn'", (self.business_id,)).fetchone()
            return int(row[0]), int(row[1])

        def sms_queued() -> int:
            with self.db("notifications") as notifications:
                return int(notifications.execute(
                    "SELECT count(*) FROM sms_message WHERE to_number LIKE ?",
                    (EARN_PREFIX + "%",)).fetchone()[0])

        headers = {"Authorization": f"Bearer {self.token}"}
        with self.client() as gw:
            while time.monotonic() - stopped < timeout:
                count, total = ledger()
                now = time.monotonic() - stopped
                sms_done = now if sms_queued() >= count else None
                issued = gw.get("/reports/total_points_issued", headers=headers).json()
                reports_done = now if issued.get("total_points_issued") == total else None
                if sms_done is not None and reports_done is not None:
                    break
                time.sleep(0.2)
        self.results["event_lag"] = {"awards": count, "points": total,
                                     "sms_seconds": sms_done, "reports_seconds": reports_done}
        lag = max(sms_done or timeout, reports_done or timeout)
        self.figures.append(Figure(
            f"event lag after the earn load ({count:,} awards)",
            f"SMS {_secs(sms_done)}, reports {_secs(reports_done)}", "≤ 5 s", lag <= 5))

    def earn_fewer_tills(self, seconds: float) -> None:
        """Awards from 1 and from 8 connections: the latency one till, and a busy shop
        street's eight, see. No target; the issue's first measure was p99 1.1 s at 8."""
        for connections in (1, 8):
            figures = self.wrk("earn.lua", self.platform.base_url, connections=connections,
                               seconds=seconds,
                               env={**self.business_env(), "BENCH_PHONE_PREFIX": EARN_PREFIX})
            self.results[f"earn_{connections}_connections"] = figures
            self.figures.append(Figure(
                f"  the same from {connections} connection{'s' if connections > 1 else ''}",
                _load(figures, p50=True)))

    def redeem(self, seconds: float, hot: int = 10) -> None:
        """32 connections redeeming from ``hot`` customers; the ledger invariant after."""
        with self.client() as gw:
            headers = {"Authorization": f"Bearer {self.token}"}
            for i in range(hot):
                response = gw.post("/transactions/add_points", headers=headers, json={
                    "business_id": self.business_id,
                    "customer_phone_number": f"{HOT_PREFIX}{i:07d}", "amount_spent": "99999"})
                response.raise_for_status()
        codes = self.consent_codes([f"{HOT_PREFIX}{i:07d}" for i in range(hot)])
        figures = self.wrk("redeem.lua", self.platform.base_url, connections=32,
                           seconds=seconds, env={**self.business_env(), "BENCH_HOT": str(hot),
                                                 "BENCH_PHONE_PREFIX": HOT_PREFIX,
                                                 "BENCH_CODES": ",".join(codes)})
        with self.db("loyalty") as loyalty:
            broken = loyalty.execute(
                "SELECT count(*) FROM customer c WHERE c.total_points < 0 OR c.total_points != "
                "(SELECT coalesce(sum(points), 0) FROM point_transaction t "
                " WHERE t.customer_id = c.id)").fetchone()[0]
        self.results["redeem"] = {**figures, "customers_breaking_invariant": broken}
        errors = _errors(figures)
        self.figures += [
            Figure(f"redeem, 32 conn on {hot} hot customers", _load(figures), "p99 ≤ 50 ms",
                   figures["p99_ms"] <= 50 and errors == 0),
            Figure("  ledger invariant after", f"{broken} customers broken", "0", broken == 0),
        ]

    def consent_codes(self, phones: list[str]) -> list[str]:
        """Each customer's redemption code for this shop, as the till asks for it (by SMS).

        Empty when the platform asks for no consent code (the route does not exist).
        """
        headers = {"Authorization": f"Bearer {self.token}"}
        codes = []
        with self.client() as gw:
            for phone in phones:
                asked = gw.post("/transactions/redemption_codes", headers=headers, json={
                    "business_id": self.business_id, "customer_phone_number": phone})
                if asked.status_code in (404, 405):
                    return []
                asked.raise_for_status()

                def code(phone: str = phone) -> str | None:
                    for message in gw.get("/notifications/outbox", params={"to": phone}).json():
                        found = re.search(r"code: (\d{6})", message["body"])
                        if found:
                            return found.group(1)
                    return None

                codes.append(wait_until(code, timeout=30, message=f"the code for {phone}"))
        return codes

    def lookup(self, customers: int, transactions: int, seconds: float) -> None:
        """Bulk-load loyalty, then customers read their own balance through the gateway.

        Loyalty's database is the platform's: its SQLite file, or PostgreSQL when the
        platform was started with a URL for loyalty (:func:`lookup_on_postgresql`).
        """
        started = time.monotonic()
        url = self.platform.database_urls.get("loyalty")
        if url is None:
            bulk_load_sqlite(self.platform.root / "loyalty" / "loyalty.db", self.business_id,
                             customers=customers, transactions=transactions)
        else:
            bulk_load_postgresql(url, self.business_id, customers=customers,
                                 transactions=transactions)
        load_seconds = time.monotonic() - started
        database = "SQLite" if url is None else "PostgreSQL"
        tokens = self.customer_tokens(random.sample(range(customers), 200))
        tokens_file = self.platform.root / "tokens.txt"
        tokens_file.write_text("".join(f"{phone} {token}\n" for phone, token in tokens))
        figures = self.wrk("lookup.lua", self.platform.base_url, connections=32,
                           seconds=seconds, env={"BENCH_TOKENS_FILE": str(tokens_file)})
        key = "lookup" if url is None else "lookup_postgresql"
        self.results[key] = {**figures, "customers": customers, "transactions": transactions,
                             "load_seconds": load_seconds}
        self.figures.append(Figure(
            f"GET /customers/points/{{phone}}, {customers:,} customers / "
            f"{transactions:,} transactions ({database})",
            _load(figures), "p99 ≤ 20 ms", figures["p99_ms"] <= 20 and _errors(figures) == 0))

    def reports_summary(self, transactions: int, runs: int) -> None:
        """``GET /reports/summary`` over a bulk-loaded read model (``bench/reports_summary.py``
        in a process of its own: the reports app in-process, the full ASGI stack)."""
        figures = self.script(
            "reports_summary.py", "--transactions", str(transactions),
            "--others", str(transactions // 5), "--customers", str(max(1_000, transactions // 10)),
            "--runs", str(runs))
        self.results["reports_summary"] = figures
        for name, timing in figures["cases"].items():
            self.figures.append(Figure(
                f"GET /reports/summary, {name}, {transactions:,} transactions (in-process)",
                f"median {timing['median_ms']:.1f} ms, p95 {timing['p95_ms']:.1f} ms",
                "p95 ≤ 100 ms", timing["p95_ms"] <= 100))

    def writers(self, seconds: float) -> None:
        """The two designs of SQLite writers on loyalty's award, without HTTP
        (``bench/writers.py`` in a process of its own): what ships, and group commit."""
        figures = self.script("writers.py", "--seconds", str(seconds))
        self.results["writers"] = figures
        shipped = figures["designs"]["gate"]
        for name, label in (("gate", "writer gate, a transaction per award (shipped)"),
                            ("group", "one writer thread, group commit (not shipped)")):
            design = figures["designs"][name]
            self.figures.append(Figure(
                f"add_points without HTTP, {figures['threads']} threads: {label}",
                f"{design['rps']:,.0f} awards/s, p99 {design['p99_ms']:.1f} ms, "
                f"CPU {design['cpu_ms_per_award']:.2f} ms per award",
                "" if name == "gate" else
                f"{design['rps'] / shipped['rps']:.1f}× the shipped design"))

    def customer_tokens(self, indexes: list[int]) -> list[tuple[str, str]]:
        """Customer tokens for bulk-loaded phones, as the chatbot gets them from auth."""
        auth = self.platform.service_url("auth")
        service = httpx.post(f"{auth}/auth/token", data={
            "grant_type": "client_credentials", "client_id": "chatbot",
            "client_secret": "dev-secret-chatbot"}, timeout=10)
        service.raise_for_status()
        headers = {"Authorization": f"Bearer {service.json()['access_token']}"}
        pairs = []
        with httpx.Client(base_url=auth, headers=headers, timeout=10) as client:
            for index in indexes:
                phone = f"{LOAD_PREFIX}{index:07d}"
                issued = client.post("/internal/customer_tokens", json={"phone_number": phone})
                issued.raise_for_status()
                pairs.append((phone, issued.json()["access_token"]))
        return pairs


def _bulk_rows(business_id: int, first_id: int, customers: int, transactions: int,
               chunk: int = 100_000) -> tuple[list[tuple[Any, ...]], Any, list[int]]:
    """The rows of a bulk load: customers, then earns in chunks, and each customer's sum.

    Returns (customer rows, an iterator of chunks of earn rows, per-customer totals that
    the iterator fills in as it goes). Same seed, same data on either database.
    """
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    rng = random.Random(7)
    per_customer = [0] * customers
    customer_rows = [(first_id + i, f"{LOAD_PREFIX}{i:07d}", 0, now) for i in range(customers)]

    def chunks() -> Any:
        written = 0
        while written < transactions:
            batch = []
            for _ in range(min(chunk, transactions - written)):
                customer = rng.randrange(customers)
                points = rng.randrange(1, 100)
                per_customer[customer] += points
                batch.append((business_id, first_id + customer, "earn", f"{points}.00",
                              points, now))
            written += len(batch)
            yield batch

    return customer_rows, chunks(), per_customer


def bulk_load_sqlite(path: Path, business_id: int, *, customers: int,
                     transactions: int) -> None:
    """Write ``customers`` customers and ``transactions`` earns straight into loyalty's tables.

    Each customer's ``total_points`` is the sum of its rows, so the ledger invariant holds.
    Columns not given take their defaults; the row shape follows the migrated schema.
    """
    connection = sqlite3.connect(path, timeout=60)
    connection.execute("PRAGMA busy_timeout = 60000")
    first_id = connection.execute("SELECT coalesce(max(id), 0) FROM customer").fetchone()[0] + 1
    customer_rows, chunks, per_customer = _bulk_rows(business_id, first_id, customers,
                                                     transactions)
    with connection:
        connection.executemany(
            "INSERT INTO customer (id, phone_number, total_points, created_at) "
            "VALUES (?,?,?,?)", customer_rows)
        for batch in chunks:
            connection.executemany(
                "INSERT INTO point_transaction (business_id, customer_id, type, amount_spent, "
                "points, created_at) VALUES (?,?,?,?,?,?)", batch)
        connection.executemany("UPDATE customer SET total_points = ? WHERE id = ?",
                               ((total, first_id + i) for i, total in enumerate(per_customer)))
    connection.close()


def bulk_load_postgresql(url: str, business_id: int, *, customers: int,
                         transactions: int) -> None:
    """The same load as :func:`bulk_load_sqlite` into loyalty's PostgreSQL database, with
    ``COPY`` (the bulk path of PostgreSQL); then the id sequences and the planner's
    statistics are brought up to date, as after any bulk load."""
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as connection:
        first_id = connection.execute(
            "SELECT coalesce(max(id), 0) FROM customer").fetchone()[0] + 1  # type: ignore[index]
        customer_rows, chunks, per_customer = _bulk_rows(business_id, first_id, customers,
                                                         transactions)
        with connection.cursor() as cursor:
            with cursor.copy("COPY customer (id, phone_number, total_points, created_at) "
                             "FROM STDIN") as copy:
                for row in customer_rows:
                    copy.write_row(row)
            with cursor.copy("COPY point_transaction (business_id, customer_id, type, "
                             "amount_spent, points, created_at) FROM STDIN") as copy:
                for batch in chunks:
                    for row in batch:
                        copy.write_row(row)
            cursor.execute("CREATE TEMP TABLE bench_total (id bigint, total bigint)")
            with cursor.copy("COPY bench_total (id, total) FROM STDIN") as copy:
                for i, total in enumerate(per_customer):
                    copy.write_row((first_id + i, total))
            cursor.execute("UPDATE customer SET total_points = t.total FROM bench_total t "
                           "WHERE customer.id = t.id")
            cursor.execute("SELECT setval(pg_get_serial_sequence('customer', 'id'), "
                           "(SELECT max(id) FROM customer))")
            cursor.execute("SELECT setval(pg_get_serial_sequence('point_transaction', 'id'), "
                           "(SELECT max(id) FROM point_transaction))")
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE customer")
        connection.execute("VACUUM ANALYZE point_transaction")


def lookup_on_postgresql(bench: Bench, customers: int, transactions: int,
                         seconds: float) -> None:
    """The lookup at scale again with loyalty on PostgreSQL (the local server at
    127.0.0.1:5432): loyalty is restarted on a fresh database there, every other process
    stays as it was; loyalty learns of the business again from its first award."""
    import pytest

    from mubayiro.common.testing import postgres_database

    try:
        with postgres_database("bench_loyalty") as url:
            bench.platform.stop("loyalty")
            bench.platform.database_urls["loyalty"] = url
            try:
                bench.platform.start("loyalty")
                bench.first_award()
                bench.lookup(customers, transactions, seconds)
            finally:
                bench.platform.stop("loyalty")
    except pytest.skip.Exception:  # no server here: a line in the table, not a crash
        bench.figures.append(Figure("GET /customers/points/{phone} (PostgreSQL)",
                                    "not measured: no PostgreSQL server at 127.0.0.1:5432",
                                    "p99 ≤ 20 ms", False))


def _process(name: str) -> str:
    return "traefik" if name == "gateway" else name


def _errors(figures: dict[str, Any]) -> int:
    """A wrk load's failed requests: answers other than 2xx, and socket errors."""
    return int(figures["non_2xx"] + figures["socket_errors"])


def _load(figures: dict[str, Any], *, p50: bool = False) -> str:
    """A wrk load's line of the table: rate, latency (p50 when asked) and errors."""
    median = f"p50 {figures['p50_ms']:.1f} ms, " if p50 else ""
    return (f"{figures['rps']:,.0f} req/s, {median}p99 {figures['p99_ms']:.1f} ms, "
            f"{_errors(figures)} errors")


def _secs(value: float | None) -> str:
    return "not within the timeout" if value is None else f"{value:.1f} s"


def print_table(figures: list[Figure]) -> None:
    """The run's table: figure, what it is compared with, and whether it meets it."""
    width = max(len(f.what) for f in figures)
    value_width = max(len(f.value) for f in figures)
    for f in figures:
        mark = {True: "ok", False: "MISSED", None: ""}[f.ok]
        print(f"{f.what:<{width}}  {f.value:<{value_width}}  {f.against:<42} {mark}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks (see the module docstring); 0 when the run completed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short loads, small data (< 2 min)")
    parser.add_argument("--keep", action="store_true", help="keep the platform's data folder")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("make bench needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    root = Path(tempfile.mkdtemp(prefix="mubayiro-bench-"))
    bench = Bench(Platform(root), quick=args.quick)
    load = 5 if args.quick else 15
    try:
        started = time.monotonic()
        bench.platform.start_all()
        startup = time.monotonic() - started
        bench.results["startup_seconds"] = startup
        bench.results["rss_idle_mb"] = bench.rss_mb()
        bench.figures.append(Figure("start-up: processes started → /readyz 200",
                                    f"{startup:.1f} s"))
        bench.register_business()
        bench.ceilings(load)
        bench.earn(8 if args.quick else 60)
        bench.event_lag()
        bench.earn_fewer_tills(3 if args.quick else 10)
        bench.redeem(load)
        customers, transactions = (10_000, 100_000) if args.quick else (1_000_000, 10_000_000)
        bench.lookup(customers, transactions, load)
        lookup_on_postgresql(bench, customers, transactions, load)
    finally:
        bench.platform.stop_all()
    try:
        # After the platform has stopped: this loads and times on a core of its own.
        bench.reports_summary(100_000 if args.quick else 1_000_000, 30 if args.quick else 200)
        bench.writers(3 if args.quick else 15)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print()
    print_table(bench.figures)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
    out = RESULTS / f"{stamp}{'-quick' if args.quick else ''}.json"
    out.write_text(json.dumps({
        "when": stamp, "quick": args.quick, "machine": {
            "cpus": os.cpu_count(), "python": host.python_version(), "system": host.platform()},
        "results": bench.results,
        "figures": [f.__dict__ for f in bench.figures],
    }, indent=2))
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
