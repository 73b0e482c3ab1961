"""The app as a whole: health, schema, settings, command line, import boundaries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pydantic import ValidationError
from sqlalchemy import create_engine, inspect

from mubayiro.common.db import run_migrations
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
            "/customers/points/{phone_number}"} <= set(paths)
    assert "/internal/events" not in paths


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
                      "ck_point_transaction_amount_spent_positive"}


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
            "idempotency_record", "alembic_version"} <= tables


def test_settings_defaults():
    settings = LoyaltySettings(environment="test")

    assert settings.port == 8102
    assert settings.notifications_url == "http://127.0.0.1:8103"
    assert settings.reports_url is None
    assert str(settings.max_amount_spent) == "1000000"
    assert str(settings.default_loyalty_rate) == "1"
    assert str(settings.max_loyalty_rate) == "1000"


@pytest.mark.parametrize(
    "overrides",
    [{"default_loyalty_rate": "-1"}, {"default_loyalty_rate": "1.23456"},
     {"default_loyalty_rate": "2000"}, {"max_amount_spent": "0"}],
)
def test_settings_refuse_inconsistent_ledger_bounds(overrides):
    with pytest.raises(ValidationError):
        LoyaltySettings(environment="test", **overrides)


def test_production_refuses_development_secrets():
    with pytest.raises(ValidationError):
        LoyaltySettings(environment="production")


def test_loyalty_never_imports_another_service():
    # Services meet only over HTTP (DESIGN.md); the ruff ban in pyproject.toml enforces it.
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "TID251", str(SERVICE_DIR)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
