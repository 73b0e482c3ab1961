"""Database plumbing: one engine per service, sessions, UTC timestamps, migrations.

Any SQLAlchemy URL works (PostgreSQL in production). SQLite gets the settings a
ledger needs (docs/architecture.md, "Where the data lives"):

- WAL mode, so readers never wait for the writer;
- ``synchronous=FULL``, so a committed points change survives a power cut;
- a busy timeout, so a writer waits for the lock instead of failing at once;
- foreign keys on;
- write transactions opened with ``BEGIN IMMEDIATE``. A plain ``BEGIN`` is deferred:
  two transactions that both read and then write each take a read lock and then
  fail with SQLITE_BUSY when they try to upgrade it. ``BEGIN IMMEDIATE`` takes the
  write lock up front, so writers queue on the busy timeout instead. To do that we
  turn off pysqlite's own transaction handling and emit ``BEGIN`` ourselves
  (the SQLAlchemy-documented recipe).

Read transactions use a deferred ``BEGIN`` so they never wait for a writer; which one a
request gets is declared by its route (:mod:`mubayiro.common.deps`).

**The writer gate.** SQLite lets one writer in at a time; the others wait in its busy
handler, which sleeps in growing steps (up to 100 ms) and so wakes long after the lock is
free: under a burst of awards almost all of a writer's time went to sleeping in
``BEGIN IMMEDIATE`` (issue 14: p99 over a second at 8 connections). So the writers of one
process queue on a Python lock instead, taken just before ``BEGIN IMMEDIATE`` and released
when the connection goes back to the pool (after its ``COMMIT`` or ``ROLLBACK``): the next
writer starts the moment the previous one is done. The lock is taken when the transaction
really begins (its first statement), not when a session is opened, so a route that calls a
peer before it writes never holds it across the call. Writers of other processes (a
migration, the CLI) still meet the busy timeout, as before.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

#: Constraint names Alembic can address (SQLite batch migrations cannot drop unnamed ones).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    """A ``MetaData`` with the platform's naming convention, one per service."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always returned timezone-aware UTC.

    SQLite has no time zones; storing naive UTC everywhere keeps SQLite and
    PostgreSQL identical and comparisons correct.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


#: Key in a pooled connection's ``info`` saying it holds its engine's writer gate.
_HOLDS_GATE = "mubayiro_writer_gate"


def _prepare_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    gate = threading.Lock()  # the writer gate (module doc); released from any thread

    def release(info: dict[str, Any]) -> None:
        if info.pop(_HOLDS_GATE, False):
            gate.release()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode == "IMMEDIATE" and not conn.info.get(_HOLDS_GATE):
            if not gate.acquire(timeout=busy_timeout_ms / 1000):
                raise sqlite3.OperationalError("database is locked (writer gate)")
            conn.info[_HOLDS_GATE] = True
        try:
            conn.exec_driver_sql(f"BEGIN {mode}")
        except BaseException:
            release(conn.info)
            raise

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        release(record.info)  # the transaction has ended: COMMIT or ROLLBACK is done

    @event.listens_for(engine, "invalidate")
    def _on_invalidate(_dbapi_connection: Any, record: Any, _exception: Any) -> None:
        release(record.info)


def create_db_engine(url: str, *, busy_timeout_ms: int = 30_000, echo: bool = False) -> Engine:
    """Create the engine for ``url``; for SQLite, apply the ledger settings above.

    The folder of a SQLite file is created if missing.
    """
    parsed = make_url(url)
    # SQLite: room for every open request session (deps.session_slots: 2 + 16 requests, at
    # most two sessions each) plus background workers; connections to a file cost nothing.
    # A database server counts connections against its limit (PostgreSQL: 100 by default)
    # for every replica of every service, so there a process keeps at most 5 open and opens
    # up to 15 more under a burst; a request that finds none free waits for one.
    kwargs: dict[str, Any] = {
        "echo": echo, "pool_pre_ping": True, "pool_size": 10, "max_overflow": 30,
    }
    if parsed.get_backend_name() == "postgresql":
        kwargs.update(pool_size=5, max_overflow=15)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
        kwargs.pop("pool_pre_ping")
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        _prepare_sqlite(engine, busy_timeout_ms)
    return engine


class Database:
    """A service's database: the engine and sessions that commit or roll back as a unit."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 30_000):
        self.url = url
        self.engine = create_db_engine(url, busy_timeout_ms=busy_timeout_ms)
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            bind=self.engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        """True when the database is a SQLite file."""
        return self.engine.dialect.name == "sqlite"

    def open_session(self, *, write: bool) -> Session:
        """A new session; the caller ends it with :meth:`end_session` (prefer
        :meth:`session`).

        ``write=True`` opens SQLite transactions with ``BEGIN IMMEDIATE`` (see module doc).
        """
        return (self._write if write else self._read)()

    @staticmethod
    def end_session(session: Session, *, commit: bool) -> None:
        """Commit (or roll back) and close ``session``; a failed commit rolls back."""
        try:
            if commit:
                session.commit()
            else:
                session.rollback()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error.

        ``write=True`` opens SQLite transactions with ``BEGIN IMMEDIATE`` (see module doc).
        """
        session = self.open_session(write=write)
        try:
            yield session
        except BaseException:
            self.end_session(session, commit=False)
            raise
        self.end_session(session, commit=True)

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


#: Set by the service command line to the URL it has just migrated in a child process, so
#: the app's start-up does not migrate (and load Alembic) again (``mubayiro.common.cli``).
MIGRATED_ENV = "MUBAYIRO_MIGRATED_URL"


def run_migrations(alembic_ini: Path, url: str) -> None:
    """Upgrade the database at ``url`` to the newest Alembic revision of a service."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(alembic_ini))
    config.set_main_option("script_location", str(alembic_ini.parent / "migrations"))
    # ConfigParser interpolation: a literal % in a URL (an escaped password) must be doubled.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    command.upgrade(config, "head")


def run_alembic_env(metadata: MetaData) -> None:
    """The body of every service's ``migrations/env.py``: online or offline upgrade.

    The URL comes from ``sqlalchemy.url``, which :func:`run_migrations` sets from the
    service settings (``python -m mubayiro.<service> migrate``). To use the ``alembic``
    CLI directly, pass it: ``alembic -x`` is not read; use
    ``alembic -c services/<svc>/alembic.ini -n alembic`` with ``sqlalchemy.url`` set in a
    copy of the ini, or prefer the service's ``migrate`` command.
    """
    from alembic import context

    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set: use the service's migrate command")
    if context.is_offline_mode():
        context.configure(
            url=url, target_metadata=metadata, literal_binds=True, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection, target_metadata=metadata, render_as_batch=True
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
