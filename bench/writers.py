"""Benchmark: the two designs of SQLite writers issue 14 names, on loyalty's real award.

- **gate** (what ships): each request thread runs its award in a write transaction of its
  own; the writers of the process queue on the writer gate (``mubayiro.common.db``), one
  ``BEGIN IMMEDIATE`` … ``COMMIT`` (one fsync) per award.
- **group** (group commit): request threads hand their award to a single writer thread,
  which takes every award waiting (up to ``--batch``), runs each in a savepoint of one
  transaction (a refused award rolls back alone) and commits the batch once: one
  ``BEGIN`` … ``COMMIT`` and one fsync per batch, and no hand-over of the lock.

Both run ``transaction_service.add_points`` — the same statements, limits and outbox rows
(three per award, as with every subscriber deployed) as ``POST /transactions/add_points``
— on a migrated loyalty SQLite file, from ``--threads`` threads for ``--seconds`` seconds
each, random customers. No HTTP: this isolates the write path, which is where the two
designs differ. Prints awards/s, p50/p99 latency of an award and CPU ms per award (the
whole process) for each.

    .venv/bin/python bench/writers.py [--threads 32] [--seconds 15] [--batch 64] [--json FILE]

``make bench`` runs it once the platform has stopped (``--json``: the figures, for its
table).
"""

from __future__ import annotations

import argparse
import json
import queue
import random
import resource
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from mubayiro.common.db import Database, run_migrations, utcnow
from mubayiro.loyalty.config import ALEMBIC_INI, LoyaltySettings
from mubayiro.loyalty.main import make_publisher
from mubayiro.loyalty.models import Business
from mubayiro.loyalty.transactions.schemas import AddPointsRequest
from mubayiro.loyalty.transactions.service import transaction_service

BUSINESS_ID = 1


@dataclass
class _Award:
    """One award handed to the writer thread, and its answer."""

    request: AddPointsRequest
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


def _setup(folder: Path) -> tuple[Database, LoyaltySettings]:
    settings = LoyaltySettings(
        data_dir=folder, environment="test",
        notifications_url="http://notifications", reports_url="http://reports",
        referrals_url="http://referrals")
    run_migrations(ALEMBIC_INI, settings.sqlalchemy_url)
    database = Database(settings.sqlalchemy_url)
    with database.session(write=True) as s:
        s.execute(insert(Business).values(
            id=BUSINESS_ID, name="Bench Butchery", loyalty_rate=Decimal("1"), status="active",
            award_limit_per_transaction=10**7, award_limit_per_day=10**12,
            created_at=utcnow(), updated_at=utcnow()))
    return database, settings


def _request(rng: random.Random) -> AddPointsRequest:
    return AddPointsRequest(
        business_id=BUSINESS_ID, customer_phone_number=f"+26377{rng.randrange(10**7):07d}",
        amount_spent=Decimal(rng.randint(1, 50)))


def _drive(threads: int, seconds: float, award: Any) -> list[float]:
    """Call ``award(request)`` from ``threads`` threads for ``seconds``; the latencies."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        while time.monotonic() < deadline:
            request = _request(rng)
            started = time.perf_counter()
            award(request)
            latencies[n].append(time.perf_counter() - started)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return [value for per_thread in latencies for value in per_thread]


def gate(database: Database, settings: LoyaltySettings, threads: int, seconds: float,
         _batch: int) -> list[float]:
    """Each thread its own write transaction (what ships)."""
    publisher = make_publisher(settings)

    def award(request: AddPointsRequest) -> None:
        with database.session(write=True) as s:
            transaction_service.add_points(s, publisher, request, idempotency_key=None,
                                           staff_id=None, settings=settings)

    return _drive(threads, seconds, award)


def group(database: Database, settings: LoyaltySettings, threads: int, seconds: float,
          batch: int) -> list[float]:
    """One writer thread, a transaction per batch of waiting awards (group commit)."""
    publisher = make_publisher(settings)
    waiting: queue.Queue[_Award] = queue.Queue()
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            try:
                items = [waiting.get(timeout=0.05)]
            except queue.Empty:
                continue
            while len(items) < batch:
                try:
                    items.append(waiting.get_nowait())
                except queue.Empty:
                    break
            with database.session(write=True) as s:
                for item in items:
                    try:
                        with s.begin_nested():
                            transaction_service.add_points(
                                s, publisher, item.request, idempotency_key=None,
                                staff_id=None, settings=settings)
                    except Exception as exc:  # refused alone; the batch goes on
                        item.error = exc
            for item in items:
                item.done.set()

    thread = threading.Thread(target=writer)
    thread.start()

    def award(request: AddPointsRequest) -> None:
        item = _Award(request)
        waiting.put(item)
        item.done.wait()
        if item.error is not None:
            raise item.error

    try:
        return _drive(threads, seconds, award)
    finally:
        stop.set()
        thread.join()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> None:
    """Run both designs on fresh databases and print one line for each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--batch", type=int, default=64, help="most awards per group commit")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, float]] = {}
    print(f"writers benchmark: {args.threads} threads, {args.seconds:g} s per design, "
          "loyalty's add_points on SQLite (synchronous=FULL, WAL)")
    for name, design in (("gate", gate), ("group", group)):
        with tempfile.TemporaryDirectory(prefix=f"writers-{name}-") as folder:
            database, settings = _setup(Path(folder))
            try:
                cpu = _cpu()
                latencies = sorted(design(database, settings, args.threads, args.seconds,
                                          args.batch))
                cpu = _cpu() - cpu
            finally:
                database.dispose()
        count = len(latencies)
        results[name] = {
            "rps": count / args.seconds, "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[min(count - 1, int(count * 0.99))],
            "cpu_ms_per_award": 1000 * cpu / count,
        }
        r = results[name]
        print(f"  {name:<6} {r['rps']:8,.0f} awards/s   p50 {r['p50_ms']:7.1f} ms   "
              f"p99 {r['p99_ms']:7.1f} ms   CPU {r['cpu_ms_per_award']:5.2f} ms per award")
    if args.json is not None:
        args.json.write_text(json.dumps({"threads": args.threads, "seconds": args.seconds,
                                         "batch": args.batch, "designs": results}))


if __name__ == "__main__":
    main()
