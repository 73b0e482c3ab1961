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

**One thread hop per request** (:class:`SessionRoute`). FastAPI runs a plain ``def``
endpoint on its thread pool, then (for a sync endpoint) the check of its answer against
the response model in a second hop, then our sessions' ends in a third. Every router's
``route_class`` is :class:`SessionRoute`, which runs the endpoint, that check and the end of
the request's sessions (commit or rollback, then close) together in *one* hop: the sessions
register themselves for the request (a context variable the endpoint's thread sees), and the
dependency's own end then finds nothing left to do. A session that was not ended there (an
``async def`` endpoint, or a request cancelled before its thread started) is still ended by
its dependency, in a hop of its own, as before.

**Few threads at once** (:func:`session_slots`). At most that many requests hold sessions
at once, counted apart for read routes and write routes (a route that takes a
:data:`WriteSession`): on SQLite 2 readers and 16 writers, on a database server 4 and 8.
Why so few readers on SQLite: every thread hop hands the GIL between the event loop and a
pool thread, and with many threads runnable at once that hand-over costs more than the work
(issue 14: a balance lookup took 5.4 ms of CPU with 16 requests in threads, 3.4–3.7 ms in
one hop with 2; SQLite's work is CPU in this process). Writers are not held to 2: on SQLite
they wait for the writer gate, a lock that costs no GIL, and with a queue of them ready the
next one starts the moment the gate is free (with 2 write slots the bench's awards fell
from about 110 to 82 a second). A server's round trips leave a thread waiting on the
network, so more readers run at once there: of 2, 4 and 8, 4 gave the most lookups on the
bench's PostgreSQL (alternated runs: 226 and 172 a second, against 195 and 130 with 8).
The slots stay well below the thread pool's 40, so a request that holds a slot always finds
a thread; and a request ends its sessions in the hop that holds its slot, so a writer
holding the gate never waits for a thread to commit.

Dependencies that do no I/O (the slot, :func:`app_state`, :func:`get_transactions`, the
opening of either session, the checks of a caller against a path) are ``async def``:
FastAPI runs every plain ``def`` dependency on the thread pool, and each hop cost more than
the work (issue 14: a balance lookup took 7.4 ms of CPU, about 5.5 ms with these on the
event loop). Anything that may touch the database or the network stays ``def`` (or is sent
to the pool explicitly), so it never blocks the event loop.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated, Any
from weakref import WeakKeyDictionary

import anyio
from anyio.lowlevel import RunVar
from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from mubayiro.common.db import Database
from mubayiro.common.errors import CommitThenRefuse

#: Requests holding sessions at once, per process (module doc): (read routes, write routes).
SQLITE_SESSION_SLOTS = (2, 16)
SERVER_SESSION_SLOTS = (4, 8)

#: Per event loop: each database's slots (a semaphore belongs to the loop it was made in).
_SLOTS: RunVar[WeakKeyDictionary[Database, tuple[anyio.Semaphore, anyio.Semaphore]]] = RunVar(
    "mubayiro_session_slots")


def session_slots(database: Database) -> tuple[int, int]:
    """How many requests of read routes and of write routes may hold sessions on
    ``database`` at once (module doc)."""
    return SQLITE_SESSION_SLOTS if database.is_sqlite else SERVER_SESSION_SLOTS


async def _session_slot(request: Request) -> AsyncIterator[None]:
    """Holds one of the :func:`session_slots` while the request has sessions: a write
    route's (one that takes a :data:`WriteSession`) or a read route's."""
    database: Database = request.app.state.database
    try:
        slots = _SLOTS.get()
    except LookupError:
        slots = WeakKeyDictionary()
        _SLOTS.set(slots)
    pair = slots.get(database)
    if pair is None:
        reads, writes = session_slots(database)
        pair = slots[database] = (anyio.Semaphore(reads), anyio.Semaphore(writes))
    # A route that is not a SessionRoute counts as a writer: the larger, older limit.
    async with pair[getattr(request.scope.get("route"), "writes", True)]:
        yield


_SessionSlot = Annotated[None, Depends(_session_slot, scope="function")]


@dataclass
class _Opened:
    """A session a dependency opened for the request, and whether it has ended."""

    session: Session
    write: bool
    ended: bool = False

    def end(self, *, commit: bool) -> None:
        """Commit (a write session, when ``commit``) or roll back, then close; once."""
        if not self.ended:
            self.ended = True
            Database.end_session(self.session, commit=commit and self.write)

    async def end_if_open(self, *, commit: bool) -> None:
        """:meth:`end`, in a hop of its own, when the request's hop did not end it."""
        if not self.ended:
            await _in_thread_to_the_end(self.end, commit=commit)


#: The sessions of the request being served (the list lives in the request's scope; the
#: variable lets the endpoint's thread, which runs in a copy of the request's context,
#: find it).
_REQUEST_SESSIONS: ContextVar[list[_Opened] | None] = ContextVar(
    "mubayiro_request_sessions", default=None)


def _opened(request: Request, session: Session, *, write: bool) -> _Opened:
    """Register ``session`` as one of the request's (see :class:`SessionRoute`)."""
    sessions: list[_Opened] = request.scope.setdefault("mubayiro.sessions", [])
    _REQUEST_SESSIONS.set(sessions)
    opened = _Opened(session, write)
    sessions.append(opened)
    return opened


def _end_request_sessions(*, commit: bool) -> None:
    """End every session of the request not ended yet; the first failure is raised
    once all have ended (a failed commit must not leave a read session open)."""
    failure: BaseException | None = None
    for opened in _REQUEST_SESSIONS.get() or ():
        try:
            opened.end(commit=commit)
        except BaseException as exc:
            failure = failure or exc
    if failure is not None:
        raise failure


def _takes(dependant: Dependant, call: Callable[..., Any]) -> bool:
    """Whether ``call`` is among the dependencies of ``dependant``, at any depth."""
    return any(sub.call is call or _takes(sub, call) for sub in dependant.dependencies)


class SessionRoute(APIRoute):
    """The route class of every router: a plain ``def`` endpoint, the check of its
    answer against the response model and the end of the request's sessions run in one
    thread hop (module doc).

    In that hop: the endpoint runs; its answer is validated against the response model
    while the sessions are still open (an ORM object may load what it has not yet); then
    every session of the request ends as its dependency would have ended it: committed
    (write) or rolled back (read) on success, committed on
    :class:`~mubayiro.common.errors.CommitThenRefuse`, rolled back on any other error.
    FastAPI then sees an ``async def`` endpoint, so what is left (its own check of an
    already valid answer, the JSON) runs on the event loop.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if inspect.isfunction(endpoint) and not (
            inspect.iscoroutinefunction(endpoint) or inspect.isgeneratorfunction(endpoint)
            or inspect.isasyncgenfunction(endpoint)
        ):
            endpoint = self._in_one_hop(endpoint)
        super().__init__(path, endpoint, **kwargs)
        #: Whether the route takes a write session (which slots it waits for).
        self.writes = _takes(self.dependant, get_write_session)

    def _in_one_hop(self, endpoint: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(endpoint)
        async def in_one_hop(**values: Any) -> Any:
            return await run_in_threadpool(self._run_and_end, endpoint, values)

        return in_one_hop

    def _run_and_end(self, endpoint: Callable[..., Any], values: dict[str, Any]) -> Any:
        try:
            answer = self._checked(endpoint(**values))
        except CommitThenRefuse:
            _end_request_sessions(commit=True)
            raise
        except BaseException:
            _end_request_sessions(commit=False)
            raise
        _end_request_sessions(commit=True)
        return answer

    def _checked(self, answer: Any) -> Any:
        """The answer as the response model makes it (unchanged when it does not fit:
        FastAPI then answers its usual response validation error)."""
        field = self.response_field
        if field is None or isinstance(answer, Response):
            return answer
        value, errors = field.validate(answer, {}, loc=("response",))
        return answer if errors else value


async def get_read_session(request: Request, _slot: _SessionSlot) -> AsyncIterator[Session]:
    """The request's read transaction (see module doc); nothing it does is kept.

    Opening a session does no I/O (its connection is taken at the first statement, on the
    endpoint's thread). Its end, a rollback that returns the connection to the pool, runs
    in the endpoint's hop (:class:`SessionRoute`); only a session not ended there is
    rolled back here, in a hop of its own.
    """
    database: Database = request.app.state.database
    opened = _opened(request, database.open_session(write=False), write=False)
    try:
        yield opened.session
    finally:
        await opened.end_if_open(commit=False)


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
    endpoint's thread); like it, it ends in the endpoint's hop, or here if not there.
    """
    database: Database = request.app.state.database
    opened = _opened(request, database.open_session(write=True), write=True)
    try:
        yield opened.session
    except CommitThenRefuse as exc:
        await opened.end_if_open(commit=True)
        raise exc.refusal from None
    except BaseException:
        await opened.end_if_open(commit=False)
        raise
    await opened.end_if_open(commit=True)


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
