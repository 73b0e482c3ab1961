"""Events between services: the transactional outbox, its dispatcher, and the consumer.

Producing (DESIGN.md, Events). A service never calls a subscriber while changing
its own state. Instead :meth:`EventPublisher.emit` inserts one ``outbox_message`` row
per subscriber *in the caller's session*, so the change and its event commit or roll
back together: there is no moment where points changed but the event is lost, or the
event went out for a change that was rolled back.

Delivering. :class:`OutboxDispatcher` is a background thread. It wakes when a session
that emitted events commits (or every ``poll_seconds``), claims due rows, POSTs each
envelope to the subscriber's ``/internal/events`` with a service token, and marks it
delivered on a 2xx. On any failure it records the error and schedules the row again
with exponential backoff (capped at ``max_backoff_seconds``), so a subscriber that is
down gets every event once it is back. Claiming sets a lease (``next_attempt_at`` in
the future) with a conditional UPDATE, so several dispatchers (replicas on PostgreSQL)
never send the same row at the same time, and no lock is held while the HTTP call runs.
A subscriber that failed is skipped until its backoff is over, so one dead service does
not slow delivery to the others. Delivered rows are deleted once they are older than
``retention_seconds`` (a week by default): the outbox is a queue, not an archive — the
producer's own tables are the history (reports rebuild from loyalty's ledger) — and some
payloads, such as one-time sign-in codes, should not linger.

Consuming. :func:`events_router` mounts ``POST /internal/events``. It inserts the
event id into ``processed_event`` and runs the handler in the same transaction: a
redelivered event hits the primary key and is acknowledged without running again.
Delivery is at-least-once, processing exactly-once.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import (
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mubayiro.common.db import Database, UTCDateTime, utcnow
from mubayiro.common.logs import REQUEST_ID_HEADER, current_request_id
from mubayiro.common.security import ServiceCaller
from mubayiro.common.tokens import ServiceTokenProvider
from mubayiro.common.workers import BackgroundWorker

logger = logging.getLogger(__name__)

EVENTS_PATH = "/internal/events"
_LEASE_SECONDS = 30


class EventEnvelope(BaseModel):
    """What goes over the wire to a subscriber."""

    id: str = Field(min_length=1, max_length=64)
    type: str = Field(min_length=1, max_length=64)
    source: str = Field(max_length=64)
    occurred_at: datetime
    data: dict[str, Any]


def outbox_table(metadata: MetaData) -> Table:
    """The ``outbox_message`` table, attached to a service's metadata (for Alembic)."""
    return Table(
        "outbox_message",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False),
        Column("event_type", String(64), nullable=False),
        Column("destination", String(64), nullable=False),
        Column("envelope", Text, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("attempts", Integer, nullable=False, default=0),
        Column("next_attempt_at", UTCDateTime(), nullable=False),
        Column("delivered_at", UTCDateTime(), nullable=True),
        Column("last_error", Text, nullable=True),
        Column("claim", String(36), nullable=True),
        Index("ix_outbox_message_due", "delivered_at", "next_attempt_at"),
        Index("ix_outbox_message_event_id", "event_id"),
    )


def processed_event_table(metadata: MetaData) -> Table:
    """The ``processed_event`` table (consumer-side deduplication), for a service's metadata."""
    return Table(
        "processed_event",
        metadata,
        Column("event_id", String(64), primary_key=True),
        Column("event_type", String(64), nullable=False),
        Column("processed_at", UTCDateTime(), nullable=False),
    )


class EventPublisher:
    """Writes events into the outbox, one row per subscriber of the event's type.

    ``routes`` maps an event type to subscriber names; ``endpoints`` maps a subscriber
    name to its base URL. A subscriber without a URL (not deployed) is left out.
    """

    def __init__(
        self,
        table: Table,
        *,
        source: str,
        routes: dict[str, list[str]],
        endpoints: dict[str, str | None],
    ):
        self.table = table
        self.source = source
        self.routes = routes
        self.endpoints = endpoints
        self.wakeup = threading.Event()

    def destinations(self) -> dict[str, str]:
        """Subscriber name → base URL, for every subscriber that is deployed."""
        return {name: url for name, url in self.endpoints.items() if url}

    def emit(self, session: Session, event_type: str, data: dict[str, Any]) -> str:
        """Add an event to ``session``'s transaction; return its id.

        The rows become visible (and are delivered) only if the session commits.
        """
        event_id = str(uuid.uuid4())
        now = utcnow()
        envelope = EventEnvelope(
            id=event_id, type=event_type, source=self.source, occurred_at=now, data=data
        ).model_dump_json()
        rows = [
            {
                "event_id": event_id,
                "event_type": event_type,
                "destination": name,
                "envelope": envelope,
                "created_at": now,
                "attempts": 0,
                "next_attempt_at": now,
            }
            for name in self.routes.get(event_type, [])
            if self.endpoints.get(name)
        ]
        if rows:
            session.execute(insert(self.table), rows)
            wake = self.wakeup
            event.listen(session, "after_commit", lambda _s: wake.set(), once=True)
        return event_id


class OutboxDispatcher(BackgroundWorker):
    """Background thread delivering outbox rows to subscribers (see module doc)."""

    name = "outbox-dispatcher"

    def __init__(
        self,
        database: Database,
        publisher: EventPublisher,
        *,
        token_provider: ServiceTokenProvider | Callable[[], str] | None,
        poll_seconds: float = 1.0,
        max_backoff_seconds: float = 60.0,
        batch_size: int = 100,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
        retention_seconds: float = 7 * 24 * 3600,
    ):
        super().__init__(
            wakeup=publisher.wakeup,
            poll_seconds=poll_seconds,
            max_backoff_seconds=max_backoff_seconds,
        )
        self.db = database
        self.publisher = publisher
        self.table = publisher.table
        self._tokens = token_provider
        self.batch_size = batch_size
        self._http = httpx.Client(timeout=timeout, transport=transport)
        self._blocked_until: dict[str, datetime] = {}
        self.retention = timedelta(seconds=retention_seconds)
        self._next_purge_at = utcnow()

    def stop(self) -> None:
        """Stop the thread and close the HTTP client."""
        super().stop()
        self._http.close()

    def run_once(self) -> bool:
        """One delivery round (see :meth:`deliver_due`), and the hourly purge."""
        if utcnow() >= self._next_purge_at:
            self.purge_delivered()
            self._next_purge_at = utcnow() + timedelta(hours=1)
        return self.deliver_due()

    def purge_delivered(self) -> int:
        """Delete rows delivered longer than the retention period ago; return how many."""
        t = self.table
        with self.db.session(write=True) as s:
            result = s.execute(
                t.delete().where(
                    t.c.delivered_at.is_not(None), t.c.delivered_at < utcnow() - self.retention
                )
            )
        return int(result.rowcount or 0)

    def _token(self) -> str | None:
        if self._tokens is None:
            return None
        if isinstance(self._tokens, ServiceTokenProvider):
            return self._tokens.token()
        return self._tokens()

    def _claim(self) -> list[Any]:
        now = utcnow()
        claim = str(uuid.uuid4())
        t = self.table
        blocked = [d for d, until in self._blocked_until.items() if until > now]
        with self.db.session(write=True) as s:
            query = (
                select(t.c.id)
                .where(t.c.delivered_at.is_(None), t.c.next_attempt_at <= now)
                .order_by(t.c.id)
                .limit(self.batch_size)
            )
            if blocked:
                query = query.where(t.c.destination.not_in(blocked))
            ids = list(s.scalars(query))
            if not ids:
                return []
            s.execute(
                update(t)
                .where(t.c.id.in_(ids), t.c.delivered_at.is_(None), t.c.next_attempt_at <= now)
                .values(claim=claim, next_attempt_at=now + timedelta(seconds=_LEASE_SECONDS))
            )
            return list(s.execute(select(t).where(t.c.claim == claim).order_by(t.c.id)))

    def deliver_due(self) -> bool:
        """Deliver one batch of due rows; True when there may be more to send at once.

        The outcome of the whole batch is written in one transaction at the end (a
        crash before that only means those rows are sent again: consumers deduplicate).
        """
        rows = self._claim()
        if not rows:
            return False
        destinations = self.publisher.destinations()
        now = utcnow()
        delivered: list[Any] = []
        retries: list[tuple[Any, str, datetime]] = []
        released: list[tuple[int, datetime]] = []
        for row in rows:
            if row.destination in self._blocked_until and self._blocked_until[
                row.destination
            ] > now:
                released.append((row.id, self._blocked_until[row.destination]))
                continue
            error = self._send(destinations.get(row.destination), row)
            if error is None:
                delivered.append(row)
                continue
            not_before = utcnow() + self.backoff(row.attempts + 1)
            self._blocked_until[row.destination] = not_before
            retries.append((row, error, not_before))
            logger.warning(
                "event delivery failed",
                extra={"event_id": row.event_id, "destination": row.destination,
                       "attempts": row.attempts + 1, "error": error},
            )
        t = self.table
        with self.db.session(write=True) as s:
            if delivered:
                s.execute(
                    update(t)
                    .where(t.c.id.in_([r.id for r in delivered]))
                    .values(delivered_at=utcnow(), attempts=t.c.attempts + 1, claim=None,
                            last_error=None)
                )
            for row, error, not_before in retries:
                s.execute(
                    update(t)
                    .where(t.c.id == row.id)
                    .values(attempts=row.attempts + 1, last_error=error[:500], claim=None,
                            next_attempt_at=not_before)
                )
            for row_id, not_before in released:
                s.execute(
                    update(t).where(t.c.id == row_id).values(claim=None, next_attempt_at=not_before)
                )
        return len(rows) == self.batch_size and not retries

    def _send(self, base_url: str | None, row: Any) -> str | None:
        if not base_url:
            return "subscriber has no URL configured"
        try:
            headers = {"Content-Type": "application/json"}
            token = self._token()
            if token:
                headers["Authorization"] = f"Bearer {token}"
            rid = current_request_id()
            if rid:
                headers[REQUEST_ID_HEADER] = rid
            resp = self._http.post(
                base_url.rstrip("/") + EVENTS_PATH, content=row.envelope, headers=headers
            )
        except Exception as exc:  # any failure means "try again later"
            return f"{type(exc).__name__}: {exc}"
        if resp.is_success:
            return None
        if resp.status_code == 401 and isinstance(self._tokens, ServiceTokenProvider):
            self._tokens.invalidate()
        return f"HTTP {resp.status_code}: {resp.text[:200]}"


EventHandler = Callable[[Session, EventEnvelope], None]


def events_router(handlers: dict[str, EventHandler], table: Table) -> APIRouter:
    """The ``POST /internal/events`` route: deduplicate by event id, then run the handler.

    An event type without a handler is acknowledged (and recorded) so it is not resent.
    """
    router = APIRouter(tags=["internal"])

    @router.post(EVENTS_PATH, include_in_schema=False)
    def receive_event(
        envelope: EventEnvelope, request: Request, _caller: ServiceCaller
    ) -> dict[str, str]:
        """Process one event exactly once."""
        database: Database = request.app.state.database
        with database.session(write=True) as session:
            try:
                # Inside a savepoint so that a duplicate leaves the session usable.
                with session.begin_nested():
                    session.execute(
                        insert(table).values(
                            event_id=envelope.id, event_type=envelope.type, processed_at=utcnow()
                        )
                    )
            except IntegrityError:
                return {"status": "duplicate"}
            handler = handlers.get(envelope.type)
            if handler is None:
                return {"status": "ignored"}
            handler(session, envelope)
        return {"status": "processed"}

    return router


def pending_count(database: Database, table: Table) -> int:
    """How many outbox rows are not delivered yet (for readiness and tests)."""
    from sqlalchemy import func

    with database.session(write=False) as s:
        return int(s.scalar(select(func.count()).where(table.c.delivered_at.is_(None))) or 0)


def decode_envelope(raw: str) -> EventEnvelope:
    """Parse an envelope stored in the outbox."""
    return EventEnvelope.model_validate(json.loads(raw))
