"""The read model on PostgreSQL (production's database): upserts, RETURNING, the range
query's materialised CTE, and concurrent writers of the same transaction.

Needs the PostgreSQL server at 127.0.0.1:5432 (``postgres`` marker); skipped on a
developer machine where it does not answer, a failure in CI. Each test gets a database of
its own, dropped afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from mubayiro.common.testing import postgres_url_fixture
from mubayiro.reports.figures import repository
from mubayiro.reports.ingest.backfill import backfill_from_settings
from mubayiro.reports.ingest.schemas import LedgerFact
from mubayiro.reports.ingest.service import ingest_service
from mubayiro.reports.main import create_app

pytestmark = pytest.mark.postgres

ANA = "+263771111111"
BEN = "+263772222222"


pg_url = postgres_url_fixture("reports_test")


@pytest.fixture
def pg_client(pg_url, make_settings, keys) -> Iterator[TestClient]:
    """The reports app on its own PostgreSQL database (migrated at start-up)."""
    app = create_app(make_settings(database_url=pg_url), token_verifier=keys.verifier())
    with TestClient(app) as client:
        yield client


def test_events_backfill_and_reports_work_on_postgres(
    pg_client, pg_url, events, fake_loyalty, make_settings, business_headers, snapshot,
    monkeypatch,
):
    client = pg_client
    fake_loyalty.add(1, "earn", phone=ANA, points=100, at="2026-11-18T09:00:00+00:00")
    fake_loyalty.add(2, "earn", phone=BEN, points=40, at="2026-11-20T09:00:00+00:00")
    fake_loyalty.add(3, "redeem", phone=ANA, points=-30, at="2026-11-20T17:00:00+00:00")
    fake_loyalty.add(4, "referral_bonus", phone=BEN, points=60, at="2026-11-22T12:00:00+00:00")
    fake_loyalty.add(5, "earn", phone=ANA, points=0, at="2026-11-22T13:00:00+00:00")
    first = events.from_ledger_row(fake_loyalty.ledger[0])
    events.send(client, first, first, events.from_ledger_row(fake_loyalty.ledger[2]))

    report = backfill_from_settings(make_settings(database_url=pg_url),
                                    transport=fake_loyalty.transport(), page_size=2,
                                    out=lambda _line: None)
    before = snapshot(client.app)
    again = backfill_from_settings(make_settings(database_url=pg_url),
                                   transport=fake_loyalty.transport(), page_size=2,
                                   out=lambda _line: None)

    assert (report.applied, report.already_counted) == (3, 2)
    assert (again.applied, again.already_counted) == (0, 5)
    assert snapshot(client.app) == before
    h = business_headers(1)
    summary = client.get("/reports/summary", headers=h).json()
    assert (summary["total_points_issued"], summary["total_redemptions"],
            summary["customer_count"]) == (200, {"count": 1, "points": 30}, 2)
    assert [(c["phone_number"], c["points_earned"]) for c in summary["top_customers"]] == [
        (ANA, 100), (BEN, 100)]
    ranged = client.get("/reports/summary?from=2026-11-20&to=2026-11-22&limit=1",
                        headers=h).json()
    assert ranged["top_customers"] == [
        {"phone_number": BEN, "points_earned": 100, "transaction_count": 2}]
    assert ranged["customer_count"] == 2
    assert [d["points_issued"] for d in ranged["daily"]] == [40, 0, 60]
    assert client.get("/reports/customer_count?to=2026-11-19", headers=h).json()[
        "customer_count"] == 1
    # A range in the middle of the history, by the walk and then by the grouping (the
    # materialised CTE) once the walk gives up after one customer; then as shipped.
    monkeypatch.setattr(repository, "GROUP_AT_MOST", -1)  # small data: walk nonetheless
    for most in (4096, 1):
        monkeypatch.setattr(repository, "_WALK_FIRST_PAGE", min(most, 64))
        monkeypatch.setattr(repository, "_WALK_MOST_CUSTOMERS", most)
        middle = client.get("/reports/summary?from=2026-11-18&to=2026-11-21&limit=1",
                            headers=h).json()
        assert (middle["customer_count"], middle["top_customers"]) == (2, [
            {"phone_number": ANA, "points_earned": 100, "transaction_count": 2}]), most
    monkeypatch.undo()
    assert client.get("/reports/summary?from=2026-11-18&to=2026-11-21&limit=1",
                      headers=h).json() == middle
    [customer] = [c for c in snapshot(client.app)["business_customer"] if c[1] == ANA]
    assert customer[-2:] == (datetime(2026, 11, 18, 9, tzinfo=UTC),
                             datetime(2026, 11, 22, 13, tzinfo=UTC))


def test_concurrent_writers_of_one_transaction_count_it_once(
    pg_client, business_headers, snapshot
):
    database = pg_client.app.state.database
    moment = datetime(2026, 11, 20, 10, tzinfo=UTC)
    start = threading.Barrier(8)

    def apply(transaction_id: int) -> bool:
        fact = LedgerFact(transaction_id, 1, ANA, "earn", 10, moment)
        start.wait()
        with database.session(write=True) as session:
            return ingest_service.apply(session, fact, source="event")

    # Eight writers: four race on transaction 1, four on transaction 2 (same customer/day).
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(apply, [1, 1, 1, 1, 2, 2, 2, 2]))

    assert sorted(results) == [False] * 6 + [True] * 2
    summary = pg_client.get("/reports/summary", headers=business_headers(1)).json()
    assert summary["total_points_issued"] == 20
    assert summary["top_customers"] == [
        {"phone_number": ANA, "points_earned": 20, "transaction_count": 2}]
    assert len(snapshot(pg_client.app)["business_customer_day"]) == 1
