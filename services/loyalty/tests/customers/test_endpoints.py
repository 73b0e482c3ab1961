"""Customer routes: balance, history and rewards (customer token for that phone only),
a business's view of a customer (its own transactions only), the internal balance."""

from __future__ import annotations

import pytest

PHONE = "+263771234567"
OTHER_PHONE = "+263712345678"

CUSTOMER_ROUTES = [
    "/customers/points/{phone}",
    "/customers/{phone}/transactions",
    "/customers/{phone}/rewards",
    "/customers/recommendations/{phone}",
]


@pytest.fixture
def two_shops(loyalty):
    """Two businesses where the customer has shopped 7 times."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    loyalty.register_business(2, "Harare Butchery", loyalty_rate="2")
    loyalty.ids = [loyalty.add_points(1 + i % 2, PHONE, f"{i + 1}.00").json()["transaction_id"]
                   for i in range(7)]
    return loyalty


# --- balance -----------------------------------------------------------------------------


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
        "reward_description": None, "reversed_transaction_id": None, "shortfall": None,
        "timestamp": recent[0]["timestamp"],
    }
    assert "customer_phone_number" not in recent[0]


def test_customer_token_works_with_the_local_form_in_the_path(two_shops):
    resp = two_shops.client.get("/customers/points/0771234567",
                                headers=two_shops.customer_headers(PHONE))

    assert resp.status_code == 200
    assert resp.json()["phone_number"] == PHONE
    assert resp.json()["total_points"] == 40


def test_spaced_and_encoded_forms_find_the_same_customer(two_shops):
    resp = two_shops.client.get("/customers/points/%2B263%2077%20123%204567",
                                headers=two_shops.customer_headers(PHONE))

    assert resp.status_code == 200
    assert resp.json()["total_points"] == 40


def test_unknown_valid_phone_has_zero_points(loyalty):
    resp = loyalty.client.get(f"/customers/points/{OTHER_PHONE}",
                              headers=loyalty.customer_headers(OTHER_PHONE))

    assert resp.status_code == 200
    assert resp.json() == {"phone_number": OTHER_PHONE, "total_points": 0,
                           "next_expiry": None, "recent_transactions": []}
    assert loyalty.count("customer") == 0


# --- who may read a customer's data --------------------------------------------------------


@pytest.mark.parametrize("route", CUSTOMER_ROUTES)
def test_customer_routes_answer_only_that_customer(loyalty, keys, subtests, route):
    loyalty.register_business(1, "Mazoe Cafe")
    loyalty.add_points(1, PHONE, "10.00")
    path = route.format(phone=PHONE)
    service = {"Authorization": f"Bearer {keys.service_token('mcp', audience='mubayiro')}"}
    refusals = {
        "no token": ({}, 401, "Unauthorized"),
        "business token": (loyalty.business_headers(1), 403, "Forbidden"),
        "another phone": (loyalty.customer_headers(OTHER_PHONE), 403, "Forbidden"),
        "service token": (service, 403, "Forbidden"),
    }

    for who, (headers, status, error) in refusals.items():
        with subtests.test(caller=who):
            resp = loyalty.client.get(path, headers=headers)

            assert resp.status_code == status
            assert resp.json()["error"] == error
    assert loyalty.client.get(path, headers=loyalty.customer_headers(PHONE)).status_code == 200


def test_a_business_token_is_told_the_route_needs_a_customer_token(loyalty):
    resp = loyalty.client.get(f"/customers/points/{PHONE}", headers=loyalty.business_headers(1))

    assert resp.json() == {"detail": "This route needs a customer token", "error": "Forbidden"}


def test_invalid_phone_is_422_on_every_customer_route(loyalty, subtests):
    for route in CUSTOMER_ROUTES:
        for phone in ["12345", "abc", "+999123", "0" * 40, "+26377123456789"]:
            with subtests.test(route=route, phone=phone):
                resp = loyalty.client.get(route.format(phone=phone),
                                          headers=loyalty.customer_headers(PHONE))

                assert resp.status_code == 422
                assert resp.json()["error"] == "ValidationError"
                assert resp.json()["errors"][0]["field"] == "phone_number"


# --- full history --------------------------------------------------------------------------


def test_history_lists_every_transaction_newest_first(two_shops):
    resp = two_shops.client.get(f"/customers/{PHONE}/transactions",
                                headers=two_shops.customer_headers(PHONE))

    assert resp.status_code == 200
    assert [t["id"] for t in resp.json()] == list(reversed(two_shops.ids))
    assert {t["business_name"] for t in resp.json()} == {"Mazoe Cafe", "Harare Butchery"}


def test_history_pages_with_limit_and_offset(two_shops):
    headers = two_shops.customer_headers(PHONE)

    page = two_shops.client.get(f"/customers/{PHONE}/transactions?limit=3&offset=2",
                                headers=headers).json()
    past_the_end = two_shops.client.get(f"/customers/{PHONE}/transactions?offset=7",
                                        headers=headers).json()

    assert [t["id"] for t in page] == list(reversed(two_shops.ids))[2:5]
    assert past_the_end == []


def test_history_shows_redemptions_with_negative_points(two_shops):
    two_shops.client.post("/transactions/redeem_points", json={
        "business_id": 2, "customer_phone_number": PHONE, "points_to_redeem": 30,
        "reward_description": "Braai pack",
        "customer_code": two_shops.redemption_code(2, PHONE)},
        headers=two_shops.business_headers(2))

    [latest] = two_shops.client.get(f"/customers/{PHONE}/transactions?limit=1",
                                    headers=two_shops.customer_headers(PHONE)).json()

    assert latest["type"] == "redeem"
    assert latest["points"] == -30
    assert latest["amount_spent"] is None
    assert latest["reward_description"] == "Braai pack"


def test_history_limit_defaults_to_50_and_caps_at_500(loyalty):
    loyalty.register_business(1, "Mazoe Cafe")
    for _ in range(52):
        loyalty.add_points(1, PHONE, "1.00")
    headers = loyalty.customer_headers(PHONE)

    default = loyalty.client.get(f"/customers/{PHONE}/transactions", headers=headers).json()
    most = loyalty.client.get(f"/customers/{PHONE}/transactions?limit=500",
                              headers=headers).json()

    assert len(default) == 50
    assert len(most) == 52


def test_history_refuses_bad_paging(loyalty, subtests):
    for query in ["limit=0", "limit=501", "limit=x", "offset=-1", "offset=1000001"]:
        with subtests.test(query=query):
            resp = loyalty.client.get(f"/customers/{PHONE}/transactions?{query}",
                                      headers=loyalty.customer_headers(PHONE))

            assert resp.status_code == 422


def test_history_of_an_unknown_phone_is_empty(loyalty):
    resp = loyalty.client.get(f"/customers/{PHONE}/transactions",
                              headers=loyalty.customer_headers(PHONE))

    assert resp.status_code == 200
    assert resp.json() == []


# --- a business's view of a customer ------------------------------------------------------


def test_business_sees_the_balance_and_only_its_own_transactions(two_shops):
    resp = two_shops.client.get(f"/businesses/2/customers/{PHONE}",
                                headers=two_shops.business_headers(2))

    assert resp.status_code == 200
    body = resp.json()
    assert body["phone_number"] == PHONE
    assert body["total_points"] == 40  # the coalition-wide balance
    assert [t["id"] for t in body["transactions"]] == [two_shops.ids[5], two_shops.ids[3],
                                                       two_shops.ids[1]]
    assert {t["business_id"] for t in body["transactions"]} == {2}
    assert {t["business_name"] for t in body["transactions"]} == {"Harare Butchery"}


def test_business_view_takes_the_local_form_and_pages(two_shops):
    resp = two_shops.client.get("/businesses/1/customers/0771234567?limit=2&offset=1",
                                headers=two_shops.business_headers(1))

    assert resp.status_code == 200
    assert [t["id"] for t in resp.json()["transactions"]] == [two_shops.ids[4], two_shops.ids[2]]


def test_a_customer_who_never_came_is_404_to_the_business_like_a_stranger(two_shops):
    """Issue 11 (no membership leaks): a shop cannot tell another shop's customer, and
    their balance, from a number nobody knows."""
    two_shops.register_business(3, "Bulawayo Bakery")

    elsewhere = two_shops.client.get(f"/businesses/3/customers/{PHONE}",
                                     headers=two_shops.business_headers(3))
    stranger = two_shops.client.get("/businesses/3/customers/+263719999999",
                                    headers=two_shops.business_headers(3))

    assert elsewhere.status_code == stranger.status_code == 404
    assert elsewhere.json() == stranger.json() == {
        "detail": "Customer not found", "error": "CustomerNotFound"}


def test_a_customer_who_gave_the_business_a_code_is_visible_to_it(two_shops):
    two_shops.register_business(3, "Bulawayo Bakery")
    code = two_shops.redemption_code(3, PHONE)
    assert two_shops.redeem(3, PHONE, 10, code=code).status_code == 201

    resp = two_shops.client.get(f"/businesses/3/customers/{PHONE}",
                                headers=two_shops.business_headers(3))

    assert resp.status_code == 200
    assert resp.json()["total_points"] == 30
    assert [t["points"] for t in resp.json()["transactions"]] == [-10]


def test_business_view_of_an_unknown_customer_is_404(loyalty):
    loyalty.register_business(1, "Mazoe Cafe")

    resp = loyalty.client.get(f"/businesses/1/customers/{PHONE}",
                              headers=loyalty.business_headers(1))

    assert resp.status_code == 404
    assert resp.json() == {"detail": "Customer not found", "error": "CustomerNotFound"}


def test_business_view_of_another_business_is_403(two_shops):
    resp = two_shops.client.get(f"/businesses/2/customers/{PHONE}",
                                headers=two_shops.business_headers(1))

    assert resp.status_code == 403


def test_business_view_refuses_a_customer_token(two_shops):
    resp = two_shops.client.get(f"/businesses/1/customers/{PHONE}",
                                headers=two_shops.customer_headers(PHONE))

    assert resp.status_code == 403


@pytest.mark.parametrize("path", ["/businesses/1/customers/12345",
                                  f"/businesses/1/customers/{PHONE}?limit=501"])
def test_business_view_refuses_bad_input(two_shops, path):
    resp = two_shops.client.get(path, headers=two_shops.business_headers(1))

    assert resp.status_code == 422


# --- internal balance (notifications' BALANCE command) -------------------------------------


def test_internal_balance_answers_a_service(two_shops):
    resp = two_shops.client.get(f"/internal/customers/{PHONE}/balance",
                                headers=two_shops.service_headers("notifications"))

    assert resp.status_code == 200
    assert resp.json() == {"phone_number": PHONE, "total_points": 40,
                           "next_expiry": None}


def test_internal_balance_accepts_the_local_form(two_shops):
    resp = two_shops.client.get("/internal/customers/0771234567/balance",
                                headers=two_shops.service_headers("notifications"))

    assert resp.json() == {"phone_number": PHONE, "total_points": 40,
                           "next_expiry": None}


def test_internal_balance_of_an_unknown_phone_is_404(loyalty):
    resp = loyalty.client.get(f"/internal/customers/{OTHER_PHONE}/balance",
                              headers=loyalty.service_headers("notifications"))

    assert resp.status_code == 404
    assert resp.json()["error"] == "CustomerNotFound"


@pytest.mark.parametrize("who", ["none", "business", "customer"])
def test_internal_balance_needs_a_service_token(two_shops, who):
    headers = {"none": {}, "business": two_shops.business_headers(1),
               "customer": two_shops.customer_headers(PHONE)}[who]

    resp = two_shops.client.get(f"/internal/customers/{PHONE}/balance", headers=headers)

    # API tokens carry the API audience, so the internal audience check refuses them.
    assert resp.status_code == 401


def test_internal_balance_refuses_an_invalid_phone(loyalty):
    resp = loyalty.client.get("/internal/customers/12345/balance",
                              headers=loyalty.service_headers("notifications"))

    assert resp.status_code == 422


def test_internal_balance_is_not_in_the_public_schema(loyalty):
    paths = loyalty.client.get("/openapi/loyalty.json").json()["paths"]

    assert not [p for p in paths if p.startswith("/internal")]
