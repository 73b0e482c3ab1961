"""Abuse limits: how many times a key (an account, a client address, a phone…) may do
something in a window, counted where every replica of the service sees the same count.

The algorithm is the ``limits`` library's (a fixed window per key: ``10/15 minutes``
allows 10 hits from the first hit until 15 minutes later). We do not write a counter
store either: with ``<SVC>_RATE_LIMIT_STORAGE_URL`` set (``redis://…``, any URL
``limits`` understands) the counts live there. Without it they live in the service's own
database, in the ``rate_limit`` table, through :class:`SqlStorage` — a ``limits``
storage backend of a dozen lines whose one write is an atomic upsert, so two replicas
hitting the same key at once both count.

How a route uses it (see :class:`RateLimiter`): it names its rules — a limit from the
settings and the key it counts — and calls :meth:`RateLimiter.hit` before it does the
work (every attempt counts, refused ones included), or :meth:`RateLimiter.check` first
and :meth:`RateLimiter.hit` only when the attempt failed (a wrong password counts, a
right one does not). Over the limit the route answers 429 ``TooManyAttempts`` with
``Retry-After`` (seconds until the window ends).

On SQLite the counter's write is a short transaction of its own: call the limiter
before the request's write transaction begins (or after it ended), never inside it —
the request would be holding the write lock the counter waits for.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, cast

from fastapi import Request
from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from pydantic import AfterValidator, Field
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import SQLAlchemyError

from mubayiro.common.db import Database
from mubayiro.common.errors import TooManyRequests

#: Longest key stored (a scope name and an identifier such as an email address).
KEY_LENGTH = 300


def _parseable(value: str) -> str:
    try:
        parse(value)
    except ValueError as exc:
        raise ValueError(f"not a rate limit such as '10/15 minutes': {exc}") from exc
    return value


#: A setting holding a limit in the ``limits`` notation (``10/15 minutes``, ``5/hour``).
LimitSetting = Annotated[str, Field(examples=["10/15 minutes"]), AfterValidator(_parseable)]


def client_address(request: Request) -> str:
    """The caller's IP address, as counted by the limits.

    Behind the gateway this is the client Traefik saw: uvicorn takes it from
    ``X-Forwarded-For`` only when the request comes from an address in
    ``<SVC>_TRUSTED_PROXIES`` (the gateway's), so a client cannot name its own address.
    """
    return request.client.host if request.client else "unknown"


def rate_limit_table(metadata: MetaData) -> Table:
    """The ``rate_limit`` table (one row a counted key), attached to a service's metadata."""
    return Table(
        "rate_limit",
        metadata,
        Column("key", String(KEY_LENGTH), primary_key=True),
        Column("hits", Integer, nullable=False),
        # Seconds since the epoch: compared with time.time(), never shown to anyone.
        Column("expires_at", Float, nullable=False),
    )


class TooManyAttempts(TooManyRequests):
    """Too many attempts of this kind from this account, address or phone (429, with
    ``Retry-After``); nothing was done."""

    default_detail = "Too many attempts; try again later"


class SqlStorage(Storage):
    """A ``limits`` storage in the service's own database (the ``rate_limit`` table).

    ``incr`` is one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` that restarts an
    expired window and counts in the current one, in a short transaction of its own, so
    concurrent hits from several processes never lose a count.
    """

    STORAGE_SCHEME = None

    def __init__(self, database: Database, table: Table):
        super().__init__()
        self._database = database
        self._table = table
        self._insert = (
            postgresql.insert if database.engine.dialect.name == "postgresql" else sqlite.insert
        )

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        """Database errors (``limits`` wraps them when asked to)."""
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count ``amount`` hits on ``key`` (a new window of ``expiry`` seconds if the
        last one ended); the window's count after it."""
        now = time.time()
        table = self._table
        insert = self._insert(table).values(key=key, hits=amount, expires_at=now + expiry)
        expired = table.c.expires_at <= now
        statement = insert.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "hits": case((expired, amount), else_=table.c.hits + amount),
                "expires_at": case((expired, now + expiry), else_=table.c.expires_at),
            },
        ).returning(table.c.hits)
        with self._database.session(write=True) as session:
            return int(session.execute(statement).scalar_one())

    def _row(self, key: str) -> tuple[int, float] | None:
        with self._database.session(write=False) as session:
            row = session.execute(
                select(self._table.c.hits, self._table.c.expires_at).where(
                    self._table.c.key == key
                )
            ).one_or_none()
        if row is None or row.expires_at <= time.time():
            return None
        return int(row.hits), float(row.expires_at)

    def get(self, key: str) -> int:
        """Hits on ``key`` in its current window (0 when none or it ended)."""
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        """When ``key``'s window ends (seconds since the epoch; now if it has none)."""
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        """Whether the database answers."""
        return self._database.ping()

    def reset(self) -> int | None:
        """Forget every count; how many keys were counted."""
        with self._database.session(write=True) as session:
            result = session.execute(delete(self._table))
            return int(cast(CursorResult[Any], result).rowcount)

    def clear(self, key: str) -> None:
        """Forget ``key``'s count."""
        with self._database.session(write=True) as session:
            session.execute(delete(self._table).where(self._table.c.key == key))

    def purge_expired(self) -> int:
        """Delete the rows of ended windows (housekeeping); how many."""
        with self._database.session(write=True) as session:
            result = session.execute(
                delete(self._table).where(self._table.c.expires_at <= time.time())
            )
            return int(cast(CursorResult[Any], result).rowcount)


#: The ``limits`` parser, remembered: a service has a handful of limit settings, and a
#: rule's limit is read on every attempt.
_parsed = functools.lru_cache(maxsize=128)(parse)


@dataclass(frozen=True)
class Rule:
    """One limit on one key: ``Rule("login-account", "10/15 minutes", email)``.

    ``scope`` names what is counted (so one key in two rules counts twice apart),
    ``limit`` is a ``limits`` string (``N/period``), ``key`` who is counted.
    """

    scope: str
    limit: str
    key: str

    @property
    def item(self) -> RateLimitItem:
        """The parsed limit (parsed once per distinct setting, not on every request)."""
        return _parsed(self.limit)

    @property
    def identifiers(self) -> tuple[str, str]:
        """The key as ``limits`` namespaces it (scope first; key cut to fit the column)."""
        return self.scope, self.key[: KEY_LENGTH - len(self.scope) - 40]


class RateLimiter:
    """The service's limiter (``app.state.rate_limiter``): fixed windows over a storage.

    Build it with :meth:`for_database` (the service's database, or the URL's storage
    when one is configured).
    """

    #: Hits between two purges of ended windows from a :class:`SqlStorage` (a row a
    #: counted key would otherwise stay forever).
    PURGE_EVERY = 1000

    def __init__(self, storage: Storage):
        self.storage = storage
        self._strategy = FixedWindowRateLimiter(storage)
        self._hits_since_purge = 0

    def _housekeeping(self) -> None:
        self._hits_since_purge += 1
        if self._hits_since_purge >= self.PURGE_EVERY and isinstance(self.storage, SqlStorage):
            self._hits_since_purge = 0
            self.storage.purge_expired()

    @classmethod
    def for_database(
        cls, database: Database, table: Table, storage_url: str | None = None
    ) -> RateLimiter:
        """A limiter counting in ``storage_url`` if given, else in ``table`` of ``database``."""
        if storage_url:
            storage = storage_from_string(storage_url)
            if not isinstance(storage, Storage):
                raise ValueError(f"{storage_url!r} names an asyncio storage; use a plain one")
            return cls(storage)
        return cls(SqlStorage(database, table))

    def _refuse(self, rule: Rule) -> TooManyAttempts:
        reset = self._strategy.get_window_stats(rule.item, *rule.identifiers).reset_time
        seconds = max(1, math.ceil(reset - time.time()))
        return TooManyAttempts(headers={"Retry-After": str(seconds)})

    def check(self, rules: Sequence[Rule]) -> None:
        """Refuse (429) if any rule's window is already full; counts nothing."""
        for rule in rules:
            if not self._strategy.test(rule.item, *rule.identifiers):
                raise self._refuse(rule)

    def hit(self, rules: Sequence[Rule]) -> None:
        """Count one attempt on every rule; refuse (429) if any went over its limit.

        Every rule is counted even when an earlier one refuses, so a refused attempt
        still uses up the others' room (a client cannot probe a limit for free).
        """
        self._housekeeping()
        over = [
            rule for rule in rules if not self._strategy.hit(rule.item, *rule.identifiers)
        ]
        if over:
            raise self._refuse(over[0])

    def record(self, rules: Sequence[Rule]) -> None:
        """Count one attempt on every rule without refusing (a failure found afterwards)."""
        self._housekeeping()
        for rule in rules:
            self._strategy.hit(rule.item, *rule.identifiers)

    @contextmanager
    def counting_failures(
        self, rules: Sequence[Rule], *failures: type[BaseException]
    ) -> Iterator[None]:
        """Refuse (429) if a window is full; run the block; count it only if it raised
        one of ``failures`` (a wrong password), so a right one never uses up room."""
        self.check(rules)
        try:
            yield
        except failures:
            self.record(rules)
            raise
