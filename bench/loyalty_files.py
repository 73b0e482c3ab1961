"""Benchmark: a business's CSV export at 1,000,000 rows (time, memory) and a 100,000-row
balance import (dry run and apply, twice).

What it does (issue 15):

1. ``export``: builds a loyalty database (SQLite file, migrated by the app) and
   **bulk-loads** ``--rows`` ledger rows (default 1,000,000) for business 1 across
   ``--customers`` customers straight into the tables, with balances that equal the
   ledger — the loading is not what is measured, and a million requests would measure
   something else. It does so in a child process, so the loader's memory does not count.
   Then it serves the real app with uvicorn on a loopback port in this process and
   streams ``GET /businesses/1/export/transactions.csv`` and ``…/customers.csv`` with
   httpx, counting bytes and lines, while a thread samples this process's RSS every
   20 ms. It prints the time, the size, the RSS before, the peak while streaming, and
   the growth: flat memory means the growth stays a few MB however large the file.
2. ``import``: a ``--import-rows`` file (default 100,000) with a few bad rows, through
   ``POST /businesses/1/import/balances`` in-process (``TestClient``): the dry run
   (which must report exactly the bad rows), the apply, and the same file applied again
   (which must import nothing more), each timed.

Run from the repository root (the export about 2 minutes on 2 cores):

    .venv/bin/python bench/loyalty_files.py export
    .venv/bin/python bench/loyalty_files.py import

Options: ``--rows``, ``--customers``, ``--import-rows``, ``--keep DIR``.
"""

from __future__ import annotations

import argparse
import logging
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import bindparam, insert, update

from mubayiro.common.db import Database, run_migrations
from mubayiro.common.testing import TestKeys, free_port
from mubayiro.loyalty.config import ALEMBIC_INI, LoyaltySettings
from mubayiro.loyalty.main import create_app
from mubayiro.loyalty.models import Business, Customer, PointTransaction

BUSINESS = 1
CHUNK = 20_000


def _settings(data_dir: Path) -> LoyaltySettings:
    return LoyaltySettings(
        _env_file=None, environment="test", data_dir=data_dir, log_level="WARNING",
        notifications_url=None, reports_url=None,
    )


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def load(data_dir: Path, rows: int, customers: int) -> None:
    """Bulk-load ``rows`` earns and redemptions of business 1 (the child process)."""
    url = _settings(data_dir).sqlalchemy_url
    run_migrations(ALEMBIC_INI, url)
    database = Database(url)
    rng = random.Random(15)
    start = datetime.now(UTC) - timedelta(days=365)
    balances = [0] * customers
    with database.session() as s:
        s.execute(insert(Business).values(id=BUSINESS, name="Bench Shop",
                                          loyalty_rate=Decimal(1), status="active"))
        s.execute(insert(Customer), [
            {"id": c + 1, "phone_number": f"+26377{c:07d}", "total_points": 0,
             "created_at": start} for c in range(customers)])
    done = 0
    while done < rows:
        batch = []
        for i in range(done, min(rows, done + CHUNK)):
            c = rng.randrange(customers)
            at = start + timedelta(seconds=i * 30)
            if balances[c] >= 50 and rng.random() < 0.15:
                balances[c] -= 50
                batch.append({"business_id": BUSINESS, "customer_id": c + 1,
                              "type": "redeem", "points": -50, "amount_spent": None,
                              "reward_description": "Free coffee", "created_at": at})
            else:
                amount = Decimal(rng.randint(100, 20_000)) / 100
                balances[c] += int(amount)
                batch.append({"business_id": BUSINESS, "customer_id": c + 1, "type": "earn",
                              "points": int(amount), "amount_spent": amount,
                              "reward_description": None, "created_at": at})
        with database.session() as s:
            s.execute(insert(PointTransaction), batch)
        done += len(batch)
    with database.session() as s:
        s.execute(update(Customer.__table__).where(Customer.id == bindparam("cid"))
                  .values(total_points=bindparam("points")),
                  [{"cid": c + 1, "points": p} for c, p in enumerate(balances)])
    database.dispose()


class RssSampler(threading.Thread):
    """Samples this process's RSS every 20 ms; ``peak`` is the highest seen."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = _rss_kib()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.02):
            self.peak = max(self.peak, _rss_kib())


def export(data_dir: Path, rows: int, customers: int) -> None:
    """Load the ledger in a child process, then stream both files and measure."""
    began = time.perf_counter()
    subprocess.run([sys.executable, __file__, "_load", str(data_dir), str(rows),
                    str(customers)], check=True)
    print(f"loaded {rows:,} rows for {customers:,} customers in "
          f"{time.perf_counter() - began:.0f} s (bulk insert, not measured)")
    keys = TestKeys()
    app = create_app(_settings(data_dir), token_verifier=keys.verifier())
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    headers = {"Authorization": f"Bearer {keys.business_token(BUSINESS)}"}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            for file in ("transactions", "customers"):
                sampler = RssSampler()
                before = _rss_kib()
                sampler.start()
                size = lines = 0
                began = time.perf_counter()
                with client.stream("GET", f"/businesses/{BUSINESS}/export/{file}.csv",
                                   headers=headers) as resp:
                    resp.raise_for_status()
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        lines += chunk.count(b"\n")
                took = time.perf_counter() - began
                sampler.stop.set()
                sampler.join()
                print(f"{file}.csv: {lines - 1:,} rows, {size / 2**20:.1f} MiB in {took:.1f} s "
                      f"({(lines - 1) / took:,.0f} rows/s); RSS before {before / 1024:.0f} MiB, "
                      f"peak while streaming {sampler.peak / 1024:.0f} MiB "
                      f"(+{(sampler.peak - before) / 1024:.1f} MiB)")
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark named on the command line."""
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "_load":
        load(Path(argv[1]), int(argv[2]), int(argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("which", choices=("export", "import"))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, default=None, help="keep the database there")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="loyalty-bench-"))
    try:
        if args.which == "export":
            export(data_dir, args.rows, args.customers)
        else:
            import_balances(data_dir, args.import_rows)
    finally:
        if args.keep is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


def import_balances(data_dir: Path, rows: int) -> None:
    """Dry-run, apply and re-apply a ``rows``-line balance file (see module doc)."""
    from fastapi.testclient import TestClient

    from mubayiro.loyalty.businesses.service import business_service

    rng = random.Random(15)
    lines = ["phone_number,points,note"]
    bad: dict[int, str] = {}
    for i in range(rows):
        line = len(lines) + 1
        if i % 20_000 == 7:
            lines.append(f"not-a-phone-{i},10,")
            bad[line] = "phone"
        elif i % 20_000 == 8:
            lines.append(f"+26377{i - 1:07d},-5,")
            bad[line] = "negative"
        elif i % 20_000 == 9:
            lines.append(f"+26377{i - 9:07d},12,")  # the phone of row i - 9 again
            bad[line] = "duplicate"
        else:
            lines.append(f"+26377{i:07d},{rng.randint(0, 5000)},Stamp card {i}")
    body = ("\n".join(lines) + "\n").encode()
    keys = TestKeys()
    app = create_app(_settings(data_dir), token_verifier=keys.verifier())
    headers = {"Authorization": f"Bearer {keys.business_token(BUSINESS)}",
               "Content-Type": "text/csv"}
    with TestClient(app) as client:
        database = app.state.database
        with database.session() as s:
            s.execute(insert(Business).values(id=BUSINESS, name="Bench Shop",
                                              loyalty_rate=Decimal(1), status="active"))
            # A migration of this size is arranged with the operator, who lifts the limit.
            business_service.set_award_limits(s, BUSINESS, per_transaction=None,
                                              per_day=10**12, settings=app.state.settings)
        print(f"file: {rows:,} rows, {len(body) / 2**20:.1f} MiB, {len(bad)} bad rows")
        for label, dry_run in (("dry run", "true"), ("apply", "false"),
                               ("apply again", "false")):
            began = time.perf_counter()
            resp = client.post(f"/businesses/{BUSINESS}/import/balances",
                               params={"dry_run": dry_run}, content=body, headers=headers)
            took = time.perf_counter() - began
            resp.raise_for_status()
            report = resp.json()
            reported = {e["line"] for e in report["errors"]}
            print(f"{label}: {took:.1f} s; valid {report['valid']:,}, imported "
                  f"{report['imported']:,}, already imported {report['already_imported']:,}, "
                  f"errors on exactly the bad lines: {reported == set(bad)}")
        with database.session(write=False) as s:
            from sqlalchemy import func, select

            total = s.scalar(select(func.sum(Customer.total_points)))
            ledger = s.scalar(select(func.sum(PointTransaction.points)))
        print(f"balances {total:,} == ledger {ledger:,}: {total == ledger}")


if __name__ == "__main__":
    sys.exit(main())
