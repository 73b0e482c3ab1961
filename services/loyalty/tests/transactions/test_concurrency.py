"""Concurrent awards and redemptions for one customer: no lost update, no overdraft."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from sqlalchemy import func, select

from mubayiro.loyalty.models import Customer, PointTransaction
from mubayiro.loyalty.transactions.earning import points_for

PHONE = "+263771234567"


def test_100_concurrent_awards_keep_balance_equal_to_the_ledger(loyalty):
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1.5")
    loyalty.register_business(2, "Harare Butchery", loyalty_rate="2")
    # Different amounts and two businesses, so a lost update could not hide in a pattern.
    jobs = [(1 + i % 2, f"{10 + i}.{i % 100:02d}", f"key-{i}") for i in range(100)]
    expected = sum(points_for(Decimal(amount), Decimal("1.5") if b == 1 else Decimal(2))
                   for b, amount, _ in jobs)

    def award(job):
        business_id, amount, key = job
        # Half of the requests carry an Idempotency-Key, half do not: both paths race.
        headers = {"Idempotency-Key": key} if int(key.split("-")[1]) % 2 else None
        return loyalty.add_points(business_id, PHONE, amount, headers=headers)

    with ThreadPoolExecutor(max_workers=32) as pool:
        responses = list(pool.map(award, jobs))

    assert [r.status_code for r in responses] == [201] * 100
    totals = sorted(r.json()["total_points"] for r in responses)
    assert totals[-1] == expected
    assert len(set(totals)) == 100  # each award saw a distinct running balance
    with loyalty.app.state.database.session(write=False) as s:
        balance = s.scalar(select(Customer.total_points).where(Customer.phone_number == PHONE))
        ledger_sum = s.scalar(select(func.sum(PointTransaction.points)))
        ledger_rows = s.scalar(select(func.count()).select_from(PointTransaction))
    assert balance == ledger_sum == expected
    assert ledger_rows == 100
    assert loyalty.count("customer") == 1
    assert loyalty.count("outbox_message") == 200


def test_concurrent_retries_with_one_key_award_once(loyalty):
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")

    def retry(_):
        return loyalty.add_points(1, PHONE, "10.00", headers={"Idempotency-Key": "same"})

    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(retry, range(10)))

    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["transaction_id"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 9
    assert loyalty.count("point_transaction") == 1
    assert loyalty.rows("customer")[0].total_points == 10


def test_first_awards_for_new_customers_in_parallel_create_each_once(loyalty):
    loyalty.register_business(1, "Mazoe Cafe", loyalty_rate="1")
    phones = [f"+26377123{i:04d}" for i in range(10)] * 3

    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(lambda p: loyalty.add_points(1, p, "1.00"), phones))

    assert {r.status_code for r in responses} == {201}
    assert loyalty.count("customer") == 10
    assert {c.total_points for c in loyalty.rows("customer")} == {3}


def test_200_concurrent_redemptions_and_100_earns_never_overdraw(loyalty, redeem_race):
    redeem_race(loyalty)
