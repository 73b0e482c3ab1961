"""``POST /internal/events``: loyalty's points events become figures, each exactly once."""

from __future__ import annotations

import logging

import pytest

from mubayiro.common.testing import TestKeys

EVENTS = "/internal/events"
ANA = "+263771111111"
BEN = "+263772222222"


def _day(date: str, issued: int = 0, redeemed: int = 0, **others: int) -> dict[str, object]:
    """One entry of the summary's daily series (the figures not named are 0)."""
    zero = dict.fromkeys(("points_reversed", "points_given_back", "points_expired",
                          "points_imported"), 0)
    return {"date": date, "points_issued": issued, "points_redeemed": redeemed,
            **zero, **others}


def _summary(client, headers, query: str = "") -> dict:
    response = client.get(f"/reports/summary{query}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_points_earned_counts_points_issued_and_a_customer(client, events, business_headers):
    resp = events.post(client, events.earned(11, business_id=3, phone=ANA, points=25))

    assert resp.status_code == 200
    assert resp.json() == {"status": "processed"}
    summary = _summary(client, business_headers(3))
    assert summary["total_points_issued"] == 25
    assert summary["total_redemptions"] == {"count": 0, "points": 0}
    assert summary["customer_count"] == 1
    assert summary["top_customers"] == [
        {"phone_number": ANA, "points_earned": 25, "transaction_count": 1}
    ]
    assert summary["daily"] == [
        _day("2026-11-20", 25, 0)
    ]


def test_points_redeemed_counts_a_redemption_and_its_points(client, events, business_headers):
    events.send(client, events.earned(1, phone=ANA, points=300),
                events.redeemed(2, phone=ANA, points=120), events.redeemed(3, phone=ANA, points=80))

    summary = _summary(client, business_headers(1))

    assert summary["total_redemptions"] == {"count": 2, "points": 200}
    assert summary["total_points_issued"] == 300
    assert summary["customer_count"] == 1
    assert summary["top_customers"][0]["transaction_count"] == 3


def test_referral_bonus_is_part_of_points_issued(client, events, business_headers):
    events.send(client, events.earned(1, phone=ANA, points=40),
                events.bonus(2, phone=BEN, points=50))

    issued = client.get("/reports/total_points_issued", headers=business_headers(1)).json()
    top = client.get("/reports/top_customers", headers=business_headers(1)).json()

    assert issued["total_points_issued"] == 90
    assert issued["earned_points"] == 40
    assert issued["referral_bonus_points"] == 50
    assert [c["phone_number"] for c in top["top_customers"]] == [BEN, ANA]


def test_redeem_only_customer_counts_as_a_customer(client, events, business_headers):
    events.send(client, events.earned(1, business_id=2, phone=ANA, points=100),
                events.redeemed(2, business_id=1, phone=ANA, points=60))

    count = client.get("/reports/customer_count", headers=business_headers(1)).json()
    top = client.get("/reports/top_customers", headers=business_headers(1)).json()

    assert count["customer_count"] == 1
    assert top["top_customers"] == [
        {"phone_number": ANA, "points_earned": 0, "transaction_count": 1}
    ]


def test_zero_point_purchase_counts_the_customer_but_no_points(client, events, business_headers):
    events.send(client, events.earned(1, phone=ANA, points=0, amount="0.50"))

    summary = _summary(client, business_headers(1))

    assert summary["total_points_issued"] == 0
    assert summary["customer_count"] == 1


def test_each_business_sees_only_its_own_events(client, events, business_headers):
    events.send(
        client,
        events.earned(1, business_id=1, phone=ANA, points=10),
        events.earned(2, business_id=2, phone=ANA, points=1000),
        events.redeemed(3, business_id=2, phone=ANA, points=500),
        events.bonus(4, business_id=2, phone=BEN, points=70),
    )

    one = _summary(client, business_headers(1))
    two = _summary(client, business_headers(2))

    assert (one["total_points_issued"], one["total_redemptions"], one["customer_count"]) == (
        10, {"count": 0, "points": 0}, 1)
    assert (two["total_points_issued"], two["total_redemptions"], two["customer_count"]) == (
        1070, {"count": 1, "points": 500}, 2)
    assert one["top_customers"] == [
        {"phone_number": ANA, "points_earned": 10, "transaction_count": 1}
    ]


def test_redelivered_event_is_counted_once(client, events, business_headers, count_rows):
    event = events.earned(1, points=25)

    first = events.post(client, event)
    again = events.post(client, event)

    assert first.json() == {"status": "processed"}
    assert again.status_code == 200
    assert again.json() == {"status": "duplicate"}
    assert _summary(client, business_headers(1))["total_points_issued"] == 25
    assert count_rows(client.app, "processed_event") == 1


def test_same_transaction_under_a_new_event_id_is_counted_once(
    client, events, business_headers, snapshot
):
    events.send(client, events.earned(7, points=25), events.redeemed(8, points=5))
    before = snapshot(client.app)

    # A producer that lost its outbox row and re-emitted: new event ids, same transactions.
    events.send(client, events.earned(7, points=25), events.redeemed(8, points=5))

    assert snapshot(client.app) == before
    summary = _summary(client, business_headers(1))
    assert summary["total_points_issued"] == 25
    assert summary["total_redemptions"] == {"count": 1, "points": 5}


def test_transaction_id_reused_with_other_data_keeps_the_first_and_warns(
    client, events, business_headers, caplog
):
    events.send(client, events.earned(7, points=25))

    with caplog.at_level(logging.WARNING, logger="mubayiro.reports.ingest.service"):
        events.send(client, events.earned(7, points=99, business_id=1))

    assert _summary(client, business_headers(1))["total_points_issued"] == 25
    assert any("different data" in r.getMessage() for r in caplog.records)


def test_local_phone_spelling_is_the_same_customer(client, events, business_headers):
    events.send(client, events.earned(1, phone="+263771234567", points=5),
                events.earned(2, phone="077 123 4567", points=6))

    summary = _summary(client, business_headers(1))

    assert summary["customer_count"] == 1
    assert summary["top_customers"][0] == {
        "phone_number": "+263771234567", "points_earned": 11, "transaction_count": 2}


def test_days_are_utc_days_of_the_timestamp(client, events, business_headers):
    events.send(
        client,
        # 01:30 in Harare (+02:00) is still the previous day in UTC.
        events.earned(1, points=1, at="2026-11-21T01:30:00+02:00"),
        # No offset: read as UTC.
        events.earned(2, points=2, at="2026-11-21T23:59:59"),
        events.earned(3, points=4, at="2026-11-22T00:00:00Z"),
    )

    daily = _summary(client, business_headers(1))["daily"]

    assert daily == [
        _day("2026-11-20", 1, 0),
        _day("2026-11-21", 2, 0),
        _day("2026-11-22", 4, 0),
    ]


def test_out_of_order_events_keep_first_and_last_seen(client, events, snapshot):
    events.send(client, events.earned(2, phone=ANA, at="2026-11-22T08:00:00Z"),
                events.earned(1, phone=ANA, at="2026-11-20T08:00:00Z"),
                events.earned(3, phone=ANA, at="2026-11-21T08:00:00Z"))

    [customer] = snapshot(client.app)["business_customer"]
    first_seen, last_seen = customer[-2], customer[-1]
    assert first_seen.isoformat() == "2026-11-20T08:00:00+00:00"
    assert last_seen.isoformat() == "2026-11-22T08:00:00+00:00"


def test_refunds_are_counted_beside_points_issued(client, events, business_headers):
    events.send(
        client,
        events.earned(1, phone=ANA, points=100, at="2026-11-20T09:00:00Z"),
        events.redeemed(2, phone=ANA, points=90, at="2026-11-20T10:00:00Z"),
        # The purchase refunded after most of it was spent: 10 taken back, 30 short.
        events.reversed(3, phone=ANA, points=-10, shortfall=30, amount="40.00",
                        at="2026-11-21T09:00:00Z"),
        # The redemption cancelled: its points given back.
        events.reversed(4, phone=ANA, points=90, at="2026-11-21T10:00:00Z"),
    )

    summary = _summary(client, business_headers(1))

    assert summary["total_points_issued"] == 100
    assert summary["total_redemptions"] == {"count": 1, "points": 90}
    assert summary["total_reversals"] == {"count": 2, "points_reversed": 10, "shortfall": 30,
                                          "points_given_back": 90}
    assert summary["net_points"] == 100 - 90 - 10 + 90
    assert summary["top_customers"] == [
        {"phone_number": ANA, "points_earned": 90, "transaction_count": 4}]
    assert summary["daily"] == [
        _day("2026-11-20", 100, 90),
        _day("2026-11-21", points_reversed=10, points_given_back=90),
    ]
    # In a range holding only the refund, the customer's points earned are negative.
    ranged = _summary(client, business_headers(1), "?from=2026-11-21&to=2026-11-21")
    assert ranged["top_customers"] == [
        {"phone_number": ANA, "points_earned": -10, "transaction_count": 2}]


def test_expiry_is_counted_for_the_business_not_as_a_customer_visit(
    client, events, business_headers
):
    events.send(client, events.earned(1, phone=ANA, points=50, at="2026-10-01T09:00:00Z"),
                events.expired(2, phone=ANA, points=20, at="2026-11-20T00:00:05Z"))

    november = _summary(client, business_headers(1), "?from=2026-11-01&to=2026-11-30")
    all_time = _summary(client, business_headers(1))

    assert november["total_points_expired"] == 20
    assert november["customer_count"] == 0
    assert november["net_points"] == -20
    assert all_time["top_customers"] == [
        {"phone_number": ANA, "points_earned": 50, "transaction_count": 1}]


def test_an_import_event_counts_each_balance_once(client, events, business_headers,
                                                   count_rows):
    envelope = events.imported([(5, ANA, 120), (6, BEN, 0), (7, "+263773333333", 30)],
                               business_id=2)
    events.send(client, envelope)
    # The same rows again under a new event id (a re-emission): nothing more.
    events.send(client, events.imported([(5, ANA, 120), (6, BEN, 0)], business_id=2))

    summary = _summary(client, business_headers(2))

    assert count_rows(client.app, "report_transaction") == 3
    assert (summary["total_points_imported"], summary["total_points_issued"]) == (150, 0)
    assert summary["customer_count"] == 3
    assert summary["daily"] == [_day("2026-11-20", points_imported=150)]


def test_unknown_event_type_is_acknowledged_and_ignored(client, events, count_rows):
    resp = events.post(client, events.envelope("referral.completed", {"referral_id": 1}))

    assert resp.json() == {"status": "ignored"}
    assert count_rows(client.app, "report_transaction") == 0


_VALID = {"transaction_id": 1, "business_id": 1, "business_name": "B",
          "customer_phone_number": ANA, "amount_spent": "10.00", "points": 10,
          "total_points": 10, "timestamp": "2026-11-20T10:00:00+00:00"}


@pytest.mark.parametrize(("event_type", "change"), [
    ("points.earned", {"transaction_id": None}),
    ("points.earned", {"transaction_id": 0}),
    ("points.earned", {"transaction_id": "abc"}),
    ("points.earned", {"business_id": -1}),
    ("points.earned", {"customer_phone_number": "12"}),
    ("points.earned", {"customer_phone_number": "not a phone"}),
    ("points.earned", {"points": -5}),
    ("points.earned", {"points": 10**13}),
    ("points.earned", {"points": "many"}),
    ("points.earned", {"amount_spent": "-1.00"}),
    ("points.earned", {"amount_spent": "1.005"}),
    ("points.earned", {"timestamp": "yesterday"}),
    ("points.earned", {"timestamp": None}),
    ("points.redeemed", {"points": 0}),
    ("points.redeemed", {"points": -10}),
    ("points.referral_bonus", {"points": 0}),
    ("points.reversed", {"reversed_type": "earn", "points": 5, "shortfall": 0}),
    ("points.reversed", {"reversed_type": "redeem", "points": -5, "shortfall": 0}),
    ("points.reversed", {"reversed_type": "redeem", "points": 5, "shortfall": 2}),
    ("points.reversed", {"reversed_type": "expire", "points": -5, "shortfall": 0}),
    ("points.reversed", {"reversed_type": "earn", "points": -5, "shortfall": -1}),
    ("points.reversed", {"points": -5, "shortfall": 0}),
    ("points.expired", {"points": 0}),
    ("points.expired", {"points": -3}),
    ("points.imported", {"rows": []}),
    ("points.imported", {"rows": [{"transaction_id": 1, "customer_phone_number": ANA,
                                   "points": -1}]}),
    ("points.imported", {"rows": [{"transaction_id": 1, "customer_phone_number": "12",
                                   "points": 1}]}),
])
def test_invalid_payload_is_refused_and_nothing_is_written(
    client, events, count_rows, event_type, change
):
    data = {k: v for k, v in {**_VALID, **change}.items() if v is not None}

    resp = events.post(client, events.envelope(event_type, data))

    assert resp.status_code == 422, resp.text
    assert resp.json()["error"] == "InvalidEventPayload"
    for table in ("report_transaction", "business_day", "business_customer",
                  "business_customer_day", "processed_event"):
        assert count_rows(client.app, table) == 0, table


def test_refused_event_is_processed_when_sent_again_fixed(client, events, business_headers):
    broken = events.earned(1, points=10)
    broken["data"]["customer_phone_number"] = "12"
    assert events.post(client, broken).status_code == 422

    broken["data"]["customer_phone_number"] = ANA
    assert events.post(client, broken).json() == {"status": "processed"}
    assert _summary(client, business_headers(1))["total_points_issued"] == 10


def test_events_route_needs_a_service_token(client, events, keys, business_headers, count_rows):
    event = events.earned(1)
    forged = TestKeys().service_token("loyalty")
    cases = {
        "none": {},
        "business": business_headers(1),
        "customer": {"Authorization": f"Bearer {keys.customer_token(ANA)}"},
        "forged": {"Authorization": f"Bearer {forged}"},
        "expired": {"Authorization": f"Bearer {keys.service_token('loyalty', expires_in=-60)}"},
        "api audience": {"Authorization": "Bearer "
                         + keys.service_token("loyalty", audience="mubayiro")},
    }

    statuses = {name: client.post(EVENTS, json=event, headers=h).status_code
                for name, h in cases.items()}

    assert statuses == {"none": 401, "business": 401, "customer": 401, "forged": 401,
                        "expired": 401, "api audience": 401}
    assert count_rows(client.app, "report_transaction") == 0
    assert count_rows(client.app, "processed_event") == 0
