"""``GET /businesses/{business_id}/transactions``: a business's own recent ledger rows."""

from __future__ import annotations

import pytest

PHONE = "+263771234567"
OTHER_PHONE = "+263712345678"


def test_business_sees_its_transactions_newest_first(loyalty):
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1.5")
    loyalty.register_business(2, "Harare Butchery")
    first = loyalty.add_points(1, PHONE, "10.99").json()
    loyalty.add_points(2, PHONE, "50.00")
    second = loyalty.add_points(1, OTHER_PHONE, "4.00").json()

    resp = loyalty.client.get("/businesses/1/transactions", headers=loyalty.business_headers(1))

    assert resp.status_code == 200
    rows = resp.json()
    assert [r["id"] for r in rows] == [second["transaction_id"], first["transaction_id"]]
    assert rows[1] == {
        "id": first["transaction_id"],
        "type": "earn",
        "business_id": 1,
        "business_name": "Mazoe Cafe",
        "amount_spent": "10.99",
        "points": 16,
        "reward_description": None,
        "reversed_transaction_id": None,
        "shortfall": None,
        "timestamp": rows[1]["timestamp"],
        "customer_phone_number": PHONE,
        "staff_id": None,
    }
    assert rows[0]["customer_phone_number"] == OTHER_PHONE
    assert rows[1]["timestamp"].endswith(("Z", "+00:00"))


def test_transactions_limit_defaults_to_20_and_caps_at_200(loyalty):
    loyalty.register_business(1, "Mazoe Cafe")
    for _ in range(23):
        loyalty.add_points(1, PHONE, "1.00")
    headers = loyalty.business_headers(1)

    default = loyalty.client.get("/businesses/1/transactions", headers=headers).json()
    three = loyalty.client.get("/businesses/1/transactions?limit=3", headers=headers).json()
    most = loyalty.client.get("/businesses/1/transactions?limit=200", headers=headers).json()

    assert len(default) == 20
    assert [r["id"] for r in three] == [23, 22, 21]
    assert len(most) == 23


@pytest.mark.parametrize("limit", ["0", "201", "-5", "many", "1.5"])
def test_transactions_refuse_bad_limits(loyalty, limit):
    loyalty.register_business(1, "Mazoe Cafe")

    resp = loyalty.client.get(f"/businesses/1/transactions?limit={limit}",
                              headers=loyalty.business_headers(1))

    assert resp.status_code == 422
    assert resp.json()["error"] == "ValidationError"


def test_a_new_business_has_no_transactions(loyalty):
    loyalty.auth.add_business(3, "Brand New")

    resp = loyalty.client.get("/businesses/3/transactions", headers=loyalty.business_headers(3))

    assert resp.status_code == 200
    assert resp.json() == []


def test_transactions_of_an_unknown_business_are_404(loyalty):
    resp = loyalty.client.get("/businesses/3/transactions", headers=loyalty.business_headers(3))

    assert resp.status_code == 404
    assert resp.json()["error"] == "BusinessNotFound"
