"""Shared FastAPI dependencies: the request's database sessions, ``Idempotency-Key`` and
what ``create_app`` keeps on ``app.state`` (:func:`app_state`).

A route declares what it does with the database by the session it takes:

- :data:`ReadSession` — a read transaction (a deferred ``BEGIN`` on SQLite: it never
  waits for a writer and never holds other writers back). Rolled back at the end:
  a read route changes nothing.
- :data:`WriteSession` — a write transaction (``BEGIN IMMEDIATE`` on SQLite: the write
  lock is taken up front, so writers queue on the busy timeout instead of failing with
  ``SQLITE_BUSY`` when a read lock cannot be upgraded; see :mod:`mubayiro.common.db`).
  Committed when the endpoint returns, rolled back when it raises — except for
  :class:`~mubayiro.common.errors.CommitThenRefuse`, which commits and then answers
  its refusal (a wrong one-time code must still spend a try).

Services never commit and never see a :class:`~mubayiro.common.db.Database`: they take
a ``Session``, ``flush()`` at most, and raise to refuse. A transaction's connection is
taken at its first statement, so a route that must call a peer before it writes
(referrals) takes both: it reads with the ``ReadSession``, calls the peer, and only then
touches the ``WriteSession`` — the write lock is never held across an HTTP call.

Both sessions end (commit or rollback) before the response is sent
(``scope="function"``), so a client never sees a success whose commit then failed.

At most :data:`MAX_OPEN_SESSIONS` requests hold sessions at once. Why: FastAPI runs
sync endpoints *and the exit of sync yield-dependencies* (our commit) on one thread
pool of 40. Under a burst of writes every pool thread can end up inside SQLite's
busy-wait for the write lock, while the request that holds the lock waits for a free
thread to run its commit: nothing moves until busy timeouts expire. With the cap, the
waiting happens before a thread is taken, and threads are always left for commits.
The cap is one slot per request (a request with both sessions takes one slot), so two
requests can never each hold one kind of session while waiting for the other.

Dependencies that do no I/O (the slot, :func:`app_state`, :func:`get_transactions`, and
the opening of either session) are ``async def``: FastAPI runs every plain ``def``
dependency on that thread pool, and each hop cost more than the work (issue 14: a balance
lookup took 7.4 ms of CPU, about 5.5 ms with these on the event loop). Anything that may
touch the database or the network stays ``def`` (or is sent to the pool explicitly, as the
rollback at the end of a read session), so it never blocks the event loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from mubayiro.common.db import Database
from mubayiro.common.errors import CommitThenRefuse

#: Below the thread pool's 40 and, with two sessions a request, within the engine's pool.
MAX_OPEN_SESSIONS = 16


async def _session_slot() -> AsyncIterator[None]:
    """Holds one of the :data:`MAX_OPEN_SESSIONS` slots while the request has sessions."""
    yield


_SessionSlot = Annotated[
    None, Depends(_session_slot, scope="function", max_concurrency=MAX_OPEN_SESSIONS)
]


async def get_read_session(request: Request, _slot: _SessionSlot) -> AsyncIterator[Session]:
    """The request's read transaction (see module doc); nothing it does is kept.

    Opening a session does no I/O (its connection is taken at the first statement, on the
    endpoint's thread), so only the end — a rollback that returns the connection to the
    pool — goes to the thread pool: one hop instead of two.
    """
    database: Database = request.app.state.database
    session = database.open_session(write=False)
    try:
        yield session
    finally:
        await _in_thread_to_the_end(Database.end_session, session, commit=False)


async def _in_thread_to_the_end(func: Callable[..., None], *args: Any, **kwargs: Any) -> None:
    """Run ``func`` in the thread pool even if the request is being cancelled: a session
    left open would keep its connection, and a writer's the SQLite writer gate
    (``anyio`` checks for cancellation before it hands work to a thread)."""
    with anyio.CancelScope(shield=True):
        await run_in_threadpool(func, *args, **kwargs)


async def get_write_session(request: Request, _slot: _SessionSlot) -> AsyncIterator[Session]:
    """The request's write transaction: committed on success, rolled back on error.

    :class:`~mubayiro.common.errors.CommitThenRefuse` commits what was written, then
    raises the refusal it carries. Like the read session, opening it does no I/O (its
    ``BEGIN IMMEDIATE``, and the writer gate, come with the first statement, on the
    endpoint's thread); only its end goes to the thread pool.
    """
    database: Database = request.app.state.database
    session = database.open_session(write=True)
    try:
        yield session
    except CommitThenRefuse as exc:
        await _in_thread_to_the_end(Database.end_session, session, commit=True)
        raise exc.refusal from None
    except BaseException:
        await _in_thread_to_the_end(Database.end_session, session, commit=False)
        raise
    await _in_thread_to_the_end(Database.end_session, session, commit=True)


ReadSession = Annotated[Session, Depends(get_read_session, scope="function")]
"""A read-only session for the request (deferred ``BEGIN``, never the write lock)."""

WriteSession = Annotated[Session, Depends(get_write_session, scope="function")]
"""The request's write transaction (``BEGIN IMMEDIATE`` on SQLite), committed on success."""



class Transactions:
    """Short transactions of their own, apart from the request's, for a change that stands
    whatever the request goes on to do.

    Uses: loyalty copying a business from auth on its first request (a read, an HTTP
    call with no transaction open, then a write of its own that commits at once), and
    notifications answering an inbound SMS exactly once (a read for a redelivery, then a
    write that may lose a race and must then read the winner's reply). Open them in
    dependencies, or in a route that takes no request session: on SQLite a separate write
    waits for the write lock, which the request itself would be holding.
    """

    def __init__(self, database: Database):
        self._database = database

    def read(self) -> AbstractContextManager[Session]:
        """A read transaction, ended when the block ends."""
        return self._database.session(write=False)

    def write(self) -> AbstractContextManager[Session]:
        """A write transaction, committed when the block ends (rolled back on error)."""
        return self._database.session(write=True)


async def get_transactions(request: Request) -> Transactions:
    """Separate short transactions on the app's database (see :class:`Transactions`)."""
    return Transactions(request.app.state.database)


SeparateTransactions = Annotated[Transactions, Depends(get_transactions)]
"""Short transactions apart from the request's (see :class:`Transactions`)."""


def app_state(attribute: str) -> Callable[[Request], Any]:
    """A dependency answering ``request.app.state.<attribute>``.

    A service's ``create_app`` builds its settings, clients, publisher… once and keeps
    them on ``app.state``; its ``deps.py`` turns each into a typed alias with this, e.g.
    ``SettingsDep = Annotated[LoyaltySettings, Depends(app_state("settings"))]``. Tests
    build the app with other objects rather than overriding the dependency.
    """

    async def from_app_state(request: Request) -> Any:
        return getattr(request.app.state, attribute)

    from_app_state.__name__ = f"get_{attribute}"
    from_app_state.__doc__ = f"``app.state.{attribute}``, as ``create_app`` built it."
    return from_app_state
