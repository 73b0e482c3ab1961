"""Migrations build exactly what the models describe; revision 0005 gives every existing
business its first owner (who signs in as before) and the status ``active``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from mubayiro.auth.main import ALEMBIC_INI, create_app
from mubayiro.auth.models import Base
from mubayiro.auth.passwords import hash_password
from mubayiro.common.testing import postgres_database


def _config(url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("sqlalchemy.url", url)
    return config


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """An empty database: a SQLite file, or one on the local PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'auth.db').as_posix()}"
    else:
        with postgres_database("mubayiro_auth_migration") as url:
            yield url


def test_migrated_schema_matches_the_models(database_url):
    url = database_url
    command.upgrade(_config(url), "head")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_existing_businesses_become_active_with_their_first_owner(database_url, make_settings,
                                                                   loyalty, clock):
    url = database_url
    config = _config(url)
    command.upgrade(config, "0004")
    engine = create_engine(url)
    now = datetime(2026, 11, 1, tzinfo=UTC).replace(tzinfo=None)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO business (name, contact_person, email, password_hash, created_at, "
            "updated_at) VALUES ('Old Shop', 'Chipo', 'old@example.com', :hash, :now, :now)"
        ), {"hash": hash_password("old password 1"), "now": now})
    engine.dispose()

    command.upgrade(config, "head")
    app = create_app(make_settings(database_url=url), outbox_transport=loyalty.transport,
                     clock=clock)
    with TestClient(app) as client:
        login = client.post("/auth/login_business",
                            json={"email": "old@example.com", "password": "old password 1"})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        assert client.get("/auth/me", headers=headers).json()["status"] == "active"
        assert [(m["name"], m["role"]) for m in client.get(
            "/auth/staff", headers=headers).json()] == [("Chipo", "owner")]

    # And back: the owner's password returns to the business row.
    command.downgrade(config, "0004")
    engine = create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT email, password_hash FROM business")).one()
    engine.dispose()
    assert row.email == "old@example.com" and row.password_hash.startswith("$argon2id$")
