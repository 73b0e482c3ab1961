"""The migrations build exactly the tables the models describe, and upgrade old data."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from mubayiro.common.testing import alembic_config, schema_differences
from mubayiro.notifications.main import ALEMBIC_INI
from mubayiro.notifications.models import Base


def test_migrated_schema_matches_the_models(migrated_template):
    assert schema_differences(f"sqlite:///{migrated_template.as_posix()}", Base.metadata) == []


def test_upgrade_keeps_existing_sms_and_allows_skipped(tmp_path: Path):
    url = f"sqlite:///{(tmp_path / 'old.db').as_posix()}"
    config = alembic_config(ALEMBIC_INI, url)
    command.upgrade(config, "0001")
    engine = create_engine(url)
    insert = text(
        "INSERT INTO sms_message (to_number, body, kind, status, provider, attempts, "
        "next_attempt_at, created_at) VALUES ('+263771234567', 'hi', 'points_earned', "
        ":status, 'console', 0, '2026-11-24 00:00:00', '2026-11-24 00:00:00')"
    )
    try:
        with engine.begin() as connection:
            connection.execute(insert, {"status": "sent"})

        command.upgrade(config, "head")

        with engine.begin() as connection:
            assert connection.execute(
                text("SELECT status, essential FROM sms_message")).all() == [("sent", False)]
            connection.execute(insert, {"status": "skipped"})
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(insert, {"status": "lost"})

        command.downgrade(config, "0001")

        with engine.begin() as connection:
            statuses = connection.execute(text("SELECT status FROM sms_message ORDER BY id"))
            assert statuses.scalars().all() == ["sent", "failed"]
    finally:
        engine.dispose()
