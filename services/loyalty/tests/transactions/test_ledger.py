"""``GET /internal/ledger``: the whole ledger in id order, a keyset page at a time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

PHONE = "+263771234567"
OTHER_PHONE = "+263712345678"


@pytest.fixture
def ledger(loyalty):
    """Two businesses and 7 ledger rows: earns, a catalog redemption, a referral bonus."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    loyalty.register_business(2, "Harare Butchery", loyalty_rate="2")
    for business_id, phone, amount in [(1, PHONE, "100.00"), (2, OTHER_PHONE, "10.50"),
                                       (1, OTHER_PHONE, "5.00"), (2, PHONE, "1.00")]:
        assert loyalty.add_points(business_id, phone, amount).status_code == 201
    reward = loyalty.client.post("/businesses/1/rewards",
                                 json={"name": "Free coffee", "points_cost": 30},
                                 headers=loyalty.business_headers(1)).json()
    assert loyalty.client.post(
        "/transactions/redeem_points", headers=loyalty.business_headers(1),
        json={"business_id": 1, "customer_phone_number": PHONE, "points_to_redeem": 30,
              "reward_description": "Free coffee", "reward_id": reward["id"],
              "customer_code": loyalty.redemption_code(1, PHONE)},
    ).status_code == 201
    assert loyalty.client.post(
        "/internal/transactions/referral_bonus",
        headers={**loyalty.service_headers("referrals"), "Idempotency-Key": "referral-3"},
        json={"business_id": 2, "customer_phone_number": OTHER_PHONE, "points": 25,
              "referral_id": 3},
    ).status_code == 201
    assert loyalty.add_points(1, PHONE, "2.00").status_code == 201
    loyalty.reward_id = reward["id"]
    return loyalty


def page(loyalty, **params):
    """GET /internal/ledger as the reports service."""
    return loyalty.client.get("/internal/ledger", params=params,
                              headers=loyalty.service_headers("reports"))


def test_rows_carry_the_contract_fields(ledger):
    resp = page(ledger)

    assert resp.status_code == 200
    body = resp.json()
    assert body["next_after_id"] is None  # 7 rows < the default limit of 1000
    rows = body["transactions"]
    assert [r["id"] for r in rows] == sorted(r.id for r in ledger.rows("point_transaction"))
    for row in rows:
        assert set(row) == {"id", "type", "business_id", "business_name",
                            "customer_phone_number", "amount_spent", "points",
                            "reward_description", "reward_id", "timestamp", "staff_id",
                            "reversed_transaction_id", "shortfall"}
        assert row["timestamp"].endswith("Z") or row["timestamp"].endswith("+00:00")
    summary = [(r["type"], r["business_id"], r["business_name"], r["customer_phone_number"],
                r["amount_spent"], r["points"], r["reward_description"]) for r in rows]
    assert summary == [
        ("earn", 1, "Mazoe Cafe", PHONE, "100.00", 100, None),
        ("earn", 2, "Harare Butchery", OTHER_PHONE, "10.50", 21, None),
        ("earn", 1, "Mazoe Cafe", OTHER_PHONE, "5.00", 5, None),
        ("earn", 2, "Harare Butchery", PHONE, "1.00", 2, None),
        ("redeem", 1, "Mazoe Cafe", PHONE, None, -30, "Free coffee"),
        ("referral_bonus", 2, "Harare Butchery", OTHER_PHONE, None, 25, "Referral bonus"),
        ("earn", 1, "Mazoe Cafe", PHONE, "2.00", 2, None),
    ]
    assert [r["reward_id"] for r in rows] == [None] * 4 + [ledger.reward_id] + [None] * 2


def test_pages_walk_the_ledger_in_id_order_and_end_with_null(ledger):
    pages, after_id = [], 0
    while True:
        body = page(ledger, after_id=after_id, limit=3).json()
        pages.append(body)
        if body["next_after_id"] is None:
            break
        after_id = body["next_after_id"]

    assert [len(p["transactions"]) for p in pages] == [3, 3, 1]
    ids = [r["id"] for p in pages for r in p["transactions"]]
    assert ids == sorted(ids) == sorted(r.id for r in ledger.rows("point_transaction"))
    assert [p["next_after_id"] for p in pages] == [ids[2], ids[5], None]


def test_a_full_last_page_is_followed_by_an_empty_one(ledger):
    first = page(ledger, limit=7).json()

    assert len(first["transactions"]) == 7
    assert first["next_after_id"] == first["transactions"][-1]["id"]
    assert page(ledger, after_id=first["next_after_id"], limit=7).json() == {
        "transactions": [], "next_after_id": None}


def test_after_id_is_exclusive_and_may_lie_past_the_end(ledger):
    ids = [r.id for r in ledger.rows("point_transaction")]

    assert [r["id"] for r in page(ledger, after_id=ids[4]).json()["transactions"]] == ids[5:]
    assert page(ledger, after_id=10**12).json() == {"transactions": [], "next_after_id": None}


def test_an_empty_ledger_is_one_empty_page(loyalty):
    assert page(loyalty).json() == {"transactions": [], "next_after_id": None}


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 5001}, {"limit": -1}, {"limit": "ten"}, {"limit": "1.5"},
    {"after_id": -1}, {"after_id": "x"}, {"after_id": 2**63},
], ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_bad_paging_parameters_are_422(ledger, params):
    resp = page(ledger, **params)

    assert resp.status_code == 422
    assert resp.json()["error"] == "ValidationError"


def test_the_largest_page_is_allowed(ledger):
    assert len(page(ledger, limit=5000).json()["transactions"]) == 7


@contextmanager
def ledger_statements(loyalty) -> Iterator[list[tuple[str, Any]]]:
    """Record the SQL (statement, parameters) touching the ledger while the block runs."""
    recorded: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        # The outbox dispatcher shares the engine; only ledger reads are recorded.
        if "point_transaction" in statement:
            recorded.append((statement, parameters))

    engine = loyalty.app.state.database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield recorded
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_page_is_one_statement_however_many_rows(loyalty):
    loyalty.register_business(1, "Mazoe Cafe")
    for i in range(40):
        loyalty.add_points(1, f"+2637712345{i:02d}", "3.00")

    with ledger_statements(loyalty) as small_sql:
        small = page(loyalty, limit=2).json()
    with ledger_statements(loyalty) as large_sql:
        large = page(loyalty, limit=40).json()

    assert len(small["transactions"]) == 2 and len(large["transactions"]) == 40
    assert len(small_sql) == len(large_sql) == 1  # one per page, not one per row


def test_a_page_seeks_the_primary_key_without_sorting(ledger):
    with ledger_statements(ledger) as sql:
        page(ledger, after_id=2, limit=3)
    [(statement, parameters)] = sql

    with ledger.app.state.database.engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()

    details = " | ".join(row[-1] for row in plan)
    # The keyset starts at after_id in the primary key and reads on in its order.
    assert "SEARCH point_transaction USING INTEGER PRIMARY KEY (rowid>?)" in details, details
    assert "TEMP B-TREE" not in details, details


@pytest.mark.parametrize("who", ["none", "business", "customer", "business internal"])
def test_the_ledger_needs_a_service_token(ledger, who):
    headers = {
        "none": {},
        "business": ledger.business_headers(1),
        "customer": ledger.customer_headers(PHONE),
        "business internal": ledger.business_headers(1, audience="mubayiro-internal"),
    }[who]

    resp = ledger.client.get("/internal/ledger", headers=headers)

    assert resp.status_code == (403 if who == "business internal" else 401)
