"""Shared FastAPI dependencies: the database session and the ``Idempotency-Key`` header.

The session commits when the endpoint returns and rolls back if it raises. Its
exit runs before the response is sent (``scope="function"``), so a client never
sees a success whose commit then failed. Unsafe methods open the transaction with
``BEGIN IMMEDIATE`` on SQLite (see :mod:`mubayiro.common.db`).

At most :data:`MAX_OPEN_SESSIONS` requests hold a session at once. Why: FastAPI runs
sync endpoints *and the exit of sync yield-dependencies* (our commit) on one thread
pool of 40. Under a burst of writes every pool thread can end up inside SQLite's
busy-wait for the write lock, while the request that holds the lock waits for a free
thread to run its commit: nothing moves until busy timeouts expire. With the cap, the
waiting happens before a thread is taken, and threads are always left for commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from mubayiro.common.idempotency import MAX_KEY_LENGTH

_READ_METHODS = {"GET", "HEAD", "OPTIONS"}
#: Below the thread pool's 40 and within the engine's pool (see module doc).
MAX_OPEN_SESSIONS = 16


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, committed when the endpoint returns without error."""
    database = request.app.state.database
    with database.session(write=request.method not in _READ_METHODS) as session:
        yield session


SessionDep = Annotated[
    Session, Depends(get_session, scope="function", max_concurrency=MAX_OPEN_SESSIONS)
]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=MAX_KEY_LENGTH,
        description="Send the same key again to retry safely: the change happens once.",
    ),
]
