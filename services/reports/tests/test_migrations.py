"""The migration builds exactly the tables the models describe, and can be undone."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from mubayiro.common.testing import alembic_config, migrated_to, schema_differences
from mubayiro.reports.config import ALEMBIC_INI
from mubayiro.reports.models import Base


def test_migrated_schema_matches_the_models(migrated_template):
    assert schema_differences(f"sqlite:///{migrated_template.as_posix()}", Base.metadata) == []


def test_aggregates_are_clustered_on_their_key(migrated_template):
    engine = create_engine(f"sqlite:///{migrated_template.as_posix()}")
    try:
        with engine.connect() as connection:
            sql = dict(connection.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
    finally:
        engine.dispose()

    assert sql["business_day"].rstrip().endswith("WITHOUT ROWID")
    assert sql["business_customer_day"].rstrip().endswith("WITHOUT ROWID")
    assert "WITHOUT ROWID" not in sql["report_transaction"]


def test_downgrade_removes_every_table(tmp_path: Path):
    url = f"sqlite:///{(tmp_path / 'r.db').as_posix()}"
    config = alembic_config(ALEMBIC_INI, url)

    command.upgrade(config, "head")
    command.downgrade(config, "base")

    engine = create_engine(url)
    try:
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    finally:
        engine.dispose()


def test_ledger_completeness_keeps_existing_days_and_starts_the_new_figures_at_zero(
    tmp_path: Path,
):
    url = f"sqlite:///{(tmp_path / 'r.db').as_posix()}"
    with migrated_to(ALEMBIC_INI, url, "0001") as (config, engine):
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO business_day (business_id, day, points_issued, bonus_points, "
                "points_redeemed, earn_count, bonus_count, redemption_count) "
                "VALUES (1, '2026-11-20', 40, 0, 10, 1, 0, 1)"))

        command.upgrade(config, "head")

        with engine.connect() as connection:
            day = connection.execute(text("SELECT * FROM business_day")).mappings().one()
            assert (day["points_issued"], day["points_redeemed"]) == (40, 10)
            assert [day[name] for name in (
                "points_reversed", "shortfall", "points_given_back", "points_expired",
                "points_imported", "reversal_count", "expire_count", "import_count")] == [0] * 8


def test_range_customers_fills_points_issued_from_the_facts(tmp_path: Path):
    url = f"sqlite:///{(tmp_path / 'r.db').as_posix()}"
    with migrated_to(ALEMBIC_INI, url, "0002") as (config, engine):
        with engine.begin() as connection:
            for n, (kind, points, phone) in enumerate([
                ("earn", 40, "+263771111111"), ("referral_bonus", 50, "+263771111111"),
                ("reversal", -15, "+263771111111"), ("redeem", -20, "+263771111111"),
                ("earn", 7, "+263772222222"), ("import", 300, "+263773333333"),
            ], start=1):
                connection.execute(text(
                    "INSERT INTO report_transaction (transaction_id, business_id, phone_number,"
                    " type, points, day, occurred_at, source, recorded_at) VALUES (:n, 1,"
                    " :phone, :kind, :points, '2026-11-20', '2026-11-20 10:00:00', 'event',"
                    " '2026-11-20 10:00:00')"), {"n": n, "phone": phone, "kind": kind,
                                                 "points": points})
            for phone, earned in [("+263771111111", 75), ("+263772222222", 7),
                                  ("+263773333333", 0)]:
                connection.execute(text(
                    "INSERT INTO business_customer (business_id, phone_number, points_earned,"
                    " points_redeemed, transaction_count, first_seen_at, last_seen_at)"
                    " VALUES (1, :phone, :earned, 0, 1, '2026-11-20 10:00:00',"
                    " '2026-11-20 10:00:00')"), {"phone": phone, "earned": earned})

        command.upgrade(config, "head")

        with engine.connect() as connection:
            issued = dict(connection.execute(text(
                "SELECT phone_number, points_issued FROM business_customer")).all())
    # Earned and bonuses, refunds not taken off; a customer with only an import has 0.
    assert issued == {"+263771111111": 90, "+263772222222": 7, "+263773333333": 0}
