"""The writer gate: one process's writers queue on a lock, not in SQLite's sleeping busy handler."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from mubayiro.common.db import Database
from mubayiro.common.testing import run_concurrently


@pytest.fixture
def database(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'gate.db'}")
    with db.session(write=True) as session:
        session.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        session.execute(text("INSERT INTO counter VALUES (1, 0)"))
    yield db
    db.dispose()


def _set_in_another_thread(database: Database, n: int) -> threading.Event:
    """Set the counter to ``n`` in a write session on a new thread; the event says it
    committed (a writer stuck at the gate never sets it)."""
    done = threading.Event()

    def write() -> None:
        with database.session(write=True) as session:
            session.execute(text("UPDATE counter SET n = :n"), {"n": n})
        done.set()

    threading.Thread(target=write).start()
    return done


def test_a_waiting_writer_starts_as_soon_as_the_previous_one_commits(database: Database) -> None:
    holding = threading.Event()
    committed_at: list[float] = []
    started_at: list[float] = []

    def first() -> None:
        with database.session(write=True) as session:
            session.execute(text("UPDATE counter SET n = n + 1"))
            holding.set()
            time.sleep(0.3)
        committed_at.append(time.monotonic())

    def second() -> None:
        holding.wait()
        with database.session(write=True) as session:
            session.execute(text("UPDATE counter SET n = n + 1"))
            started_at.append(time.monotonic())

    run_concurrently(first, second)
    # SQLite's busy handler would have slept in steps of up to 100 ms after the commit.
    assert started_at[0] - committed_at[0] < 0.05
    with database.session(write=False) as session:
        assert session.execute(text("SELECT n FROM counter")).scalar() == 2


def test_concurrent_writers_all_commit_and_nothing_is_lost(database: Database) -> None:
    def add(times: int) -> None:
        for _ in range(times):
            with database.session(write=True) as session:
                n = session.execute(text("SELECT n FROM counter")).scalar()
                session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})

    run_concurrently(*[lambda: add(40)] * 8)
    with database.session(write=False) as session:
        assert session.execute(text("SELECT n FROM counter")).scalar() == 320


def test_the_gate_is_released_after_a_rollback_and_an_error(database: Database) -> None:
    with pytest.raises(RuntimeError), database.session(write=True) as session:
        session.execute(text("UPDATE counter SET n = 99"))
        raise RuntimeError("refused")
    with pytest.raises(Exception), database.session(write=True) as session:  # noqa: B017
        session.execute(text("INSERT INTO counter VALUES (1, 0)"))  # duplicate key
    done = _set_in_another_thread(database, 5)
    assert done.wait(2), "a writer was left waiting: the gate was not released"
    with database.session(write=False) as session:
        assert session.execute(text("SELECT n FROM counter")).scalar() == 5


def test_a_write_session_that_never_writes_does_not_hold_the_gate(database: Database) -> None:
    opened = database.open_session(write=True)  # no statement yet: no transaction, no gate
    try:
        assert _set_in_another_thread(database, 7).wait(2)
    finally:
        opened.close()


def test_readers_never_wait_for_the_gate(database: Database) -> None:
    with database.session(write=True) as session:
        session.execute(text("UPDATE counter SET n = 3"))
        started = time.monotonic()
        with database.session(write=False) as reader:
            assert reader.execute(text("SELECT n FROM counter")).scalar() == 0
        assert time.monotonic() - started < 0.5
