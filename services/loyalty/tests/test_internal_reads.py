"""The internal reads a service makes for a subject it has verified (the MCP server):
a customer's points, history, rewards and recommendations; a business's view of a
customer; the directory; a business's offers. Each answers what the public route
answers for the same subject, and only to a service token."""

from __future__ import annotations

import pytest

PHONE = "+263771234567"
STRANGER = "+263712345678"


@pytest.fixture
def coalition(loyalty):
    """Two shops (one promoting the other, one with rewards) and a customer of both."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    loyalty.register_business(2, "Harare Butchery", loyalty_rate="2")
    for i in range(7):
        assert loyalty.add_points(1 + i % 2, PHONE, f"{i + 1}.00").status_code == 201
    for name, cost in (("Free coffee", 30), ("Cake", 500)):
        resp = loyalty.client.post("/businesses/1/rewards",
                                   json={"name": name, "points_cost": cost},
                                   headers=loyalty.business_headers(1))
        assert resp.status_code == 201, resp.text
    resp = loyalty.client.put("/businesses/1/cross_promotions",
                              json={"partner_business_ids": [2]},
                              headers=loyalty.business_headers(1))
    assert resp.status_code == 200, resp.text
    return loyalty


def _get(loyalty, path, **params):
    return loyalty.client.get(path, params=params, headers=loyalty.service_headers("mcp"))


@pytest.mark.parametrize("suffix", ["points", "transactions", "rewards", "recommendations"])
def test_internal_customer_reads_equal_the_customers_own(coalition, suffix):
    public = {
        "points": f"/customers/points/{PHONE}",
        "transactions": f"/customers/{PHONE}/transactions",
        "rewards": f"/customers/{PHONE}/rewards",
        "recommendations": f"/customers/recommendations/{PHONE}",
    }[suffix]
    own = coalition.client.get(public, headers=coalition.customer_headers(PHONE))

    internal = _get(coalition, f"/internal/customers/{PHONE}/{suffix}")

    assert internal.status_code == 200, internal.text
    assert internal.json() == own.json()


def test_internal_points_show_balance_and_last_five(coalition):
    body = _get(coalition, f"/internal/customers/{PHONE}/points").json()

    assert body["total_points"] == 40
    assert len(body["recent_transactions"]) == 5
    assert body["recent_transactions"][0]["business_name"] == "Mazoe Cafe"


def test_internal_transactions_take_a_limit(coalition):
    rows = _get(coalition, f"/internal/customers/{PHONE}/transactions", limit=3).json()

    assert [r["points"] for r in rows] == [7, 12, 5]
    assert _get(coalition, f"/internal/customers/{PHONE}/transactions",
                limit=501).status_code == 422


def test_internal_rewards_put_redeemable_first(coalition):
    rows = _get(coalition, f"/internal/customers/{PHONE}/rewards").json()

    assert [(r["name"], r["redeemable"]) for r in rows] == [("Free coffee", True),
                                                          ("Cake", False)]


def test_an_unknown_customer_has_no_points_rather_than_a_404(coalition):
    body = _get(coalition, f"/internal/customers/{STRANGER}/points").json()

    assert body == {"phone_number": STRANGER, "total_points": 0, "next_expiry": None,
                    "recent_transactions": []}


def test_internal_business_view_shows_only_that_business(coalition):
    body = _get(coalition, f"/internal/businesses/2/customers/{PHONE}").json()

    assert body["total_points"] == 40
    assert {t["business_id"] for t in body["transactions"]} == {2}
    assert len(body["transactions"]) == 3


@pytest.mark.parametrize(("path", "error"), [
    (f"/internal/businesses/9/customers/{PHONE}", "BusinessNotFound"),
    (f"/internal/businesses/1/customers/{STRANGER}", "CustomerNotFound"),
    ("/internal/businesses/9/offers", "BusinessNotFound"),
])
def test_internal_business_reads_of_unknown_subjects_are_404(coalition, path, error):
    resp = _get(coalition, path)

    assert resp.status_code == 404
    assert resp.json()["error"] == error


def test_internal_directory_lists_every_business_by_name(coalition):
    assert _get(coalition, "/internal/businesses").json() == [
        {"id": 2, "name": "Harare Butchery"}, {"id": 1, "name": "Mazoe Cafe"}]
    assert _get(coalition, "/internal/businesses", limit=1, offset=1).json() == [
        {"id": 1, "name": "Mazoe Cafe"}]


def test_internal_offers_are_the_page_plus_partners(coalition):
    page = coalition.client.get("/businesses/1").json()

    offers = _get(coalition, "/internal/businesses/1/offers").json()

    assert offers == {**page, "partners": [{"id": 2, "name": "Harare Butchery"}]}
    assert [r["name"] for r in offers["rewards"]] == ["Free coffee", "Cake"]


@pytest.mark.parametrize("path", [
    f"/internal/customers/{PHONE}/points",
    f"/internal/customers/{PHONE}/transactions",
    f"/internal/customers/{PHONE}/rewards",
    f"/internal/customers/{PHONE}/recommendations",
    f"/internal/businesses/1/customers/{PHONE}",
    "/internal/businesses",
    "/internal/businesses/1/offers",
])
@pytest.mark.parametrize("who", ["none", "business", "customer"])
def test_internal_reads_need_a_service_token(coalition, path, who):
    headers = {"none": {}, "business": coalition.business_headers(1),
               "customer": coalition.customer_headers(PHONE)}[who]

    assert coalition.client.get(path, headers=headers).status_code == 401


def test_internal_reads_refuse_an_invalid_phone(coalition):
    assert _get(coalition, "/internal/customers/12345/points").status_code == 422
