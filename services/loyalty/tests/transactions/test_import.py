"""``POST /internal/transactions/import``: a shop's earlier purchases come into the ledger."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .internal_checks import NON_SERVICES, non_service_headers, refused_without_a_trace

PHONE = "+263771234567"
OTHER_PHONE = "+263712345678"
PATH = "/internal/transactions/import"


def _ago(**delta: float) -> datetime:
    return (datetime.now(UTC) - timedelta(**delta)).replace(microsecond=0)


TEN_DAYS_AGO = _ago(days=10)


@pytest.fixture
def shops(loyalty):
    """Loyalty with business 1 (rate 2) and business 2 (rate 1) registered."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="2")
    loyalty.register_business(2, "Avondale Bakery", loyalty_rate="1")
    return loyalty


def _body(**changes):
    body = {"business_id": 1, "customer_phone_number": PHONE, "amount_spent": "10.55",
            "occurred_at": TEN_DAYS_AGO.isoformat()}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def bring_in(loyalty, body=None, *, key="import-1", client_id="devtools", headers=None):
    """POST an import as the ``client_id`` service, with ``key`` (None: no key header)."""
    sent = {**loyalty.service_headers(client_id), **(headers or {})}
    if key is not None:
        sent["Idempotency-Key"] = key
    return loyalty.client.post(PATH, json=_body() if body is None else body, headers=sent)


# --- the happy path ------------------------------------------------------------------------


def test_import_records_an_earn_dated_when_the_purchase_happened(shops):
    resp = bring_in(shops)

    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body == {"transaction_id": body["transaction_id"], "customer_phone_number": PHONE,
                    "points_earned": 21, "total_points": 21, "timestamp": body["timestamp"]}
    assert datetime.fromisoformat(body["timestamp"]) == TEN_DAYS_AGO
    [row] = shops.rows("point_transaction")
    assert (row.id, row.business_id, row.type, row.points, str(row.amount_spent)) == (
        body["transaction_id"], 1, "earn", 21, "10.55")
    assert row.created_at == TEN_DAYS_AGO
    assert row.idempotency_key == "import-1"
    [customer] = shops.rows("customer")
    assert (customer.phone_number, customer.total_points) == (PHONE, 21)
    assert customer.created_at == TEN_DAYS_AGO  # first seen in the shop's history


def test_import_emits_points_earned_marked_imported_with_the_purchase_time(shops):
    result = bring_in(shops).json()

    rows = shops.rows("outbox_message")
    assert sorted((r.event_type, r.destination) for r in rows) == [
        ("points.earned", "notifications"), ("points.earned", "reports")]
    envelopes = [json.loads(r.envelope) for r in rows]
    assert envelopes[0] == envelopes[1]
    data = envelopes[0]["data"]
    assert data == {
        "transaction_id": result["transaction_id"],
        "business_id": 1,
        "business_name": "Mazoe Cafe",
        "customer_phone_number": PHONE,
        "amount_spent": "10.55",
        "points": 21,
        "total_points": 21,
        "timestamp": TEN_DAYS_AGO.isoformat(),
        "imported": True,
    }


def test_live_awards_carry_no_imported_flag(shops):
    shops.add_points(1, PHONE, "5.00")

    [envelope] = {r.envelope for r in shops.rows("outbox_message")}
    assert "imported" not in json.loads(envelope)["data"]


def test_import_uses_the_business_current_rate(shops):
    resp = shops.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": "3"},
                             headers=shops.business_headers(1))
    assert resp.status_code == 200, resp.text

    assert bring_in(shops).json()["points_earned"] == 31  # floor(10.55 × 3)


def test_history_imported_oldest_first_then_live_reads_in_time_order(shops):
    older, newer = _ago(days=20), _ago(days=3)
    bring_in(shops, _body(occurred_at=older.isoformat()), key="a")
    bring_in(shops, _body(occurred_at=newer.isoformat(), business_id=2), key="b")
    shops.add_points(1, "0771234567", "1.00")

    history = shops.client.get(f"/customers/{PHONE}/transactions",
                               headers=shops.customer_headers(PHONE)).json()
    stamps = [datetime.fromisoformat(t["timestamp"]) for t in history]
    assert stamps == sorted(stamps, reverse=True)
    assert stamps[1:] == [newer, older]
    assert [t["points"] for t in history] == [2, 10, 21]
    ledger = shops.client.get("/internal/ledger", headers=shops.service_headers()).json()
    assert [datetime.fromisoformat(t["timestamp"]) for t in ledger["transactions"][:2]] == [
        older, newer]


def test_a_time_with_an_offset_is_stored_in_utc(shops):
    harare = TEN_DAYS_AGO.astimezone(ZoneInfo("Africa/Harare"))

    resp = bring_in(shops, _body(occurred_at=harare.isoformat()))

    assert resp.status_code == 201, resp.text
    assert shops.rows("point_transaction")[0].created_at == TEN_DAYS_AGO


# --- idempotency -------------------------------------------------------------------------


def test_same_key_and_body_imports_once_and_replays(shops):
    first = bring_in(shops)
    again = bring_in(shops, _body(customer_phone_number="077 123 4567"))

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert shops.count("point_transaction") == 1
    assert shops.count("outbox_message") == 2
    assert shops.rows("customer")[0].total_points == 21


def test_a_replay_wins_over_the_history_rule(shops):
    bring_in(shops)
    shops.add_points(1, PHONE, "1.00")  # now there is a later transaction

    again = bring_in(shops)

    assert again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"


@pytest.mark.parametrize("change", [{"amount_spent": "10.56"}, {"business_id": 2},
                                    {"occurred_at": _ago(days=9).isoformat()}])
def test_same_key_with_another_body_is_422_and_imports_nothing(shops, change):
    bring_in(shops)
    refused_without_a_trace(
        shops, lambda: bring_in(shops, _body(**change)), 422, "IdempotencyKeyReused")


def test_keys_are_scoped_to_the_calling_service(shops):
    bring_in(shops, client_id="devtools")

    other = bring_in(shops, client_id="till-export")

    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers
    assert other.json()["total_points"] == 42


@pytest.mark.parametrize("key", [None, "", "x" * 256, "tab\there"],
                         ids=["missing", "empty", "too long", "control character"])
def test_a_missing_or_bad_key_is_422_and_nothing_written(shops, key):
    refused_without_a_trace(shops, lambda: bring_in(shops, key=key), 422)


def test_a_missing_key_names_the_header(shops):
    resp = bring_in(shops, key=None)

    assert [(e["field"], e["type"]) for e in resp.json()["errors"]] == [
        ("Idempotency-Key", "missing")]


# --- the history rule --------------------------------------------------------------------


def test_409_when_the_customer_already_has_a_later_transaction(shops):
    shops.add_points(2, PHONE, "3.00")  # live, at another business
    before = shops.counts()

    resp = bring_in(shops)

    assert resp.status_code == 409
    assert resp.json()["error"] == "HistoryAfterLiveTransactions"
    assert resp.json()["detail"].startswith("The customer already has transactions after")
    assert shops.counts() == before  # not even the idempotency record


def test_409_when_the_business_already_has_a_later_transaction(shops):
    shops.add_points(1, OTHER_PHONE, "3.00")  # live, another customer
    before = shops.counts()

    resp = bring_in(shops)

    assert resp.status_code == 409
    assert resp.json()["error"] == "HistoryAfterLiveTransactions"
    assert resp.json()["detail"].startswith("The business already has transactions after")
    assert shops.counts() == before


def test_409_for_history_older_than_history_already_imported(shops):
    bring_in(shops, _body(occurred_at=_ago(days=5).isoformat()), key="a")

    resp = bring_in(shops, _body(business_id=2), key="b")  # same customer, 10 days ago

    assert resp.status_code == 409
    assert shops.count("point_transaction") == 1


def test_history_of_unrelated_customers_and_businesses_is_independent(shops):
    shops.add_points(2, OTHER_PHONE, "3.00")  # neither this customer nor this business

    resp = bring_in(shops)

    assert resp.status_code == 201, resp.text


def test_the_same_moment_as_the_latest_row_is_accepted(shops):
    bring_in(shops, key="a")

    resp = bring_in(shops, _body(amount_spent="2.00"), key="b")

    assert resp.status_code == 201
    assert shops.count("point_transaction") == 2


# --- refusals ----------------------------------------------------------------------------


def test_unknown_business_is_404_without_asking_auth(shops):
    shops.auth.add_business(9, "Elsewhere")
    before = shops.counts()

    resp = bring_in(shops, _body(business_id=9))

    assert resp.status_code == 404
    assert resp.json() == {"detail": "Business not found", "error": "BusinessNotFound"}
    assert shops.counts() == before
    assert shops.auth.lookups() == []


BAD_TIMES = {
    # A day ahead, not minutes: the table is built at import, which on a slow run can be
    # many minutes before the test runs.
    "in the future": _ago(days=-1).isoformat(),
    "too long ago": _ago(days=367).isoformat(),
    "no offset": TEN_DAYS_AGO.replace(tzinfo=None).isoformat(),
    "date only": TEN_DAYS_AGO.date().isoformat(),
    "unix number": int(TEN_DAYS_AGO.timestamp()),
    "not a date": "last tuesday",
    "empty": "",
    "null": None,
}


@pytest.mark.parametrize("when", BAD_TIMES.values(), ids=BAD_TIMES.keys())
def test_occurred_at_must_be_a_past_time_within_a_year(shops, when):
    before = shops.counts()

    resp = bring_in(shops, _body(occurred_at=when))

    assert resp.status_code == 422, resp.text
    assert resp.json()["error"] == "ValidationError"
    assert [e["field"] for e in resp.json()["errors"]] == ["occurred_at"]
    assert shops.counts() == before


def test_future_and_old_times_say_why(shops):
    future = bring_in(shops, _body(occurred_at=BAD_TIMES["in the future"])).json()
    old = bring_in(shops, _body(occurred_at=BAD_TIMES["too long ago"])).json()

    assert future["detail"] == "occurred_at: must be in the past"
    assert old["detail"] == "occurred_at: must be at most 366 days ago"


BAD_BODIES = {
    "invalid phone": _body(customer_phone_number="12345"),
    "empty phone": _body(customer_phone_number=""),
    "phone as number": _body(customer_phone_number=263771234567),
    "zero amount": _body(amount_spent="0"),
    "negative amount": _body(amount_spent="-5.00"),
    "huge amount": _body(amount_spent="1000000.01"),
    "three decimals": _body(amount_spent="10.555"),
    "non-numeric amount": _body(amount_spent="ten"),
    "nan amount": _body(amount_spent="NaN"),
    "null amount": _body(amount_spent=None),
    "zero business": _body(business_id=0),
    "string business": _body(business_id="1"),
    "huge business": _body(business_id=2**31),
    "missing amount": _body(amount_spent=...),
    "missing time": _body(occurred_at=...),
    "missing phone": _body(customer_phone_number=...),
    "missing business": _body(business_id=...),
    "extra field": _body(points=50),
    "not an object": [1, 2, 3],
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_import_refuses_bad_input_and_writes_nothing(shops, body):
    refused_without_a_trace(shops, lambda: bring_in(shops, body), 422, "ValidationError")


def test_oversized_body_is_413_and_nothing_written(shops):
    oversized = _body(customer_phone_number=PHONE + " " * 70_000)
    refused_without_a_trace(shops, lambda: bring_in(shops, oversized), 413)


@pytest.mark.parametrize("who", NON_SERVICES)
def test_import_needs_a_service_token(shops, who):
    headers = {**non_service_headers(shops, who, PHONE), "Idempotency-Key": "k"}
    refused_without_a_trace(shops, lambda: shops.client.post(PATH, json=_body(), headers=headers),
                            403 if who == "business internal" else 401)
