"""Durable work queues: the one claim → process → record loop behind every background sender.

Three tables hold work owed to someone else: the event outbox (``outbox_message``, every
producer), queued SMS (``sms_message``, notifications) and invitation SMS (``invitation``,
referrals). Each row is an *item* with a status, an attempt count, a due time
(``next_attempt_at``), the last error, a claim token and the time it was parked. A
:class:`WorkQueue` names those columns for one table and is the only code that builds
their SQL; a :class:`QueueWorker` is the background loop that works through it. The
three senders only say how to process one item (:meth:`QueueWorker.process`).

How a round works (:meth:`QueueWorker.process_due`):

1. **Claim.** In one short write transaction, select up to ``batch_size`` pending items
   whose due time has come — ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so replicas skip
   each other's rows instead of queueing on them (SQLite has no row locks and ignores
   it; there ``BEGIN IMMEDIATE`` serialises the writers) — then UPDATE them, repeating
   "pending and due" in the WHERE, to carry a fresh claim token and a due time pushed
   ``lease_seconds`` ahead: the *lease*. Only rows that UPDATE matched carry the token,
   so two workers never take the same item, and the items of a worker that died become
   due again when the lease runs out. The transaction commits before any item is
   processed: no lock or transaction is held while a peer is called.
2. **Process** each claimed item, outside any transaction, and **record** the outcome
   in its own short transaction, conditional on the claim token (a worker that lost its
   lease never overwrites the work of the one that took over):

   - :class:`Done` → the queue's done status (or the one given), ``last_error`` cleared;
   - :class:`Retry` (a temporary failure: the peer is down, slow, 5xx, rate-limiting)
     → still pending, ``attempts`` + 1, ``last_error``, due again after the item's own
     capped, jittered exponential back-off. An unexpected exception counts as a retry;
   - :class:`Park` (the peer refused the item itself: a retry cannot change the answer)
     → the queue's *parked* status (the dead letter), ``parked_at`` and the reason. It is
     never tried again by itself; an operator lists, retries or discards it
     (``python -m mubayiro.<service> outbox …``, see :mod:`mubayiro.common.cli`).

   Back-off is per item: one item that keeps failing never holds the items behind it.

   A worker whose peer takes many items in one call (the outbox: one request per
   subscriber) implements :meth:`QueueWorker.process_many` instead: the batch is
   processed at once and every outcome recorded in *one* transaction, each still judged
   and backed off on its own.
3. **Stop before the lease runs out.** An item whose processing could still be running
   when the lease ends (start + ``lease_seconds`` − ``item_timeout_seconds`` − a margin)
   is not started: the rest of the batch is given back, due at once, and the next round
   claims it with a fresh lease. So an item is never processed while another worker may
   hold it. The same happens when the worker is stopped.

Queue-wide pause (``pause_on_retry``), for queues with a single downstream (the SMS
provider, notifications): a temporary failure there almost always means that
downstream is in trouble, so the round stops, the rest of the batch is given back
untried, and the worker waits before calling it again. The wait grows with the number
of temporary failures in a row *across items* and is reset by any success, so a
downstream outage backs off like one item would, while a single item that keeps
failing only costs a short pause now and then (its own back-off is what grows).
Claims are ordered by due time, then by fewest attempts, so items given back untried
go before the one that just failed.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar, TypedDict, Unpack

from sqlalchemy import Column, ColumnElement, Row, Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from mubayiro.common.db import Database, utcnow
from mubayiro.common.logs import new_request_id, request_id_var
from mubayiro.common.sql import rowcount
from mubayiro.common.workers import BackgroundWorker

logger = logging.getLogger(__name__)

#: How much of ``last_error`` is kept (a peer's whole error page is not).
MAX_ERROR_LENGTH = 500
#: Time kept in hand before the lease ends, beyond one item's timeout.
LEASE_MARGIN_SECONDS = 1.0


@dataclass(frozen=True)
class WorkQueue:
    """The queue columns of one table, and the only place that builds their SQL.

    ``prefix`` is prepended to the standard column names (``status``, ``attempts``,
    ``next_attempt_at``, ``last_error``, ``claim``, ``parked_at``): the invitation table
    calls them ``sms_status`` … (prefix ``"sms_"``). ``pending``, ``done``, ``parked`` and
    ``discarded`` are the status values meaning "owed", "delivered", "refused: waiting
    for an operator" and "given up by an operator". ``summary`` names the columns an
    operator sees in a listing besides the queue's own.
    """

    name: str
    table: Table
    pending: str
    done: str
    parked: str
    discarded: str = "discarded"
    prefix: str = ""
    summary: tuple[str, ...] = ()
    _claimed_updates: dict[tuple[str, ...], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def col(self, name: str) -> Column[Any]:
        """The table's column for the standard queue column ``name``."""
        return self.table.c[self.prefix + name]

    @property
    def id(self) -> Column[Any]:
        """The primary key column (``id``)."""
        return self.table.c.id

    # -- the worker's statements ------------------------------------------------------

    def _due(self, now: datetime) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
        """The "pending and due by ``now``" test of :meth:`any_due` and :meth:`claim`."""
        return self.col("status") == self.pending, self.col("next_attempt_at") <= now

    def any_due(self, session: Session, *, now: datetime) -> bool:
        """Whether any pending item is due: a read, so a worker polling an idle queue never
        takes the write lock (on SQLite, the writer gate every award waits for)."""
        return session.execute(select(self.id).where(*self._due(now)).limit(1)).first() is not None

    def claim(
        self, session: Session, *, claim: str, now: datetime, lease_until: datetime, limit: int
    ) -> list[Row[Any]]:
        """Lease up to ``limit`` pending items that are due; return those this claim won.

        See the module doc, step 1: the UPDATE repeats the "pending and due" test, so
        when two workers pick the same ids only the first UPDATE matches.
        """
        due = self._due(now)
        ids = list(session.scalars(
            select(self.id)
            .where(*due)
            .order_by(self.col("next_attempt_at"), self.col("attempts"), self.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ))
        if not ids:
            return []
        session.execute(
            update(self.table)
            .where(self.id.in_(ids), *due)
            .values({self.prefix + "claim": claim, self.prefix + "next_attempt_at": lease_until})
        )
        return list(session.execute(
            select(self.table).where(self.col("claim") == claim)
            .order_by(self.col("next_attempt_at"), self.col("attempts"), self.id)
        ))

    def _update_claimed(
        self, session: Session, item_id: int, claim: str, values: Mapping[str, Any]
    ) -> bool:
        # A round records hundreds of outcomes: each kind's UPDATE is built once (common.sql).
        columns = tuple(sorted(values))
        statement = self._claimed_updates.get(columns)
        if statement is None:
            statement = self._claimed_updates[columns] = (
                update(self.table)
                .where(self.id == bindparam("item_id"),
                       self.col("claim") == bindparam("held_claim"),
                       self.col("status") == self.pending)
                .values({self.prefix + "claim": None,
                         **{column: bindparam(f"new_{column}") for column in columns}})
            )
        result = session.execute(statement, {
            "item_id": item_id, "held_claim": claim,
            **{f"new_{column}": value for column, value in values.items()}})
        return bool(rowcount(result))

    def mark_done(
        self, session: Session, item_id: int, claim: str, *, attempts: int,
        status: str | None = None, values: Mapping[str, Any] | None = None,
    ) -> bool:
        """Record success (``status``, default the done one; plus raw column ``values``).

        False if the claim was lost meanwhile (another worker holds the item now).
        """
        p = self.prefix
        return self._update_claimed(session, item_id, claim, {
            p + "status": status or self.done, p + "attempts": attempts,
            p + "last_error": None, **(values or {}),
        })

    def reschedule(
        self, session: Session, item_id: int, claim: str, *, attempts: int, error: str,
        next_attempt_at: datetime,
    ) -> bool:
        """Record a temporary failure and when to try again; the item stays pending."""
        p = self.prefix
        return self._update_claimed(session, item_id, claim, {
            p + "attempts": attempts, p + "last_error": error[:MAX_ERROR_LENGTH],
            p + "next_attempt_at": next_attempt_at,
        })

    def park(
        self, session: Session, item_id: int, claim: str, *, attempts: int, error: str,
        now: datetime,
    ) -> bool:
        """Record a refusal: the item becomes a dead letter, never tried by itself again."""
        p = self.prefix
        return self._update_claimed(session, item_id, claim, {
            p + "status": self.parked, p + "attempts": attempts,
            p + "last_error": error[:MAX_ERROR_LENGTH], p + "parked_at": now,
        })

    def release(
        self, session: Session, item_ids: Sequence[int], claim: str, *, not_before: datetime
    ) -> None:
        """Give claimed items back untried, due again at ``not_before``."""
        if not item_ids:
            return
        session.execute(
            update(self.table)
            .where(self.id.in_(item_ids), self.col("claim") == claim)
            .values({self.prefix + "claim": None, self.prefix + "next_attempt_at": not_before})
        )

    # -- what operators (the outbox CLI) and /readyz see ------------------------------

    def dead_count(self, session: Session) -> int:
        """How many items are parked as dead letters."""
        return int(session.scalar(
            select(func.count()).select_from(self.table)
            .where(self.col("status") == self.parked)
        ) or 0)

    def dead_letters(self, session: Session, *, limit: int | None = None) -> list[Row[Any]]:
        """The parked items, oldest parked first."""
        query = (
            select(self.table).where(self.col("status") == self.parked)
            .order_by(self.col("parked_at"), self.id)
        )
        if limit is not None:
            query = query.limit(limit)
        return list(session.execute(query))

    def retry(self, session: Session, item_id: int | None, *, now: datetime) -> int:
        """Make a parked item (or every one, ``item_id=None``) pending and due now.

        The attempt count and the last error are kept (they are the item's history);
        returns how many items were put back. Items that are not parked are untouched.
        """
        p = self.prefix
        query = update(self.table).where(self.col("status") == self.parked)
        if item_id is not None:
            query = query.where(self.id == item_id)
        result = session.execute(query.values({
            p + "status": self.pending, p + "next_attempt_at": now, p + "parked_at": None,
            p + "claim": None,
        }))
        return rowcount(result)

    def discard(self, session: Session, item_id: int) -> bool:
        """Give up a parked item for good (status ``discarded``); False if it is not parked."""
        result = session.execute(
            update(self.table)
            .where(self.id == item_id, self.col("status") == self.parked)
            .values({self.prefix + "status": self.discarded})
        )
        return bool(rowcount(result))


def dead_letter_count(database: Database, queues: Sequence[WorkQueue]) -> int:
    """How many dead letters ``queues`` hold together (what ``/readyz`` reports)."""
    with database.session(write=False) as session:
        return sum(queue.dead_count(session) for queue in queues)


@contextmanager
def _own_request_id() -> Iterator[None]:
    """A fresh request id for the log lines and peer calls of one attempt (or batch).

    A worker thread serves no request, so no request id would reach its log lines or a
    peer's (PeerClient sends it as X-Request-ID): each attempt gets its own.
    """
    token = request_id_var.set(new_request_id())
    try:
        yield
    finally:
        request_id_var.reset(token)


@dataclass(frozen=True)
class Done:
    """Processing succeeded: record ``status`` (default the queue's done one) and ``values``."""

    status: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Retry:
    """A temporary failure: try this item again after its back-off."""

    reason: str


@dataclass(frozen=True)
class Park:
    """The item itself was refused: park it as a dead letter with ``reason``."""

    reason: str


Outcome = Done | Retry | Park


class QueueTuning(TypedDict, total=False):
    """How a queue worker paces itself. Every worker takes these keywords and passes on
    what it was given, so a new knob is added here once, not in every sender."""

    #: Seconds between rounds when nothing woke the worker.
    poll_seconds: float
    #: The first retry's delay; it doubles with each failed attempt.
    retry_base_seconds: float
    #: The longest delay between two attempts of one item.
    max_backoff_seconds: float
    #: Items claimed per round.
    batch_size: int
    #: How long a claim holds its items (see the module doc, step 3).
    lease_seconds: float


#: What a worker uses where neither its caller nor its class (:attr:`QueueWorker.tuning`)
#: says otherwise.
DEFAULT_TUNING = QueueTuning(
    poll_seconds=1.0, retry_base_seconds=0.5, max_backoff_seconds=60.0, batch_size=20,
    lease_seconds=120.0,
)


class QueueWorker(BackgroundWorker):
    """A background thread working through a :class:`WorkQueue` (see module doc).

    Subclasses implement :meth:`process`; they may override :meth:`on_claimed` to drop
    items inside the claim transaction (notifications skips SMS to numbers that opted
    out since they were queued), and :attr:`tuning` to change the defaults of their
    pace. The caller's keywords (:class:`QueueTuning`) win over both.

    Raises:
        ValueError: ``lease_seconds`` leaves no room for one item's timeout.
    """

    #: This kind of worker's defaults, over :data:`DEFAULT_TUNING`.
    tuning: ClassVar[QueueTuning] = QueueTuning()

    def __init__(
        self,
        database: Database,
        queue: WorkQueue,
        *,
        wakeup: threading.Event | None = None,
        item_timeout_seconds: float = 10.0,
        pause_on_retry: bool = False,
        **tuning: Unpack[QueueTuning],
    ):
        pace: QueueTuning = {**DEFAULT_TUNING, **type(self).tuning, **tuning}
        lease_seconds = pace["lease_seconds"]
        if lease_seconds <= item_timeout_seconds + LEASE_MARGIN_SECONDS:
            raise ValueError("lease_seconds must be longer than one item's timeout")
        super().__init__(
            wakeup=wakeup,
            poll_seconds=pace["poll_seconds"],
            retry_base_seconds=pace["retry_base_seconds"],
            max_backoff_seconds=pace["max_backoff_seconds"],
            join_timeout_seconds=item_timeout_seconds + 5,
        )
        self.db = database
        self.queue = queue
        self.batch_size = pace["batch_size"]
        self.lease_seconds = lease_seconds
        self.item_timeout_seconds = item_timeout_seconds
        self.pause_on_retry = pause_on_retry
        self._paused_until: datetime | None = None
        self._failure_streak = 0

    def process(self, item: Row[Any]) -> Outcome:
        """Do the work of one claimed item (outside any transaction); say how it went."""
        raise NotImplementedError

    def process_many(
        self, items: Sequence[Row[Any]], deadline: float
    ) -> Sequence[Outcome | None] | None:
        """Process the whole claimed batch at once, or ``None`` (the default): one by one.

        Returns an outcome per item, in order; ``None`` for an item not started (nothing
        may start after ``deadline``, a ``time.monotonic()`` value): it is given back.
        """
        return None

    def on_claimed(self, session: Session, claim: str, items: list[Row[Any]]) -> list[Row[Any]]:
        """Called in the claim transaction; returns the items to process (default: all)."""
        return items

    def describe(self, item: Row[Any]) -> dict[str, Any]:
        """What log lines say about ``item`` (its id and the queue's summary columns)."""
        return {"queue": self.queue.name, "item_id": item.id,
                **{name: getattr(item, name) for name in self.queue.summary}}

    def run_once(self) -> bool:
        """One round (see :meth:`process_due`)."""
        return self.process_due()

    def process_due(self) -> bool:
        """Claim one batch of due items and process it; True when more may be due at once."""
        now = utcnow()
        if self._paused_until is not None and now < self._paused_until:
            return False
        claim = str(uuid.uuid4())
        # The lease starts now; after ``last_start`` an item could outlive it.
        last_start = (
            time.monotonic() + self.lease_seconds - self.item_timeout_seconds
            - LEASE_MARGIN_SECONDS
        )
        with self.db.session(write=False) as session:
            if not self.queue.any_due(session, now=now):
                return False
        with self.db.session(write=True) as session:
            claimed = self.queue.claim(
                session, claim=claim, now=now,
                lease_until=now + timedelta(seconds=self.lease_seconds), limit=self.batch_size,
            )
            items = self.on_claimed(session, claim, claimed) if claimed else []
        full = len(claimed) == self.batch_size
        if items and self._process_batch(items, claim, last_start):
            return full
        for index, item in enumerate(items):
            if self.stopping or time.monotonic() > last_start:
                self._release(items[index:], claim, not_before=utcnow())
                if not self.stopping:
                    logger.info("round stopped before its lease could run out",
                                extra={"queue": self.queue.name,
                                       "given_back": len(items) - index})
                return not self.stopping
            retry = self._attempt(item, claim)
            if retry and self.pause_on_retry:
                assert self._paused_until is not None
                self._release(items[index + 1:], claim, not_before=self._paused_until)
                return False
        return full

    def _process_batch(self, items: list[Row[Any]], claim: str, last_start: float) -> bool:
        """Process ``items`` with :meth:`process_many` and record every outcome in one
        transaction; False when this worker processes one item at a time."""
        with _own_request_id():
            try:
                outcomes = self.process_many(items, last_start)
            except Exception as exc:  # never lose an item: the whole batch is tried again
                logger.exception("%s: processing a batch raised", self.name,
                                 extra={"queue": self.queue.name, "items": len(items)})
                outcomes = [Retry(f"{type(exc).__name__}: {exc}")] * len(items)
            if outcomes is None:
                return False
            untried = [item for item, outcome in zip(items, outcomes, strict=True)
                       if outcome is None]
            with self.db.session(write=True) as session:
                for item, outcome in zip(items, outcomes, strict=True):
                    if outcome is not None:
                        self._record(session, item, claim, self._attempt_number(item), outcome)
                self.queue.release(session, [i.id for i in untried], claim,
                                   not_before=utcnow())
        if not any(isinstance(o, Retry) for o in outcomes):
            self._failure_streak = 0
            self._paused_until = None
        return True

    def _attempt_number(self, item: Row[Any]) -> int:
        """Which attempt at ``item`` this is (1 for the first)."""
        return int(getattr(item, self.queue.prefix + "attempts")) + 1

    def _attempt(self, item: Row[Any], claim: str) -> bool:
        """Process one item and record the outcome; True when it is to be retried."""
        with _own_request_id():
            return self._attempt_as(item, claim, self._attempt_number(item))

    def _attempt_as(self, item: Row[Any], claim: str, attempts: int) -> bool:
        try:
            outcome = self.process(item)
        except Exception as exc:  # a bug or an unforeseen failure: never lose the item
            logger.exception("%s: processing raised", self.name, extra=self.describe(item))
            outcome = Retry(f"{type(exc).__name__}: {exc}")
        with self.db.session(write=True) as session:
            self._record(session, item, claim, attempts, outcome)
        if isinstance(outcome, Retry):
            return True
        self._failure_streak = 0
        self._paused_until = None
        return False

    def _record(
        self, session: Session, item: Row[Any], claim: str, attempts: int, outcome: Outcome
    ) -> None:
        """Write one item's outcome in ``session`` (see the module doc, step 2)."""
        queue = self.queue
        if isinstance(outcome, Done):
            recorded = queue.mark_done(session, item.id, claim, attempts=attempts,
                                       status=outcome.status, values=outcome.values)
        elif isinstance(outcome, Park):
            recorded = queue.park(session, item.id, claim, attempts=attempts,
                                  error=outcome.reason, now=utcnow())
            logger.error("%s: item refused, parked as a dead letter", self.name,
                         extra={**self.describe(item), "attempts": attempts,
                                "error": outcome.reason})
        else:
            retry_at = self._schedule_retry(attempts)
            recorded = queue.reschedule(session, item.id, claim, attempts=attempts,
                                        error=outcome.reason, next_attempt_at=retry_at)
            logger.warning("%s: attempt failed, will retry", self.name,
                           extra={**self.describe(item), "attempts": attempts,
                                  "retry_at": retry_at.isoformat(),
                                  "error": outcome.reason})
        if not recorded:
            logger.warning("%s: outcome came after the claim was lost", self.name,
                           extra=self.describe(item))

    def _schedule_retry(self, attempts: int) -> datetime:
        """When the failed item is due again; with ``pause_on_retry``, also pause the worker.

        One jitter draw serves both delays, so a first failure pauses the worker exactly
        until its item is due again.
        """
        now = utcnow()
        jitter = random.random()
        retry_at = now + self.backoff(attempts, jitter=jitter)
        if self.pause_on_retry:
            self._failure_streak += 1
            self._paused_until = now + self.backoff(self._failure_streak, jitter=jitter)
        return retry_at

    def _release(self, items: Sequence[Row[Any]], claim: str, *, not_before: datetime) -> None:
        if not items:
            return
        with self.db.session(write=True) as session:
            self.queue.release(session, [i.id for i in items], claim, not_before=not_before)
