"""Fixtures of the notifications tests (helpers are fixtures: with
``--import-mode=importlib`` test modules cannot import this file).

The schema is migrated once per session into a template SQLite file; each test gets
its own copy under ``tmp_path`` (the app's start-up migration then finds it at head).
Settings never read the developer's ``.env``, and pick the console provider unless a
test says otherwise. Retry delays are shrunk so retry tests finish in milliseconds.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from mubayiro.common.db import run_migrations
from mubayiro.common.testing import TestKeys
from mubayiro.notifications.config import NotificationsSettings
from mubayiro.notifications.main import ALEMBIC_INI, create_app
from mubayiro.notifications.models import SmsMessage
from mubayiro.notifications.sms.providers import SmsProvider

PHONE = "+263771234567"


@pytest.fixture(scope="session")
def keys() -> TestKeys:
    """The signing key every test token is made with (RSA key generation is slow)."""
    return TestKeys()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head, copied by :func:`data_dir` for every test."""
    path = tmp_path_factory.mktemp("template") / "notifications.db"
    run_migrations(ALEMBIC_INI, f"sqlite:///{path.as_posix()}")
    return path


@pytest.fixture
def data_dir(tmp_path: Path, migrated_template: Path) -> Path:
    """This test's data folder, holding a fresh copy of the migrated database."""
    shutil.copyfile(migrated_template, tmp_path / "notifications.db")
    return tmp_path


def _settings(data_dir: Path, **overrides: Any) -> NotificationsSettings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "environment": "test",
        "sms_provider": "console",
        "sms_poll_seconds": 0.05,
        "sms_retry_base_seconds": 0.01,
        "max_backoff_seconds": 0.05,
    }
    values.update(overrides)
    return NotificationsSettings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def make_settings(data_dir: Path) -> Callable[..., NotificationsSettings]:
    """Test settings: console provider, quick polling and retries, no ``.env``."""
    return lambda **overrides: _settings(data_dir, **overrides)


AppFactory = Callable[..., FastAPI]


@pytest.fixture
def app_factory(data_dir: Path, keys: TestKeys) -> AppFactory:
    """Build an app on this test's database: ``app_factory(provider=..., **settings)``."""

    def build(*, provider: SmsProvider | None = None, **overrides: Any) -> FastAPI:
        return create_app(
            _settings(data_dir, **overrides),
            token_verifier=keys.verifier(),
            sms_provider=provider,
        )

    return build


@pytest.fixture
def client(app_factory: AppFactory) -> Iterator[TestClient]:
    """A client of an app with the console provider (lifespan run: sender started)."""
    with TestClient(app_factory()) as c:
        yield c


@pytest.fixture
def service_headers(keys: TestKeys) -> dict[str, str]:
    """Authorization header with loyalty's service token."""
    return {"Authorization": f"Bearer {keys.service_token('loyalty')}"}


def _points_earned_event(event_id: str | None = None, **data: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "transaction_id": 17,
        "business_id": 3,
        "business_name": "Mbare Fresh Grocers",
        "customer_phone_number": PHONE,
        "amount_spent": "25.00",
        "points": 25,
        "total_points": 140,
        "timestamp": datetime.now(UTC).isoformat(),
    }
    payload.update(data)
    return {
        "id": event_id or str(uuid.uuid4()),
        "type": "points.earned",
        "source": "loyalty",
        "occurred_at": datetime.now(UTC).isoformat(),
        "data": payload,
    }


@pytest.fixture
def points_event() -> Callable[..., dict[str, Any]]:
    """``points_event(event_id=None, **data)``: a ``points.earned`` envelope as loyalty
    sends it, ``data`` overriding payload fields."""
    return _points_earned_event


def _all_messages(app: FastAPI) -> list[SmsMessage]:
    with app.state.database.session(write=False) as session:
        return list(session.scalars(select(SmsMessage).order_by(SmsMessage.id)))


@pytest.fixture
def sms_rows() -> Callable[[FastAPI], list[SmsMessage]]:
    """``sms_rows(app)``: every ``sms_message`` row, oldest first."""
    return _all_messages
