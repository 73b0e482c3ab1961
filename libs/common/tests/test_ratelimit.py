"""The abuse-limit counter (mubayiro.common.ratelimit) on SQLite and PostgreSQL: exact
under concurrency, windows that end, and the 429 it answers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import MetaData

from mubayiro.common.db import Database
from mubayiro.common.ratelimit import (
    RateLimiter,
    Rule,
    SqlStorage,
    TooManyAttempts,
    rate_limit_table,
)
from mubayiro.common.testing import postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Database, MetaData]]:
    """A database with the ``rate_limit`` table, on each engine."""
    metadata = MetaData()
    rate_limit_table(metadata)
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'limits.db'}")
        metadata.create_all(db.engine)
        yield db, metadata
        db.engine.dispose()
        return
    with postgres_database("ratelimit_test") as url:
        db = Database(url)
        metadata.create_all(db.engine)
        yield db, metadata
        db.engine.dispose()


def test_concurrent_hits_are_all_counted(database: tuple[Database, MetaData]) -> None:
    db, metadata = database
    storage = SqlStorage(db, metadata.tables["rate_limit"])
    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(lambda _: storage.incr("k", 60), range(80)))
    assert sorted(counts) == list(range(1, 81))
    assert storage.get("k") == 80


def test_a_window_ends_and_the_next_starts_from_one(database: tuple[Database, MetaData]) -> None:
    db, metadata = database
    storage = SqlStorage(db, metadata.tables["rate_limit"])
    assert storage.incr("k", 1) == 1
    assert storage.incr("k", 1) == 2
    time.sleep(1.1)
    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1
    assert storage.purge_expired() == 0


def test_the_limiter_refuses_with_retry_after_and_counts_refusals_too(
    database: tuple[Database, MetaData],
) -> None:
    db, metadata = database
    limiter = RateLimiter.for_database(db, metadata.tables["rate_limit"])
    rules = [Rule("login-account", "2/minute", "a@example.com"),
             Rule("login-address", "10/minute", "10.0.0.1")]
    limiter.hit(rules)
    limiter.hit(rules)
    with pytest.raises(TooManyAttempts) as refused:
        limiter.hit(rules)
    assert refused.value.status_code == 429
    assert refused.value.headers is not None
    assert 1 <= int(refused.value.headers["Retry-After"]) <= 60
    # The refused attempt still used the address's room.
    assert limiter.storage.get("LIMITER/login-address/10.0.0.1/10/1/minute") == 3
    with pytest.raises(TooManyAttempts):
        limiter.check(rules)
