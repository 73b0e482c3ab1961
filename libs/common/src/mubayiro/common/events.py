"""Events between services: the transactional outbox, its dispatcher, and the consumer.

Producing (``docs/events.md``). A service never calls a subscriber while changing
its own state. Instead :meth:`EventPublisher.emit` inserts one ``outbox_message`` row
per subscriber *in the caller's session*, so the change and its event commit or roll
back together: there is no moment where points changed but the event is lost, or the
event went out for a change that was rolled back.

Delivering. :class:`OutboxDispatcher` is the shared queue worker
(:mod:`mubayiro.common.queue`: claim with a lease, process, record, stop a round
before its lease could run out) over the outbox. It wakes when a session that emitted
events commits (or every ``poll_seconds``), claims due rows, and POSTs them, *in
batches*, to each subscriber's ``/internal/events/batch`` with a service token: one
request carries the due events for that subscriber (up to ``batch_size``, and cut into
requests of at most :data:`MAX_EVENT_BATCH_BYTES`, which consumers accept), the
subscribers are sent to at the same time (a thread each), each handles its batch in one
transaction, and the outcomes are recorded in one transaction too. Under load that is
one HTTP call and two commits per batch instead of per event (issue 14: per-event
delivery fell 18 s behind 150 awards a second).
The subscriber answers *per event*, and each is judged on its own:

- 2xx → ``delivered``;
- a refusal — any 4xx but 401, 408 and 429 (:func:`is_refusal`): the subscriber will
  never take this event as it is (invalid payload, say) → parked as a dead letter
  (status ``dead``, ``parked_at``, ``last_error``). It no longer blocks anything; an
  operator lists, retries (after a fix) or discards it with
  ``python -m mubayiro.<service> outbox …``, and ``/readyz`` counts dead letters;
- anything else (5xx, timeouts, connection errors, 401, 408, 429) → retried with that
  event's own capped exponential back-off, while later events to the same subscriber
  keep flowing. A subscriber that is down gets every event once it is back.

A whole-batch answer that is not 2xx is judged the same way for every event in it,
except 413: the request was too large for that subscriber, not the events wrong, so it
is sent again in halves (only an event too large on its own is parked). A
subscriber without the batch route (404/405: an older version during a rolling
deploy) gets the same events one by one on ``/internal/events``.

Events to one subscriber are therefore *not* delivered in order once one of them is
retried: consumers must not depend on order (they deduplicate by id). Delivered and
discarded rows are deleted once they are older than ``retention_seconds`` (a week by
default): the outbox is a queue, not an archive — the producer's own tables are the
history (reports rebuild from loyalty's ledger) — and some payloads, such as one-time
sign-in codes, should not linger.

Consuming. :func:`events_router` mounts ``POST /internal/events`` (one envelope) and
``POST /internal/events/batch`` (``{"events": [envelope, …]}``). For each event it
inserts the event id into ``processed_event`` and runs the handler in the same
transaction: a redelivered event hits the primary key and is acknowledged without
running again. Delivery is at-least-once, processing exactly-once. A handler that
refuses a payload raises a 4xx error (which rolls back the dedup row too), so a
producer parks it instead of retrying it forever. A batch is one transaction, tried
twice at most:

1. all its events one after the other, with no savepoints: the usual case, where every
   handler succeeds, commits once (a savepoint and its release were a fifth of a
   consumer's CPU per event, issue 14);
2. only if a handler raised: that transaction is rolled back and the batch runs again
   with each event in its own savepoint, so a refused or failing event is rolled back
   alone and reported in its result (``refused`` with the status code, or ``failed``),
   while the others commit.

An envelope that does not parse is refused alone in either pass (it never reaches the
database), so one bad event never takes a batch down with it.
"""

from __future__ import annotations

import contextvars
import json
import logging
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, TypeVar, Unpack

import httpx
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import (
    CheckConstraint,
    Column,
    Index,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Text,
    and_,
    bindparam,
    event,
    insert,
    or_,
)
from sqlalchemy.orm import Session

from mubayiro.common.db import Database, UTCDateTime, utcnow
from mubayiro.common.deps import SessionRoute
from mubayiro.common.errors import AppError, InvalidInput
from mubayiro.common.queue import Done, Outcome, Park, QueueTuning, QueueWorker, Retry, WorkQueue
from mubayiro.common.security import ServiceCaller
from mubayiro.common.settings import ServiceSettings
from mubayiro.common.sql import PerDialect, dialect_insert, rowcount
from mubayiro.common.tokens import ServiceTokenProvider

logger = logging.getLogger(__name__)

EVENTS_PATH = "/internal/events"
EVENTS_BATCH_PATH = "/internal/events/batch"
#: Most events one batch request may carry (the dispatcher's batch size is capped to it).
MAX_EVENTS_PER_BATCH = 500
#: Largest batch request body: consumers accept it on the batch route (above the usual
#: ``max_request_bytes``), and the dispatcher never packs a request larger, so a backlog
#: after an outage goes out in several requests rather than one the subscriber refuses.
MAX_EVENT_BATCH_BYTES = 1024 * 1024
#: What a batch request's body puts around its envelopes (joined by commas).
_BATCH_OPEN, _BATCH_CLOSE = '{"events":[', "]}"
#: Most subscribers one dispatcher sends to at the same time (a thread each).
_MAX_PARALLEL_SUBSCRIBERS = 8
#: Per-event statuses in a batch answer that mean "taken" (nothing more is owed).
_TAKEN = frozenset({"processed", "duplicate", "ignored"})

#: Outbox row statuses: owed, acknowledged, refused (a dead letter), given up by an operator.
OUTBOX_PENDING = "pending"
OUTBOX_DELIVERED = "delivered"
OUTBOX_DEAD = "dead"
OUTBOX_DISCARDED = "discarded"
OUTBOX_STATUSES = (OUTBOX_PENDING, OUTBOX_DELIVERED, OUTBOX_DEAD, OUTBOX_DISCARDED)
#: 4xx answers that are temporary (see :func:`is_refusal`).
_TEMPORARY_4XX = frozenset({401, 408, 429})


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
        Column("status", String(16), nullable=False, default=OUTBOX_PENDING),
        Column("attempts", Integer, nullable=False, default=0),
        Column("next_attempt_at", UTCDateTime(), nullable=False),
        Column("delivered_at", UTCDateTime(), nullable=True),
        Column("parked_at", UTCDateTime(), nullable=True),
        Column("last_error", Text, nullable=True),
        Column("claim", String(36), nullable=True),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in OUTBOX_STATUSES) + ")", name="status"
        ),
        # The dispatcher's query: pending rows whose time has come.
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        Index("ix_outbox_message_event_id", "event_id"),
    )


def outbox_queue(table: Table) -> WorkQueue:
    """The outbox as a work queue (for the dispatcher, the operator CLI and ``/readyz``)."""
    return WorkQueue(
        name="events",
        table=table,
        pending=OUTBOX_PENDING,
        done=OUTBOX_DELIVERED,
        parked=OUTBOX_DEAD,
        discarded=OUTBOX_DISCARDED,
        summary=("event_id", "event_type", "destination"),
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
        self._insert = insert(table)  # built once: every points change writes one (common.sql)
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
                "status": OUTBOX_PENDING,
                "attempts": 0,
                "next_attempt_at": now,
            }
            for name in self.routes.get(event_type, [])
            if self.endpoints.get(name)
        ]
        if rows:
            session.execute(self._insert, rows)
            wake = self.wakeup
            event.listen(session, "after_commit", lambda _s: wake.set(), once=True)
        return event_id


class OutboxDispatcher(QueueWorker):
    """Background thread delivering outbox rows to subscribers (see module doc)."""

    name = "outbox-dispatcher"
    tuning = QueueTuning(batch_size=100, lease_seconds=30.0)

    def __init__(
        self,
        database: Database,
        publisher: EventPublisher,
        *,
        token_provider: ServiceTokenProvider | Callable[[], str] | None,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
        retention_seconds: float = 7 * 24 * 3600,
        **tuning: Unpack[QueueTuning],
    ):
        super().__init__(
            database, outbox_queue(publisher.table), wakeup=publisher.wakeup,
            item_timeout_seconds=timeout, **tuning,
        )
        self.publisher = publisher
        self.table = publisher.table
        self._tokens = token_provider
        self._http = httpx.Client(timeout=timeout, transport=transport)  # thread-safe
        self._senders = ThreadPoolExecutor(max_workers=_MAX_PARALLEL_SUBSCRIBERS,
                                           thread_name_prefix="outbox-send")
        self.retention = timedelta(seconds=retention_seconds)
        self._next_purge_at = utcnow()

    @classmethod
    def for_service(
        cls,
        settings: ServiceSettings,
        database: Database,
        publisher: EventPublisher,
        *,
        token_provider: ServiceTokenProvider | Callable[[], str] | None,
        transport: httpx.BaseTransport | None = None,
    ) -> OutboxDispatcher:
        """The dispatcher of a service's outbox, tuned by its ``outbox_*`` settings.

        ``transport`` carries every delivery (tests pass ``httpx.MockTransport``).
        """
        return cls(
            database,
            publisher,
            token_provider=token_provider,
            poll_seconds=settings.outbox_poll_seconds,
            max_backoff_seconds=settings.outbox_max_backoff_seconds,
            batch_size=settings.outbox_batch_size,
            timeout=settings.http_timeout_seconds,
            transport=transport,
        )

    def stop(self) -> None:
        """Stop the thread, its senders and the HTTP client."""
        super().stop()
        self._senders.shutdown(wait=True)
        self._http.close()

    def run_once(self) -> bool:
        """One delivery round (see :meth:`deliver_due`), and the hourly purge."""
        if utcnow() >= self._next_purge_at:
            self.purge_delivered()
            self._next_purge_at = utcnow() + timedelta(hours=1)
        return self.deliver_due()

    def deliver_due(self) -> bool:
        """Deliver one batch of due rows; True when there may be more to send at once."""
        return self.process_due()

    def purge_delivered(self) -> int:
        """Delete rows delivered (or discarded) longer than the retention period ago.

        Returns how many rows were deleted. Dead letters stay until an operator acts.
        """
        t = self.table
        cutoff = utcnow() - self.retention
        with self.db.session(write=True) as s:
            result = s.execute(
                t.delete().where(or_(
                    and_(t.c.status == OUTBOX_DELIVERED, t.c.delivered_at < cutoff),
                    and_(t.c.status == OUTBOX_DISCARDED, t.c.parked_at < cutoff),
                ))
            )
        return rowcount(result)

    def _token(self) -> str | None:
        if self._tokens is None:
            return None
        if isinstance(self._tokens, ServiceTokenProvider):
            return self._tokens.token()
        return self._tokens()

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        token = self._token()  # a failure to get one raises: a retry
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def _judge(self, resp: httpx.Response) -> Outcome:
        """The outcome a non-2xx answer gives every event it answered for."""
        error = f"HTTP {resp.status_code}: {resp.text[:200]}"
        if resp.status_code == 401 and isinstance(self._tokens, ServiceTokenProvider):
            self._tokens.invalidate()
        if is_refusal(resp.status_code):
            return Park(error)
        return Retry(error)

    def process(self, item: Row[Any]) -> Outcome:
        """POST one envelope to its subscriber's single-event route and judge the answer."""
        base_url = self.publisher.destinations().get(item.destination)
        if not base_url:
            return _unconfigured(item.destination)
        try:
            resp = self._http.post(
                base_url.rstrip("/") + EVENTS_PATH, content=item.envelope,
                headers=self._headers(),
            )
        except httpx.HTTPError as exc:  # refused, reset, timed out: the subscriber, not the event
            return Retry(f"{type(exc).__name__}: {exc}")
        if resp.is_success:
            return Done(values={"delivered_at": utcnow()})
        return self._judge(resp)

    def process_many(
        self, items: Sequence[Row[Any]], deadline: float
    ) -> list[Outcome | None]:
        """Deliver the claimed rows, one batch request per subscriber, to every subscriber at
        once (see module doc).

        No batch request is started after ``deadline`` (``time.monotonic()``): its rows
        come back as ``None``, given back untried.
        """
        outcomes: dict[int, Outcome] = {}
        by_destination: dict[str, list[Row[Any]]] = defaultdict(list)
        for item in items:
            by_destination[item.destination].append(item)

        def deliver(destination: str, rows: list[Row[Any]]) -> dict[int, Outcome]:
            delivered: dict[int, Outcome] = {}
            for chunk in batch_chunks(rows):
                if time.monotonic() > deadline:
                    break
                delivered.update(self._deliver_batch(destination, chunk))
            return delivered

        # The subscribers at once, one thread each: a round lasts as long as the slowest
        # subscriber, not as long as all of them one after the other (issue 14: under a
        # sustained load the sum fell 20 s behind). Each thread runs in a copy of this
        # one's context, so its calls carry the round's request id.
        if len(by_destination) == 1:
            for destination, rows in by_destination.items():
                outcomes.update(deliver(destination, rows))
        else:
            futures = [
                self._senders.submit(contextvars.copy_context().run, deliver, destination, rows)
                for destination, rows in by_destination.items()
            ]
            for future in futures:
                outcomes.update(future.result())
        return [outcomes.get(item.id) for item in items]

    def _deliver_batch(self, destination: str, rows: list[Row[Any]]) -> dict[int, Outcome]:
        base_url = self.publisher.destinations().get(destination)
        if not base_url:
            park = _unconfigured(destination)
            return {row.id: park for row in rows}
        body = _BATCH_OPEN + ",".join(row.envelope for row in rows) + _BATCH_CLOSE
        try:
            resp = self._http.post(
                base_url.rstrip("/") + EVENTS_BATCH_PATH, content=body, headers=self._headers()
            )
        except httpx.HTTPError as exc:  # refused, reset, timed out: the subscriber, not the events
            retry = Retry(f"{type(exc).__name__}: {exc}")
            return {row.id: retry for row in rows}
        if resp.status_code in (404, 405):  # no batch route (an older subscriber): one by one
            return {row.id: self.process(row) for row in rows}
        if resp.status_code == 413 and len(rows) > 1:
            # Too large for this subscriber (its limit is lower than ours): the events are
            # not refused, the request is. Halves, down to one event; only an event too
            # large on its own is parked.
            half = len(rows) // 2
            return {**self._deliver_batch(destination, rows[:half]),
                    **self._deliver_batch(destination, rows[half:])}
        if not resp.is_success:
            judged = self._judge(resp)
            return {row.id: judged for row in rows}
        try:
            results = {r["id"]: r for r in resp.json()["results"] if isinstance(r, dict)}
        except (ValueError, KeyError, TypeError) as exc:
            retry = Retry(f"unreadable batch answer: {type(exc).__name__}")
            return {row.id: retry for row in rows}
        done = Done(values={"delivered_at": utcnow()})
        return {row.id: _batch_outcome(results.get(row.event_id), done) for row in rows}


def batch_chunks(rows: Sequence[Row[Any]]) -> list[list[Row[Any]]]:
    """``rows`` in order, cut into batch requests of at most :data:`MAX_EVENTS_PER_BATCH`
    events and :data:`MAX_EVENT_BATCH_BYTES` of body (an event larger on its own goes
    alone, and its subscriber judges it)."""
    frame = len(_BATCH_OPEN) + len(_BATCH_CLOSE)
    chunks: list[list[Row[Any]]] = []
    chunk: list[Row[Any]] = []
    size = frame
    for row in rows:
        row_bytes = len(row.envelope.encode()) + 1  # and its comma
        if chunk and (len(chunk) == MAX_EVENTS_PER_BATCH
                      or size + row_bytes > MAX_EVENT_BATCH_BYTES):
            chunks.append(chunk)
            chunk, size = [], frame
        chunk.append(row)
        size += row_bytes
    if chunk:
        chunks.append(chunk)
    return chunks


def _unconfigured(destination: str) -> Park:
    """Configured when the event was written, gone since: an operator's matter."""
    return Park(f"subscriber {destination!r} has no URL configured")


def _batch_outcome(result: dict[str, Any] | None, done: Done) -> Outcome:
    """One event's outcome from its entry in a batch answer (missing: try again)."""
    if result is None:
        return Retry("the batch answer did not mention this event")
    status = result.get("status")
    if status in _TAKEN:
        return done
    code = result.get("status_code")
    error = f"HTTP {code}: {str(result.get('detail', ''))[:200]}"
    if status == "refused" and isinstance(code, int) and is_refusal(code):
        return Park(error)
    return Retry(error)


def is_refusal(status_code: int) -> bool:
    """True when a subscriber's answer refuses the event itself (a retry cannot help).

    Every 4xx but 401 (our token expired or the key rotated: the token is fetched
    again), 408 (request timeout) and 429 (slow down) — those, 5xx and network
    failures are temporary.
    """
    return 400 <= status_code < 500 and status_code not in _TEMPORARY_4XX


EventHandler = Callable[[Session, EventEnvelope], None]

_Payload = TypeVar("_Payload", bound=BaseModel)


class InvalidEventPayload(InvalidInput):
    """An event's data does not fit its type (422): the producer keeps it and retries."""

    default_detail = "The event's data does not match its type"


def event_data(model: type[_Payload], envelope: EventEnvelope) -> _Payload:
    """``envelope.data`` validated as ``model``, for a consumer's handler.

    Raises:
        InvalidEventPayload: the data does not fit; the detail names the fields, and the
            422 rolls the handler's transaction (and the dedup row) back, so a corrected
            redelivery is processed.
    """
    try:
        return model.model_validate(envelope.data)
    except ValidationError as exc:
        raise InvalidEventPayload(
            f"{envelope.type} event has invalid data: {_invalid_fields(exc)}"
        ) from exc


def _invalid_fields(exc: ValidationError) -> str:
    """The dotted paths of the fields a validation error names, comma-separated."""
    return ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())


class _RunIsolated(Exception):
    """A handler raised in a batch's first pass: run the batch again, event by event."""


class EventBatch(BaseModel):
    """The body of ``POST /internal/events/batch``: envelopes, each checked on its own."""

    events: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_EVENTS_PER_BATCH)


def events_router(handlers: dict[str, EventHandler], table: Table) -> APIRouter:
    """The ``POST /internal/events`` and ``/internal/events/batch`` routes: deduplicate by
    event id, then run the handler (see the module doc).

    An event type without a handler is acknowledged (and recorded) so it is not resent.
    """
    router = APIRouter(tags=["internal"], route_class=SessionRoute)
    # Every event runs it: built once (mubayiro.common.sql). No row back: seen before.
    record_once = PerDialect(lambda dialect: (
        dialect_insert(dialect, table)
        .values(event_id=bindparam("event_id"), event_type=bindparam("event_type"),
                processed_at=bindparam("processed_at"))
        .on_conflict_do_nothing(index_elements=[table.c.event_id])
        .returning(table.c.event_id)
    ))

    def consume(session: Session, envelope: EventEnvelope) -> str:
        """Record and handle one event in ``session``; its status. Handler errors propagate."""
        recorded = session.execute(record_once.for_(session), {
            "event_id": envelope.id, "event_type": envelope.type, "processed_at": utcnow(),
        }).first()
        if recorded is None:
            return "duplicate"
        handler = handlers.get(envelope.type)
        if handler is None:
            return "ignored"
        handler(session, envelope)
        return "processed"

    def consume_in_batch(
        session: Session, raw: dict[str, Any], *, isolated: bool
    ) -> dict[str, Any]:
        """One event of a batch; its result entry.

        ``isolated``: in its own savepoint, a handler's error becoming the entry (never
        raises). Otherwise in the batch's transaction as it is, and a handler's error
        raises :class:`_RunIsolated`: the caller rolls the batch back and runs it isolated.
        """
        event_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        try:
            envelope = EventEnvelope.model_validate(raw)
        except ValidationError as exc:
            return {"id": event_id, "status": "refused", "status_code": 422,
                    "detail": f"invalid envelope: {_invalid_fields(exc)}"}
        if not isolated:
            try:
                return {"id": envelope.id, "status": consume(session, envelope)}
            except Exception as exc:
                raise _RunIsolated from exc
        try:
            with session.begin_nested():
                return {"id": envelope.id, "status": consume(session, envelope)}
        except AppError as exc:
            status = "refused" if is_refusal(exc.status_code) else "failed"
            return {"id": envelope.id, "status": status, "status_code": exc.status_code,
                    "detail": exc.detail}
        except Exception as exc:  # a bug or a passing failure: this event is tried again
            logger.exception("event handler raised",
                             extra={"event_id": envelope.id, "event_type": envelope.type})
            return {"id": envelope.id, "status": "failed", "status_code": 500,
                    "detail": type(exc).__name__}

    @router.post(EVENTS_PATH, include_in_schema=False)
    def receive_event(
        envelope: EventEnvelope, request: Request, _caller: ServiceCaller
    ) -> dict[str, str]:
        """Process one event exactly once."""
        database: Database = request.app.state.database
        with database.session(write=True) as session:
            status = consume(session, envelope)
        return {"status": status}

    @router.post(EVENTS_BATCH_PATH, include_in_schema=False)
    def receive_events(
        batch: EventBatch, request: Request, _caller: ServiceCaller
    ) -> dict[str, list[dict[str, Any]]]:
        """Process each event exactly once, all in one transaction; a result per event
        (the two passes: module doc)."""
        database: Database = request.app.state.database
        try:
            with database.session(write=True) as session:
                results = [consume_in_batch(session, raw, isolated=False)
                           for raw in batch.events]
            return {"results": results}
        except _RunIsolated:
            pass  # rolled back: the isolated pass judges each event on its own
        with database.session(write=True) as session:
            results = [consume_in_batch(session, raw, isolated=True) for raw in batch.events]
        return {"results": results}

    return router


def decode_envelope(raw: str) -> EventEnvelope:
    """Parse an envelope stored in the outbox."""
    return EventEnvelope.model_validate(json.loads(raw))
