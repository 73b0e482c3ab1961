"""Fixtures of the shared library's tests (helpers are fixtures: with
``--import-mode=importlib`` test modules cannot import this file)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData

from mubayiro.common.db import Database


@pytest.fixture
def tables_database(tmp_path: Path) -> Iterator[Callable[[MetaData, str], Database]]:
    """``tables_database(metadata, filename)``: a database on a SQLite file under
    ``tmp_path`` holding ``metadata``'s tables, disposed after the test. The mechanics
    tested here have no migrations of their own, so the tables come from ``create_all``."""
    made: list[Database] = []

    def make(metadata: MetaData, filename: str) -> Database:
        database = Database(f"sqlite:///{tmp_path / filename}")
        made.append(database)
        metadata.create_all(database.engine)
        return database

    yield make
    for database in made:
        database.dispose()
