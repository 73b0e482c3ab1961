"""The migration builds exactly the tables the models describe, and can be undone."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from mubayiro.common.testing import alembic_config, schema_differences
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
