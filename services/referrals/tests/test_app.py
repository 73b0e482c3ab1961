"""The app's skeleton: health routes, migrations, settings, the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from pydantic import ValidationError
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from mubayiro.common.testing import alembic_config, schema_differences
from mubayiro.referrals.__main__ import main
from mubayiro.referrals.config import ReferralsSettings
from mubayiro.referrals.main import ALEMBIC_INI
from mubayiro.referrals.models import Base


def test_health_and_readiness(referrals):
    assert referrals.client.get("/healthz").json() == {"status": "ok", "service": "referrals"}
    ready = referrals.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"


def test_openapi_lists_the_public_routes(referrals):
    paths = referrals.client.get("/openapi/referrals.json").json()["paths"]

    assert set(paths) == {"/referrals/track", "/referrals/complete", "/referrals",
                          "/referrals/invite", "/healthz", "/readyz"}


def test_migrated_schema_matches_the_models(migrated_template):
    assert schema_differences(f"sqlite:///{migrated_template.as_posix()}", Base.metadata) == []


def _config(url: str) -> Config:
    return alembic_config(ALEMBIC_INI, url)


def test_the_migration_goes_down_and_up_again(tmp_path: Path):
    url = f"sqlite:///{(tmp_path / 'db.sqlite').as_posix()}"
    engine = create_engine(url)
    try:
        command.upgrade(_config(url), "head")
        command.downgrade(_config(url), "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        command.upgrade(_config(url), "head")
        assert {"referral", "referral_code", "invitation", "outbox_message",
                "idempotency_record"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("values", [
    "1, '+263771234567', '+263771234567', 'pending', NULL, NULL",   # self-referral
    "1, '+263771234567', '+263772345678', 'paid', NULL, NULL",      # unknown status
    "1, '+263771234567', '+263772345678', 'completed', NULL, NULL",  # completed, no award
    "1, '+263771234567', '+263772345678', 'pending', 50, 7",         # pending with award
    "NULL, '+263771234567', '+263772345678', 'completed', 50, 7",    # completed, no business
])
def test_the_schema_refuses_inconsistent_referrals(migrated_template, values):
    engine = create_engine(f"sqlite:///{migrated_template.as_posix()}")
    completed_at = "'2026-11-24 10:00:00'" if "50, 7" in values else "NULL"
    try:
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO referral (business_id, referrer_phone_number, "
                "referred_phone_number, status, points_awarded, loyalty_transaction_id, "
                f"created_at, completed_at) VALUES ({values}, '2026-11-24 09:00:00', "
                f"{completed_at})"
            ))
    finally:
        engine.dispose()


def test_settings_refuse_a_lease_shorter_than_a_request():
    with pytest.raises(ValidationError, match="invite_sms_lease_seconds"):
        ReferralsSettings(_env_file=None, invite_sms_lease_seconds=10)  # type: ignore[call-arg]


def test_settings_defaults():
    settings = ReferralsSettings(_env_file=None)  # type: ignore[call-arg]

    assert settings.port == 8104
    assert settings.loyalty_url == "http://127.0.0.1:8102"
    assert settings.notifications_url == "http://127.0.0.1:8103"
    assert (settings.max_referral_points, settings.max_invites_per_day) == (10_000, 5)
    assert settings.event_subscribers == {}


def test_the_migrate_command_creates_the_database(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("REFERRALS_DATA_DIR", str(tmp_path))

    main(["migrate"])

    engine = create_engine(f"sqlite:///{(tmp_path / 'referrals.db').as_posix()}")
    try:
        assert "referral" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
