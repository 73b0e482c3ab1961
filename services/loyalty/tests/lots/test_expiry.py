"""Point expiry: lots per credit, spent earliest-expiry first, ``expire`` rows only for
points earned and not spent; the rules setting, ``next_expiry``, the command and the
migration that gives existing balances lots."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from mubayiro.common.testing import alembic_config, postgres_url_fixture, run_concurrently
from mubayiro.loyalty.__main__ import main
from mubayiro.loyalty.config import ALEMBIC_INI
from mubayiro.loyalty.lots.expiry import expiry_service

PHONE = "+263771234567"


def _open_shops(loyalty):
    """Business 1 (points last 10 days), 2 (30 days), 3 (forever); all rate 1."""
    for business_id, name, days in [(1, "Mazoe Cafe", 10), (2, "Harare Butchery", 30),
                                    (3, "Books", None)]:
        loyalty.register_business(business_id, name, loyalty_rate="1")
        resp = loyalty.client.post(f"/businesses/{business_id}/loyalty_rules",
                                   json={"loyalty_rate": "1", "points_expire_after_days": days},
                                   headers=loyalty.business_headers(business_id))
        assert resp.status_code == 200, resp.text
        assert resp.json()["points_expire_after_days"] == days
    return loyalty


@pytest.fixture
def shops(loyalty):
    """Loyalty on SQLite with the three shops of :func:`_open_shops`."""
    return _open_shops(loyalty)


pg_url = postgres_url_fixture("loyalty_expiry")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_shops(request, start_loyalty):
    """The shops of :func:`_open_shops` on SQLite, then on PostgreSQL (row locks)."""
    if request.param == "sqlite":
        return _open_shops(start_loyalty())
    return _open_shops(start_loyalty(database_url=request.getfixturevalue("pg_url")))


def _expire(loyalty, days):
    return expiry_service.run(loyalty.app.state.database, loyalty.app.state.publisher,
                              now=datetime.now(UTC) + timedelta(days=days))


def _points(loyalty):
    return loyalty.client.get(f"/customers/points/{PHONE}",
                              headers=loyalty.customer_headers(PHONE)).json()


def test_expiry_removes_only_what_was_not_spent(shops):
    shops.add_points(1, PHONE, "100.00")
    shops.redeem(1, PHONE, 60)

    assert _expire(shops, 9) == 0
    assert _expire(shops, 11) == 1

    rows = shops.rows("point_transaction")
    assert [(r.type, r.business_id, r.points, r.reward_description) for r in rows][-1] == (
        "expire", 1, -40, "Points expired")
    assert shops.balances_match_ledger() == {PHONE: 0}
    assert _expire(shops, 30) == 0  # nothing twice


def test_spending_takes_the_earliest_expiry_first_whoever_gave_the_points(shops):
    shops.add_points(2, PHONE, "50.00")  # expires in 30 days
    shops.add_points(3, PHONE, "20.00")  # never
    shops.add_points(1, PHONE, "30.00")  # expires in 10 days
    shops.redeem(2, PHONE, 40)  # all 30 of business 1's lot, then 10 of business 2's

    assert _expire(shops, 11) == 0
    assert _expire(shops, 31) == 1
    assert shops.rows("point_transaction")[-1].points == -40
    assert shops.balances_match_ledger() == {PHONE: 20}


def test_next_expiry_shows_the_soonest_points_on_the_balance(shops):
    assert _points(shops)["next_expiry"] is None
    shops.add_points(3, PHONE, "5.00")
    assert _points(shops)["next_expiry"] is None  # never expires
    shops.add_points(2, PHONE, "50.00")
    shops.add_points(1, PHONE, "30.00")
    shops.add_points(1, PHONE, "12.00")

    body = _points(shops)
    internal = shops.client.get(f"/internal/customers/{PHONE}/balance",
                                headers=shops.service_headers("notifications")).json()

    soon = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    assert body["next_expiry"] == {"points": 42, "date": soon}
    assert internal["next_expiry"] == body["next_expiry"]
    assert internal["total_points"] == 97


def test_refunding_an_earn_takes_from_its_own_lot_first(shops):
    shops.add_points(1, PHONE, "30.00")
    earn = shops.add_points(2, PHONE, "50.00").json()["transaction_id"]

    assert shops.reverse(2, earn, amount="20.00").json()["points"] == -20

    assert _expire(shops, 11) == 1  # business 1's 30 points are all still there
    assert shops.rows("point_transaction")[-1].points == -30
    assert shops.balances_match_ledger() == {PHONE: 30}


def test_imported_balances_and_given_back_redemptions_get_lots(shops):
    shops.client.post("/businesses/1/import/balances?dry_run=false",
                      content="phone_number,points\n0771234567,25\n",
                      headers={"Content-Type": "text/csv", **shops.business_headers(1)})
    redemption = shops.redeem(1, PHONE, 5).json()["transaction_id"]
    shops.reverse(1, redemption)

    assert _points(shops)["next_expiry"]["points"] == 25
    assert _expire(shops, 11) == 2
    assert shops.balances_match_ledger() == {PHONE: 0}


def _reminders(loyalty):
    """The ``points.expiring`` events in the outbox, oldest first: ``data`` of each."""
    return [json.loads(row.envelope)["data"] for row in loyalty.rows("outbox_message")
            if row.event_type == "points.expiring"]


def test_points_expiring_within_a_week_are_announced_once(shops):
    other = "+263772000002"
    shops.add_points(1, PHONE, "30.00")  # expires in 10 days
    shops.add_points(1, PHONE, "12.00")  # the same day: one reminder for both
    shops.add_points(2, PHONE, "50.00")  # 30 days
    shops.add_points(3, other, "9.00")  # never
    shops.redeem(2, PHONE, 2)  # spent from the soonest lot: 40 of those 42 are left

    assert _expire(shops, 2) == 0
    assert _reminders(shops) == []  # 8 days to go: not yet
    _expire(shops, 4)
    [reminder] = _reminders(shops)
    _expire(shops, 5)

    day = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    assert reminder["customer_phone_number"] == PHONE
    assert (reminder["points"], reminder["date"], reminder["total_points"]) == (40, day, 90)
    assert reminder["expires_at"].startswith(day)
    assert len(_reminders(shops)) == 1  # each lot once
    assert all(lot.reminded_at is not None for lot in shops.rows("point_lot")
               if lot.business_id == 1)
    _expire(shops, 24)  # business 2's lot comes within the week
    assert [r["points"] for r in _reminders(shops)] == [40, 50]
    assert shops.balances_match_ledger() == {PHONE: 50, other: 9}


def _set_expiry(loyalty, lot_expiries):
    """Give the customer's lots (oldest first) these expiry moments."""
    with loyalty.app.state.database.session(write=True) as s:
        ids = s.execute(text("SELECT id FROM point_lot ORDER BY id")).scalars().all()
        for lot_id, expires_at in zip(ids, lot_expiries, strict=True):
            s.execute(text("UPDATE point_lot SET expires_at = :at WHERE id = :id"),
                      {"at": expires_at, "id": lot_id})


def test_a_daily_shopper_is_reminded_at_most_once_a_week(shops):
    start = datetime.now(UTC).replace(microsecond=0)
    for _ in range(7):  # one purchase a day: lots expiring on days 10, 11, ... 16
        shops.add_points(1, PHONE, "10.00")
    _set_expiry(shops, [start + timedelta(days=10 + n) for n in range(7)])

    for day in range(3, 18):  # the job runs every day; a new lot comes within the week
        expiry_service.run(shops.app.state.database, shops.app.state.publisher,
                           now=start + timedelta(days=day))

    first, second = _reminders(shops)  # day 3 and day 10, nothing in between
    day = lambda n: (start + timedelta(days=n)).date().isoformat()  # noqa: E731
    assert (first["points"], first["date"], first["last_date"]) == (10, day(10), day(10))
    assert first["timestamp"] == (start + timedelta(days=3)).isoformat()
    # Every lot that came within the week meanwhile, in one SMS: 60 points from day 11.
    assert (second["points"], second["date"], second["last_date"]) == (60, day(11), day(16))
    assert second["expires_at"] == (start + timedelta(days=11)).isoformat()
    assert second["timestamp"] == (start + timedelta(days=10)).isoformat()
    assert shops.balances_match_ledger() == {PHONE: 0}


def test_one_reminder_sums_every_lot_expiring_within_the_week(shops):
    start = datetime.now(UTC).replace(microsecond=0)
    shops.add_points(1, PHONE, "30.00")
    shops.add_points(2, PHONE, "50.00")
    shops.add_points(3, PHONE, "5.00")  # never expires: not in any reminder
    shops.add_points(1, PHONE, "8.00")  # after the week: not yet
    _set_expiry(shops, [start + timedelta(days=6), start + timedelta(days=2, hours=5),
                        None, start + timedelta(days=9)])

    expiry_service.run(shops.app.state.database, shops.app.state.publisher, now=start)
    expiry_service.run(shops.app.state.database, shops.app.state.publisher,
                       now=start + timedelta(days=1))

    [reminder] = _reminders(shops)
    assert reminder["points"] == 80
    assert reminder["expires_at"] == (start + timedelta(days=2, hours=5)).isoformat()
    assert reminder["date"] == (start + timedelta(days=2, hours=5)).date().isoformat()
    assert reminder["last_date"] == (start + timedelta(days=6)).date().isoformat()
    assert reminder["total_points"] == 93
    assert [lot.reminded_at is not None for lot in shops.rows("point_lot")] == [
        True, True, False, False]


def test_each_customer_is_reminded_once_however_many_workers_run(any_shops):
    shops = any_shops
    start = datetime.now(UTC).replace(microsecond=0)
    for n in range(5):
        for _ in range(3):
            shops.add_points(1, f"+26377300000{n}", "10.00")
    _set_expiry(shops, [start + timedelta(days=2 + lot % 3) for lot in range(15)])

    run_concurrently(*[
        lambda day=day: expiry_service.run(shops.app.state.database,
                                           shops.app.state.publisher,
                                           now=start + timedelta(days=day, minutes=day))
        for day in (0, 0, 1, 1)])

    reminders = _reminders(shops)
    assert sorted(r["customer_phone_number"] for r in reminders) == [
        f"+26377300000{n}" for n in range(5)]
    assert {r["points"] for r in reminders} == {30}


def test_a_lot_is_announced_once_however_many_workers_run(shops):
    for n in range(5):
        shops.add_points(1, f"+26377300000{n}", "10.00")

    run_concurrently(*[lambda: _expire(shops, 5) for _ in range(4)])

    assert sorted(r["customer_phone_number"] for r in _reminders(shops)) == [
        f"+26377300000{n}" for n in range(5)]


def test_spent_points_are_not_announced(shops):
    shops.add_points(1, PHONE, "10.00")
    shops.redeem(1, PHONE, 10)

    _expire(shops, 5)

    assert _reminders(shops) == []


def test_the_rules_keep_expiry_when_left_out_and_refuse_bad_values(shops):
    headers = shops.business_headers(1)
    kept = shops.client.post("/businesses/1/loyalty_rules", json={"loyalty_rate": "2"},
                             headers=headers)
    cleared = shops.client.post("/businesses/1/loyalty_rules",
                                json={"loyalty_rate": "2", "points_expire_after_days": None},
                                headers=headers)

    assert kept.json()["points_expire_after_days"] == 10
    assert cleared.json()["points_expire_after_days"] is None
    for bad in (0, -1, 3651, "30", 1.5, True):
        resp = shops.client.post("/businesses/1/loyalty_rules",
                                 json={"loyalty_rate": "2", "points_expire_after_days": bad},
                                 headers=headers)
        assert resp.status_code == 422, bad


def test_the_expire_command_expires_what_is_due(shops, monkeypatch):
    shops.add_points(1, PHONE, "10.00")
    with shops.app.state.database.session() as s:
        s.execute(text("UPDATE point_lot SET expires_at = :past"),
                  {"past": datetime(2020, 1, 1)})
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)

    status = main(["expire"], settings=shops.app.state.settings)

    assert status == 0
    assert out.getvalue() == "expired 1 lot of points\n"
    assert shops.balances_match_ledger() == {PHONE: 0}


def test_the_migration_gives_existing_balances_a_lot_that_never_expires(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(ALEMBIC_INI, url)
    command.upgrade(config, "0006")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO customer (id, phone_number, total_points, "
                              "created_at) VALUES (1, '+263771234567', 70, '2026-01-01'), "
                              "(2, '+263772000001', 0, '2026-01-01')"))
        command.upgrade(config, "head")
        with engine.connect() as conn:
            lots = conn.execute(text("SELECT customer_id, business_id, points, remaining, "
                                     "expires_at FROM point_lot")).all()
    finally:
        engine.dispose()
    assert [tuple(lot) for lot in lots] == [(1, None, 70, 70, None)]
