"""The app's skeleton: health routes, migrations, settings, the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from pydantic import ValidationError
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from mubayiro.common.testing import alembic_config, postgres_database, schema_differences
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

    # Health routes are for the orchestrator, on the service; the internal ones have their
    # own document.
    assert set(paths) == {"/referrals/track", "/referrals/complete", "/referrals",
                          "/referrals/invite", "/referrals/settings"}


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


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request, tmp_path: Path):
    """An empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'db.sqlite').as_posix()}"
    else:
        with postgres_database("referrals_test") as url:
            yield url


def test_the_per_shop_migration_keeps_every_referral_and_invitation(any_url: str):
    """Revision 0003 rebuilds ``referral`` (issue 11): the rows and their links survive, and
    the same phone may then be referred at two shops, but invited only once."""
    url = any_url
    command.upgrade(_config(url), "0002")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO referral (id, business_id, referrer_phone_number, "
                "referred_phone_number, status, referral_code_used, points_awarded, "
                "loyalty_transaction_id, created_at, tracked_at, completed_at) VALUES "
                "(1, 7, '+263771234567', '+263772345678', 'completed', NULL, 50, 9, "
                "'2026-11-24 09:00:00', '2026-11-24 09:00:00', '2026-11-25 10:00:00'), "
                "(2, NULL, '+263771234567', '+263773456789', 'pending', 'K7PX2M', NULL, NULL, "
                "'2026-11-26 09:00:00', NULL, NULL)"
            ))
            connection.execute(text(
                "INSERT INTO invitation (referral_id, inviter_phone_number, "
                "friend_phone_number, sms_body, sms_status, sms_attempts, "
                "sms_next_attempt_at, created_at) VALUES (2, '+263771234567', "
                "'+263773456789', 'hi', 'queued', 1, '2026-11-26 09:00:00', "
                "'2026-11-26 09:00:00')"
            ))
        command.upgrade(_config(url), "head")
        with engine.begin() as connection:
            rows = connection.execute(text(
                "SELECT id, business_id, referred_phone_number, status, points_awarded, "
                "first_purchase_at FROM referral ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [
                (1, 7, "+263772345678", "completed", 50, None),
                (2, None, "+263773456789", "pending", None, None),
            ]
            assert connection.scalar(text("SELECT referral_id FROM invitation")) == 2
            # Another shop may now refer the same phone ...
            connection.execute(text(
                "INSERT INTO referral (id, business_id, referrer_phone_number, "
                "referred_phone_number, status, created_at) VALUES "
                "(3, 8, '+263774445556', '+263772345678', 'pending', '2026-12-14 09:00:00')"))
        # ... but not the same shop twice, nor a second open invitation of one friend.
        for business in ("7", "NULL"):
            phone = "+263772345678" if business == "7" else "+263773456789"
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO referral (id, business_id, referrer_phone_number, "
                    f"referred_phone_number, status, created_at) VALUES (4, {business}, "
                    f"'+263775556667', '{phone}', 'pending', '2026-12-14 09:00:00')"))
    finally:
        engine.dispose()
