"""The app as a whole: health, schema, settings, command line, import boundaries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pydantic import ValidationError
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from mubayiro.common.db import run_migrations
from mubayiro.common.testing import migrated_to
from mubayiro.loyalty.__main__ import main
from mubayiro.loyalty.config import ALEMBIC_INI, LoyaltySettings
from mubayiro.loyalty.models import Base

SERVICE_DIR = Path(__file__).resolve().parents[1]


def test_health_and_readiness(loyalty):
    assert loyalty.client.get("/healthz").json() == {"status": "ok", "service": "loyalty"}
    ready = loyalty.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"


def test_openapi_documents_the_public_routes(loyalty):
    paths = loyalty.client.get("/openapi/loyalty.json").json()["paths"]

    assert {"/businesses", "/businesses/{business_id}", "/businesses/{business_id}/loyalty_rules",
            "/businesses/{business_id}/transactions", "/transactions/add_points",
            "/transactions/redeem_points", "/transactions/redemption_codes",
            "/businesses/{business_id}/rewards",
            "/businesses/{business_id}/rewards/{reward_id}",
            "/businesses/{business_id}/cross_promotions",
            "/businesses/{business_id}/customers/{phone_number}",
            "/customers/points/{phone_number}", "/customers/{phone_number}/transactions",
            "/customers/{phone_number}/rewards", "/customers/recommendations/capabilities",
            "/customers/recommendations/{phone_number}"} <= set(paths)
    assert not [p for p in paths if p.startswith("/internal")]


def test_migrations_build_exactly_the_models_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'schema.db'}"
    run_migrations(ALEMBIC_INI, url)

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            checks = {c["name"] for c in inspect(conn).get_check_constraints("point_transaction")}
    finally:
        engine.dispose()
    assert diff == []
    assert checks == {"ck_point_transaction_type_known",
                      "ck_point_transaction_points_sign_matches_type",
                      "ck_point_transaction_amount_spent_positive",
                      "ck_point_transaction_reversal_links_original",
                      "ck_point_transaction_shortfall_not_negative"}


def test_rewards_migration_keeps_the_ledger_and_its_checks(tmp_path):
    # 0002 rebuilds point_transaction on SQLite (a new foreign key): rows, indexes and
    # CHECK constraints must come through, and it must go down and up again cleanly.
    url = f"sqlite:///{tmp_path / 'upgrade.db'}"
    with migrated_to(ALEMBIC_INI, url, "0001") as (config, engine):
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO business (id, name, loyalty_rate, created_at, "
                              "updated_at) VALUES (1, 'Cafe', 1, '2026-01-01', '2026-01-01')"))
            conn.execute(text("INSERT INTO customer (id, phone_number, total_points, created_at)"
                              " VALUES (1, '+263771234567', 7, '2026-01-01')"))
            conn.execute(text("INSERT INTO point_transaction (id, business_id, customer_id, "
                              "type, amount_spent, points, created_at) "
                              "VALUES (5, 1, 1, 'earn', 7, 7, '2026-01-01')"))

        command.upgrade(config, "head")

        with engine.connect() as conn:
            row = conn.execute(text("SELECT id, points, reward_id FROM point_transaction")).one()
            assert tuple(row) == (5, 7, None)
            with pytest.raises(IntegrityError, match="CHECK constraint failed"):
                conn.execute(text("INSERT INTO point_transaction (business_id, customer_id, "
                                  "type, points, created_at) "
                                  "VALUES (1, 1, 'redeem', 5, '2026-01-01')"))
            conn.rollback()
            indexes = {i["name"] for i in inspect(conn).get_indexes("point_transaction")}
            assert {"ix_point_transaction_customer_id_id", "ix_point_transaction_business_id_id",
                    "ix_point_transaction_customer_id_business_id"} <= indexes

        command.downgrade(config, "0001")
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            columns = {c["name"] for c in inspect(conn).get_columns("point_transaction")}
            assert conn.execute(text("SELECT count(*) FROM point_transaction")).scalar() == 1
        assert "reward" not in tables and "cross_promotion" not in tables
        assert "reward_id" not in columns

        command.upgrade(config, "head")


def test_migrate_command_upgrades_the_configured_database(tmp_path, monkeypatch):
    monkeypatch.setenv("LOYALTY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LOYALTY_ENVIRONMENT", "test")

    main(["migrate"])

    engine = create_engine(f"sqlite:///{tmp_path / 'loyalty.db'}")
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"business", "customer", "point_transaction", "outbox_message", "processed_event",
            "idempotency_record", "reward", "cross_promotion", "alembic_version"} <= tables


def test_settings_defaults():
    settings = LoyaltySettings(environment="test")

    assert settings.port == 8102
    assert settings.notifications_url == "http://127.0.0.1:8103"
    assert settings.reports_url == "http://127.0.0.1:8105"
    assert str(settings.max_amount_spent) == "1000000"
    assert str(settings.default_loyalty_rate) == "1"
    assert str(settings.max_loyalty_rate) == "1000"
    assert str(settings.recommend_near_reward_fraction) == "0.20"
    assert settings.recommend_inactive_days == 30
    assert settings.recommend_min_co_visits == 2


@pytest.mark.parametrize(
    "overrides",
    [{"default_loyalty_rate": "-1"}, {"default_loyalty_rate": "1.23456"},
     {"default_loyalty_rate": "2000"}, {"max_amount_spent": "0"},
     {"recommend_near_reward_fraction": "-0.1"}, {"recommend_near_reward_fraction": "1.5"},
     {"recommend_near_reward_fraction": "NaN"}, {"recommend_inactive_days": 0},
     {"recommend_min_co_visits": 0}],
)
def test_settings_refuse_inconsistent_ledger_bounds(overrides):
    with pytest.raises(ValidationError):
        LoyaltySettings(environment="test", **overrides)


def test_production_refuses_development_secrets():
    with pytest.raises(ValidationError):
        LoyaltySettings(environment="production")


def test_loyalty_never_imports_another_service():
    # Services meet only over HTTP (docs/architecture.md); the ruff ban in pyproject.toml
    # enforces it.
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "TID251", str(SERVICE_DIR)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
