"""Benchmark: ``GET /reports/summary`` for a business with 1,000,000 transactions.

What it does (issue 5: "Reports summary answers in under 100 ms for a business with
1,000,000 transactions in the read model"):

1. Builds the reports app on a fresh SQLite file (migrated by the app's own start-up).
2. Loads the read model: ``--transactions`` transactions for business 1 (default
   1,000,000) and ``--others`` for businesses 2..6, spread over ``--days`` UTC days up
   to today, by ``--customers`` customers (a skewed few buy often), about 85 % earns,
   12 % redemptions and 3 % referral bonuses.
   **Loading is a direct bulk insert** of the fact rows *and* of the aggregate rows
   (computed here in Python, day by day), into the service's own tables — feeding a
   million events through HTTP would take far longer and measure something else. The
   last ``--via-events`` transactions of business 1 then go through the real path
   (``POST /internal/events`` in-process, the same code as production), which shows
   the bulk rows and the live path agree and gives the ingest rate. A consistency check
   then recomputes business 1's totals and customer count from the fact table and
   compares them with what the summary answers.
3. Times ``GET /reports/summary`` through the app in-process (``TestClient``: the full
   ASGI stack — token check, validation, SQL, serialisation — without a socket), many
   runs each for all time, the last 30 days, and the last 365 days, and prints median,
   p95 and max. The target is the median and p95 under 100 ms for all time, 30 days
   and 365 days (issue 14 added the year).

Run from the repository root (about 2–3 minutes on 2 cores):

    uv run --no-sync python bench/reports_summary.py

Options: ``--transactions``, ``--others``, ``--customers``, ``--days``, ``--runs``,
``--via-events``, ``--seed``, ``--keep DIR`` (keep the database there), ``--json FILE``
(the timings as JSON: ``make bench`` runs this script and puts them in its table).
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Table, bindparam, case, func, insert, select, update

from mubayiro.common.testing import TestKeys
from mubayiro.reports.config import ReportsSettings
from mubayiro.reports.main import create_app
from mubayiro.reports.models import (
    BusinessCustomer,
    BusinessCustomerDay,
    BusinessDay,
    ReportTransaction,
)

BENCH_BUSINESS = 1
OTHER_BUSINESSES = (2, 3, 4, 5, 6)
TARGET_MS = 100.0
CHUNK = 20_000
# Core tables: bulk inserts through them skip the ORM's per-row bookkeeping.
_FACTS: Table = ReportTransaction.__table__  # type: ignore[assignment]
_DAYS: Table = BusinessDay.__table__  # type: ignore[assignment]
_CUSTOMERS: Table = BusinessCustomer.__table__  # type: ignore[assignment]
_CUSTOMER_DAYS: Table = BusinessCustomerDay.__table__  # type: ignore[assignment]


def _phone(customer: int) -> str:
    return f"+26377{customer:07d}"


def _kind(rng: random.Random) -> tuple[str, int, str | None]:
    """(type, signed points, amount_spent) of one random transaction."""
    roll = rng.random()
    if roll < 0.85:
        amount = rng.randint(100, 20_000) / 100  # 1.00 .. 200.00, rate 1
        return "earn", int(amount), f"{amount:.2f}"
    if roll < 0.97:
        return "redeem", -rng.choice((50, 100, 200, 500)), None
    return "referral_bonus", rng.choice((20, 50, 100)), None


class Loader:
    """Generates transactions day by day and bulk-inserts facts and aggregates."""

    def __init__(self, app: Any, *, seed: int, customers: int, days: int):
        self.database = app.state.database
        self.rng = random.Random(seed)
        self.customers = customers
        self.last_day = datetime.now(UTC).date()
        self.first_day = self.last_day - timedelta(days=days - 1)
        self.days = days
        self.next_id = 1
        # (business, phone) -> [id, earned, redeemed, count, first_seen, last_seen]
        self.business_customer: dict[tuple[int, str], list[Any]] = {}

    def _customer(self) -> int:
        # Skewed: low numbers buy far more often (a long tail of occasional customers).
        return int(self.customers * self.rng.random() ** 2.5)

    def _plan(self, business_counts: dict[int, int]) -> list[dict[int, int]]:
        """How many transactions each business has on each day (exact totals)."""
        weights = [0.6 + 0.8 * self.rng.random() for _ in range(self.days)]
        total_weight = sum(weights)
        plan: list[dict[int, int]] = [{} for _ in range(self.days)]
        for business, total in business_counts.items():
            given = 0
            cumulative = 0.0
            for offset, weight in enumerate(weights):
                cumulative += weight
                upto = round(total * cumulative / total_weight)
                plan[offset][business] = upto - given
                given = upto
        return plan

    def load(self, business_counts: dict[int, int], *, hold_back: int) -> list[dict[str, Any]]:
        """Insert every transaction but the last ``hold_back`` of the bench business;
        return those (as facts) to be sent through the app as events."""
        hold_from = business_counts[BENCH_BUSINESS] - hold_back
        seen_bench = 0
        held: list[dict[str, Any]] = []
        facts: list[dict[str, Any]] = []
        midnight = dtime(0, 0)
        for offset, counts in enumerate(self._plan(business_counts)):
            day = self.first_day + timedelta(days=offset)
            day_facts: list[dict[str, Any]] = []
            for business, n in counts.items():
                for second in sorted(self.rng.randrange(86_400) for _ in range(n)):
                    kind, points, amount = _kind(self.rng)
                    at = datetime.combine(day, midnight, tzinfo=UTC) + timedelta(seconds=second)
                    fact = {
                        "transaction_id": self.next_id, "business_id": business,
                        "phone_number": _phone(self._customer()), "type": kind,
                        "points": points, "amount_spent": amount, "day": day,
                        "occurred_at": at, "source": "backfill", "recorded_at": at,
                    }
                    self.next_id += 1
                    if business == BENCH_BUSINESS:
                        seen_bench += 1
                        if seen_bench > hold_from:
                            held.append(fact)
                            continue
                    day_facts.append(fact)
            self._insert_day(day, day_facts)
            facts.extend(day_facts)
            if len(facts) >= CHUNK or offset == self.days - 1:
                with self.database.session(write=True) as s:
                    s.execute(insert(_FACTS), facts)
                facts = []
        # Customers were inserted with zeros when first seen; now their final figures.
        with self.database.session(write=True) as s:
            s.execute(update(_CUSTOMERS).where(_CUSTOMERS.c.id == bindparam("cid")), [
                {"cid": c[0], "points_earned": c[1], "points_issued": c[1],
                 "points_redeemed": c[2],
                 "transaction_count": c[3], "last_seen_at": c[5]}
                for c in self.business_customer.values()
            ])
        return held

    def _insert_day(self, day: date, day_facts: list[dict[str, Any]]) -> None:
        bd: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
        bcd: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        new_customers = []
        for f in day_facts:
            issued = f["points"] if f["type"] != "redeem" else 0
            redeemed = -f["points"] if f["type"] == "redeem" else 0
            agg = bd[f["business_id"]]
            agg[0] += issued
            agg[1] += f["points"] if f["type"] == "referral_bonus" else 0
            agg[2] += redeemed
            agg[3] += f["type"] == "earn"
            agg[4] += f["type"] == "referral_bonus"
            agg[5] += f["type"] == "redeem"
            key = (f["business_id"], f["phone_number"])
            bc = self.business_customer.get(key)
            if bc is None:
                bc = [len(self.business_customer) + 1, 0, 0, 0, f["occurred_at"], None]
                self.business_customer[key] = bc
                new_customers.append({
                    "id": bc[0], "business_id": key[0], "phone_number": key[1],
                    "points_earned": 0, "points_issued": 0, "points_redeemed": 0,
                    "transaction_count": 0,
                    "first_seen_at": bc[4], "last_seen_at": bc[4]})
            bc[1] += issued
            bc[2] += redeemed
            bc[3] += 1
            bc[5] = f["occurred_at"]
            cd = bcd[(f["business_id"], bc[0])]
            cd[0] += issued
            cd[1] += redeemed
            cd[2] += 1
        with self.database.session(write=True) as s:
            if new_customers:
                s.execute(insert(_CUSTOMERS), new_customers)
            if bd:
                s.execute(insert(_DAYS), [
                    {"business_id": b, "day": day, "points_issued": a[0], "bonus_points": a[1],
                     "points_redeemed": a[2], "earn_count": a[3], "bonus_count": a[4],
                     "redemption_count": a[5]}
                    for b, a in bd.items()
                ])
            if bcd:
                s.execute(insert(_CUSTOMER_DAYS), [
                    {"business_id": b, "day": day, "customer_id": c, "points_earned": a[0],
                     "points_redeemed": a[1], "transaction_count": a[2]}
                    for (b, c), a in bcd.items()
                ])


def _event(fact: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "transaction_id": fact["transaction_id"], "business_id": fact["business_id"],
        "business_name": "Bench Business", "customer_phone_number": fact["phone_number"],
        "points": abs(fact["points"]), "total_points": 0,
        "timestamp": fact["occurred_at"].isoformat(),
    }
    kind = {"earn": "points.earned", "redeem": "points.redeemed",
            "referral_bonus": "points.referral_bonus"}[fact["type"]]
    if kind == "points.earned":
        data["amount_spent"] = fact["amount_spent"]
    return {"id": str(uuid.uuid4()), "type": kind, "source": "loyalty",
            "occurred_at": datetime.now(UTC).isoformat(), "data": data}


def _time(client: TestClient, url: str, headers: dict[str, str], runs: int) -> list[float]:
    for _ in range(5):  # warm-up: page cache, statement cache
        assert client.get(url, headers=headers).status_code == 200
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
    return timings


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _check_consistency(client: TestClient, app: Any, headers: dict[str, str],
                       today: date) -> None:
    """Recompute business 1's figures from the fact table (all time, the last 30 and
    the last 365 days) and compare them with what the summary answers."""
    t = ReportTransaction
    for label, start in (("all time", None), ("last 30 days", today - timedelta(days=29)),
                         ("last 365 days", today - timedelta(days=364))):
        url = "/reports/summary?limit=10" + (f"&from={start}&to={today}" if start else "")
        summary = client.get(url, headers=headers).json()
        mine = [t.business_id == BENCH_BUSINESS]
        if start:
            mine += [t.day >= start, t.day <= today]
        issued = func.sum(case((t.type != "redeem", t.points), else_=0))
        with app.state.database.session(write=False) as s:
            facts, points_issued, redemptions, points_redeemed, customers = s.execute(
                select(func.count(), func.coalesce(issued, 0),
                       func.count(case((t.type == "redeem", 1))),
                       func.coalesce(-func.sum(case((t.type == "redeem", t.points))), 0),
                       func.count(func.distinct(t.phone_number))).where(*mine)).one()
            top = s.execute(
                select(t.phone_number, issued.label("earned"), func.count())
                .where(*mine).group_by(t.phone_number)
                .order_by(issued.desc(), t.phone_number).limit(10)).all()
        assert summary["total_points_issued"] == points_issued
        assert summary["total_redemptions"] == {"count": redemptions, "points": points_redeemed}
        assert summary["customer_count"] == customers
        assert [(c["phone_number"], c["points_earned"], c["transaction_count"])
                for c in summary["top_customers"]] == [tuple(r) for r in top]
        print(f"  consistency ({label}): {facts:,} facts of business {BENCH_BUSINESS} "
              f"recomputed: issued {points_issued:,}, {redemptions:,} redemptions of "
              f"{points_redeemed:,} points, {customers:,} customers, top 10 — all equal "
              "to the summary")


def main(argv: list[str] | None = None) -> None:
    """Load, check, time and print (see module doc); ``--json`` also writes the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--others", type=int, default=200_000,
                        help="transactions spread over businesses 2..6")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--via-events", type=int, default=2_000,
                        help="last transactions of business 1 sent as events")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="keep the database here")
    parser.add_argument("--json", type=Path, default=None,
                        help="also write the timings here (make bench reads them)")
    args = parser.parse_args(argv)

    folder = args.keep or Path(tempfile.mkdtemp(prefix="reports-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reports.db").unlink(missing_ok=True)
    keys = TestKeys()
    settings = ReportsSettings(_env_file=None, data_dir=folder, environment="test",
                               log_level="WARNING")  # type: ignore[call-arg]
    app = create_app(settings, token_verifier=keys.verifier())
    logging.getLogger("mubayiro.access").setLevel(logging.WARNING)
    logging.getLogger("httpx2").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        with TestClient(app) as client:
            _run(client, app, keys, args, folder)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def _run(client: TestClient, app: Any, keys: TestKeys, args: argparse.Namespace,
         folder: Path) -> None:
    counts = {BENCH_BUSINESS: args.transactions}
    for business in OTHER_BUSINESSES:
        counts[business] = args.others // len(OTHER_BUSINESSES)
    total = sum(counts.values())
    print(f"reports summary benchmark: {args.transactions:,} transactions for business "
          f"{BENCH_BUSINESS}, {total - args.transactions:,} for {len(OTHER_BUSINESSES)} "
          f"others, {args.customers:,} customers, {args.days} days")

    started = time.perf_counter()
    loader = Loader(app, seed=args.seed, customers=args.customers, days=args.days)
    held = loader.load(counts, hold_back=args.via_events)
    today: date = loader.last_day
    del loader  # its million Python objects would slow every garbage collection below
    load_s = time.perf_counter() - started
    print(f"  bulk load (direct inserts of facts and aggregates): {total - len(held):,} "
          f"transactions in {load_s:.1f} s")

    service = {"Authorization": f"Bearer {keys.service_token('loyalty')}"}
    started = time.perf_counter()
    for fact in held:
        response = client.post("/internal/events", json=_event(fact), headers=service)
        assert response.json() == {"status": "processed"}, response.text
    if held:
        ingest_s = time.perf_counter() - started
        print(f"  via events (POST /internal/events, the production path): {len(held):,} "
              f"transactions in {ingest_s:.1f} s ({len(held) / ingest_s:,.0f}/s)")
    del held
    gc.collect()

    with app.state.database.session(write=False) as s:
        facts = s.scalar(select(func.count()).select_from(ReportTransaction))
        bcd = s.scalar(select(func.count()).select_from(BusinessCustomerDay))
        bc = s.scalar(select(func.count()).select_from(BusinessCustomer))
    size_mb = sum(p.stat().st_size for p in folder.glob("reports.db*")) / 1e6
    print(f"  read model: {facts:,} facts, {bc:,} business_customer rows, {bcd:,} "
          f"business_customer_day rows, {size_mb:,.0f} MB")

    headers = {"Authorization": f"Bearer {keys.business_token(BENCH_BUSINESS)}"}
    _check_consistency(client, app, headers, today)
    gc.collect()

    cases = [
        ("all time", "/reports/summary"),
        ("last 30 days", f"/reports/summary?from={today - timedelta(days=29)}&to={today}"),
        ("last 365 days", f"/reports/summary?from={today - timedelta(days=364)}&to={today}"),
    ]
    print(f"  GET /reports/summary, {args.runs} runs each (in-process, full ASGI stack):")
    results = {}
    for name, url in cases:
        timings = _time(client, url, headers, args.runs)
        results[name] = timings
        body = client.get(url, headers=headers).json()
        print(f"    {name:<14} median {statistics.median(timings):6.1f} ms   "
              f"p95 {_p95(timings):6.1f} ms   max {max(timings):6.1f} ms   "
              f"({len(body['daily'])} days, {body['customer_count']:,} customers)")
    if args.json is not None:
        args.json.write_text(json.dumps({
            "transactions": args.transactions, "others": args.others, "runs": args.runs,
            "cases": {name: {"median_ms": statistics.median(t), "p95_ms": _p95(t),
                             "max_ms": max(t)} for name, t in results.items()},
        }))
    ok = all(
        statistics.median(results[n]) < TARGET_MS and _p95(results[n]) < TARGET_MS
        for n in results
    )
    print(f"  target: median and p95 under {TARGET_MS:.0f} ms (all time, 30 and 365 days): "
          f"{'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
