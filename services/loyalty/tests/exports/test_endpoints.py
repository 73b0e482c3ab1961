"""``GET /businesses/{business_id}/export/customers.csv`` and ``…/transactions.csv``: a
business's own data as CSV, streamed, owners only."""

from __future__ import annotations

import csv
import io

import pytest

from mubayiro.loyalty.exports import repository as export_repository_module
from mubayiro.loyalty.exports.service import export_service

PHONE = "+263771234567"
OTHER = "+263772000001"


@pytest.fixture
def shop(loyalty):
    """Business 1 (rate 1) with two customers, a redemption and a refund; business 2 with
    a customer of its own and one shared with business 1."""
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    loyalty.register_business(2, "Harare Butchery", loyalty_rate="1")
    earn = loyalty.add_points(1, PHONE, "100.00").json()["transaction_id"]
    assert loyalty.redeem(1, PHONE, 30, description="=HYPERLINK(\"x\")").status_code == 201
    assert loyalty.reverse(1, earn, amount="10.00", reason="-broken cup").status_code == 201
    loyalty.add_points(1, OTHER, "5.50")
    loyalty.add_points(2, PHONE, "7.00")
    loyalty.add_points(2, "+263773000002", "9.00")
    return loyalty


def _csv(resp):
    return list(csv.DictReader(io.StringIO(resp.text)))


def test_customers_file_sums_each_customers_points_at_this_business_only(shop):
    resp = shop.client.get("/businesses/1/export/customers.csv",
                           headers=shop.business_headers(1))

    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("text/csv")
    assert resp.headers["content-disposition"].startswith(
        'attachment; filename="business-1-customers-')
    rows = _csv(resp)
    assert [(r["phone_number"], r["points_earned"], r["points_redeemed"],
             r["points_reversed"], r["balance"]) for r in rows] == [
        (PHONE, "100", "30", "-10", "67"), (OTHER, "5", "0", "0", "5")]
    assert rows[0]["last_visit"] >= rows[0]["first_visit"]
    assert rows[0]["last_visit"].endswith("+00:00")


def test_transactions_file_has_every_row_of_this_business_oldest_first(shop):
    resp = shop.client.get("/businesses/1/export/transactions.csv",
                           headers=shop.business_headers(1))

    assert resp.status_code == 200
    assert 'filename="business-1-transactions-' in resp.headers["content-disposition"]
    rows = _csv(resp)
    ids = [int(r["id"]) for r in rows]
    assert ids == sorted(r.id for r in shop.rows("point_transaction") if r.business_id == 1)
    assert [(r["type"], r["customer_phone_number"], r["amount_spent"], r["points"])
            for r in rows] == [("earn", PHONE, "100.00", "100"), ("redeem", PHONE, "", "-30"),
                               ("reversal", PHONE, "10.00", "-10"),
                               ("earn", OTHER, "5.50", "5")]
    # Typed text that a spreadsheet would run as a formula is defused.
    assert rows[1]["reward_description"] == "'=HYPERLINK(\"x\")"
    assert rows[2]["reward_description"] == "'-broken cup"
    assert rows[2]["reversed_transaction_id"] == rows[0]["id"]
    assert rows[2]["shortfall"] == "0"


def test_a_business_without_transactions_gets_the_header_only(shop):
    shop.register_business(3, "Books")

    customers = shop.client.get("/businesses/3/export/customers.csv",
                                headers=shop.business_headers(3))
    transactions = shop.client.get("/businesses/3/export/transactions.csv",
                                   headers=shop.business_headers(3))

    assert customers.text.splitlines() == [
        "phone_number,points_earned,points_redeemed,points_reversed,points_expired,"
        "points_imported,balance,first_visit,last_visit"]
    assert transactions.text.splitlines()[1:] == []


@pytest.mark.parametrize("file", ["customers", "transactions"])
def test_exports_are_the_owners_of_that_business_only(shop, file):
    path = f"/businesses/1/export/{file}.csv"

    cashier = shop.client.get(path, headers=shop.business_headers(1, staff_id=5,
                                                                   staff_role="cashier"))
    other = shop.client.get(path, headers=shop.business_headers(2))
    customer = shop.client.get(path, headers=shop.customer_headers(PHONE))
    nobody = shop.client.get(path)

    assert cashier.status_code == 403 and cashier.json()["error"] == "OwnerOnly"
    assert other.status_code == 403
    assert customer.status_code == 403
    assert nobody.status_code == 401
    assert shop.client.get("/businesses/0/export/customers.csv",
                           headers=shop.business_headers(1)).status_code == 422


def test_the_file_is_written_a_page_at_a_time(shop, monkeypatch):
    monkeypatch.setattr(export_repository_module, "PAGE_ROWS", 2)
    with shop.app.state.database.session(write=False) as session:
        chunks = list(export_service.transactions_csv(session, 1))

    # One chunk per page of 2 rows (4 rows), the header with the first.
    assert len(chunks) == 2
    assert chunks[0].startswith("id,timestamp,type,")
    assert chunks[0].count("\r\n") == 3 and chunks[1].count("\r\n") == 2
