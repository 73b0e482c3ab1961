"""``GET /customers/points/{phone_number}``: balance and the last five transactions."""

from __future__ import annotations

import pytest

PHONE = "+263771234567"
OTHER_PHONE = "+263712345678"


@pytest.fixture
def two_shops(loyalty):
    """Two businesses where the customer has shopped 7 times."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    loyalty.register_business(2, "Harare Butchery", loyalty_rate="2")
    loyalty.ids = [loyalty.add_points(1 + i % 2, PHONE, f"{i + 1}.00").json()["transaction_id"]
                   for i in range(7)]
    return loyalty


def test_customer_sees_balance_and_last_five_across_businesses(two_shops):
    resp = two_shops.client.get(f"/customers/points/{PHONE}",
                                headers=two_shops.customer_headers(PHONE))

    assert resp.status_code == 200
    body = resp.json()
    # Amounts 1..7 alternately at rate 1 and 2: 1 + 4 + 3 + 8 + 5 + 12 + 7.
    assert body["phone_number"] == PHONE
    assert body["total_points"] == 40
    recent = body["recent_transactions"]
    assert [t["id"] for t in recent] == list(reversed(two_shops.ids))[:5]
    assert [t["business_name"] for t in recent] == [
        "Mazoe Cafe", "Harare Butchery", "Mazoe Cafe", "Harare Butchery", "Mazoe Cafe"]
    assert recent[0] == {
        "id": two_shops.ids[6], "type": "earn", "business_id": 1,
        "business_name": "Mazoe Cafe", "amount_spent": "7.00", "points": 7,
        "reward_description": None, "timestamp": recent[0]["timestamp"],
    }
    assert "customer_phone_number" not in recent[0]


def test_business_can_look_a_customer_up_by_local_number(two_shops):
    resp = two_shops.client.get("/customers/points/0771234567",
                                headers=two_shops.business_headers(2))

    assert resp.status_code == 200
    assert resp.json()["phone_number"] == PHONE
    assert resp.json()["total_points"] == 40


def test_spaced_and_encoded_forms_find_the_same_customer(two_shops):
    resp = two_shops.client.get("/customers/points/%2B263%2077%20123%204567",
                                headers=two_shops.customer_headers(PHONE))

    assert resp.status_code == 200
    assert resp.json()["total_points"] == 40


def test_customer_cannot_read_another_phone(two_shops):
    resp = two_shops.client.get(f"/customers/points/{PHONE}",
                                headers=two_shops.customer_headers(OTHER_PHONE))

    assert resp.status_code == 403
    assert resp.json()["error"] == "Forbidden"


def test_unknown_valid_phone_has_zero_points(loyalty):
    resp = loyalty.client.get(f"/customers/points/{OTHER_PHONE}",
                              headers=loyalty.customer_headers(OTHER_PHONE))

    assert resp.status_code == 200
    assert resp.json() == {"phone_number": OTHER_PHONE, "total_points": 0,
                           "recent_transactions": []}
    assert loyalty.count("customer") == 0


@pytest.mark.parametrize("phone", ["12345", "abc", "+999123", "0" * 40, "+26377123456789"])
def test_invalid_phone_is_422(loyalty, phone):
    resp = loyalty.client.get(f"/customers/points/{phone}", headers=loyalty.business_headers(1))

    assert resp.status_code == 422
    assert resp.json()["error"] == "ValidationError"
    assert resp.json()["errors"][0]["field"] == "phone_number"


def test_service_token_cannot_read_points(loyalty, keys):
    token = keys.service_token("mcp", audience="mubayiro")

    resp = loyalty.client.get(f"/customers/points/{PHONE}",
                              headers={"Authorization": f"Bearer {token}"})

    assert resp.status_code == 403
