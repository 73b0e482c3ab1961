"""The shared queue worker: dead letters, per-event back-off, the lease rule, the operator CLI."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mubayiro.common.app import create_service_app
from mubayiro.common.cli import (
    OperatorError,
    discard_dead_letter,
    list_dead_letters,
    retry_dead_letters,
    run_service_cli,
)
from mubayiro.common.db import make_metadata, utcnow
from mubayiro.common.events import EventPublisher, OutboxDispatcher, outbox_queue, outbox_table
from mubayiro.common.logs import current_request_id
from mubayiro.common.queue import Done, QueueWorker, Retry
from mubayiro.common.settings import ServiceSettings
from mubayiro.common.testing import TestKeys, one_event_at_a_time, wait_until

metadata = make_metadata()
outbox = outbox_table(metadata)
QUEUES = (outbox_queue(outbox),)


@pytest.fixture
def db(tables_database):
    return tables_database(metadata, "queue.db")


def _publisher() -> EventPublisher:
    return EventPublisher(outbox, source="test", routes={"points.earned": ["notifications"]},
                          endpoints={"notifications": "http://notifications.test"})


class Subscriber:
    """A subscriber's ``/internal/events`` that refuses payloads it cannot take (422)."""

    def __init__(self, max_points: int = 100):
        self.max_points = max_points
        self.received: list[tuple[int, float]] = []  # (n, when) of every accepted event
        self.answers: dict[int, list[int]] = {}  # scripted statuses for event n, in order

    def __call__(self, request: httpx.Request) -> httpx.Response:
        data = json.loads(request.content)["data"]
        scripted = self.answers.get(data["n"])
        if scripted:
            return httpx.Response(scripted.pop(0), json={"detail": "scripted"})
        if data["points"] > self.max_points:
            return httpx.Response(422, json={"detail": "points: too many",
                                             "error": "InvalidEventPayload"})
        self.received.append((data["n"], time.monotonic()))
        return httpx.Response(200, json={"status": "processed"})


def _dispatcher(db, subscriber, **kw) -> OutboxDispatcher:
    kw.setdefault("retry_base_seconds", 0.05)
    kw.setdefault("max_backoff_seconds", 0.2)
    return OutboxDispatcher(db, _publisher(), token_provider=None,
                            transport=httpx.MockTransport(one_event_at_a_time(subscriber)), **kw)


def _emit(db, publisher, n: int, points: int = 5) -> str:
    with db.session() as s:
        return publisher.emit(s, "points.earned", {"n": n, "points": points})


def _rows(db):
    with db.session(write=False) as s:
        return list(s.execute(select(outbox).order_by(outbox.c.id)))


def test_a_refused_event_is_parked_and_every_later_event_is_delivered_on_time(db):
    subscriber = Subscriber(max_points=100)
    dispatcher = _dispatcher(db, subscriber, poll_seconds=0.05)
    publisher = dispatcher.publisher
    dispatcher.start()
    try:
        _emit(db, publisher, 0, points=10**9)  # the poison: refused with 422
        sent_at = {}
        for n in range(1, 21):
            sent_at[n] = time.monotonic()
            _emit(db, publisher, n)
        wait_until(lambda: len(subscriber.received) == 20, timeout=10,
                   message="every later event delivered")
    finally:
        dispatcher.stop()

    assert [n for n, _ in subscriber.received] == list(range(1, 21))
    # On time: each within a second of its commit, not behind the refused one's retries.
    assert all(when - sent_at[n] < 1.0 for n, when in subscriber.received)
    poison, *rest = _rows(db)
    assert (poison.status, poison.attempts) == ("dead", 1)
    assert poison.parked_at is not None and "422" in poison.last_error
    assert all(r.status == "delivered" and r.attempts == 1 for r in rest)


def test_dead_letter_is_listed_retried_after_a_fix_and_delivered(db):
    subscriber = Subscriber(max_points=100)
    dispatcher = _dispatcher(db, subscriber)
    event_id = _emit(db, dispatcher.publisher, 1, points=500)
    dispatcher.deliver_due()

    [letter] = list_dead_letters(db, QUEUES)
    assert letter["queue"] == "events" and letter["event_id"] == event_id
    assert letter["event_type"] == "points.earned" and letter["destination"] == "notifications"
    assert letter["attempts"] == 1 and "422" in letter["last_error"]

    subscriber.max_points = 1000  # the consumer is fixed
    assert retry_dead_letters(db, QUEUES, letter["id"]) == 1
    dispatcher.deliver_due()

    assert [n for n, _ in subscriber.received] == [1]
    [row] = _rows(db)
    assert (row.status, row.attempts, row.parked_at) == ("delivered", 2, None)
    assert list_dead_letters(db, QUEUES) == []
    with pytest.raises(OperatorError, match="not a dead letter"):
        retry_dead_letters(db, QUEUES, row.id)  # delivered: nothing to retry


def test_dead_letter_is_discarded_and_never_sent_or_purged_early(db):
    subscriber = Subscriber(max_points=100)
    dispatcher = _dispatcher(db, subscriber)
    _emit(db, dispatcher.publisher, 1, points=500)
    _emit(db, dispatcher.publisher, 2, points=600)
    dispatcher.deliver_due()
    first, second = list_dead_letters(db, QUEUES)

    discard_dead_letter(db, QUEUES, first["id"])
    with pytest.raises(OperatorError):
        discard_dead_letter(db, QUEUES, first["id"])  # already discarded
    subscriber.max_points = 1000
    assert retry_dead_letters(db, QUEUES, None) == 1  # --all: only the one still parked
    dispatcher.deliver_due()

    assert [n for n, _ in subscriber.received] == [2]
    assert [r.status for r in _rows(db)] == ["discarded", "delivered"]
    assert dispatcher.purge_delivered() == 0  # both are recent
    dispatcher.stop()


def test_cli_lists_retries_and_discards_dead_letters(db, tmp_path, capsys):
    subscriber = Subscriber(max_points=100)
    dispatcher = _dispatcher(db, subscriber)
    for n in (1, 2, 3):
        _emit(db, dispatcher.publisher, n, points=500)
    dispatcher.deliver_due()
    dispatcher.stop()
    settings = ServiceSettings(service_name="test", data_dir=tmp_path, environment="test")
    settings = settings.model_copy(update={"database_url": str(db.engine.url)})

    def cli(*argv: str) -> int:
        return run_service_cli("test", settings_factory=lambda: settings, alembic_ini=None,
                               queues=QUEUES, argv=list(argv))

    assert cli("outbox", "list") == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[-1] == "3 dead letter(s)"
    assert all(line.startswith("events\t") and "HTTP 422" in line for line in listing[:3])
    ids = [int(line.split("\t")[1]) for line in listing[:3]]

    assert cli("outbox", "retry", str(ids[0])) == 0
    assert cli("outbox", "discard", str(ids[1])) == 0
    assert cli("outbox", "discard", "999") == 1
    assert "999 is not a dead letter" in capsys.readouterr().err
    assert cli("outbox", "retry", "--all") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 dead letter(s) put back in line"
    assert [r.status for r in _rows(db)] == ["pending", "discarded", "pending"]
    assert cli("outbox", "retry") == 1  # neither an id nor --all
    assert "give either an id or --all" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # argparse: not one of this service's queues
        cli("outbox", "list", "--queue", "nope")


def test_transient_failures_are_retried_per_event_with_growing_back_off(db):
    subscriber = Subscriber()
    subscriber.answers[1] = [503, 500, 429, 408]
    dispatcher = _dispatcher(db, subscriber, retry_base_seconds=10, max_backoff_seconds=1000)
    publisher = dispatcher.publisher
    _emit(db, publisher, 1)
    _emit(db, publisher, 2)
    delays = []
    for _ in range(4):
        before = utcnow()
        dispatcher.deliver_due()
        row = _rows(db)[0]
        delays.append((row.next_attempt_at - before).total_seconds())
        assert row.status == "pending" and row.last_error.startswith("HTTP ")
        with db.session() as s:  # the back-off has passed
            s.execute(outbox.update().where(outbox.c.id == row.id)
                      .values(next_attempt_at=utcnow()))
    dispatcher.deliver_due()
    dispatcher.stop()

    # 10 s × 2^(n−1), ±20 %: each retry waits about twice as long as the one before.
    for n, delay in enumerate(delays, start=1):
        assert 10 * 2 ** (n - 1) * 0.8 - 1 <= delay <= 10 * 2 ** (n - 1) * 1.2 + 1
    # Event 2 went out in the first round, while event 1 was backing off.
    assert [n for n, _ in subscriber.received] == [2, 1]
    first = _rows(db)[0]
    assert (first.status, first.attempts, first.last_error) == ("delivered", 5, None)


def test_401_refetches_the_token_and_retries_instead_of_parking(db):
    subscriber = Subscriber()
    subscriber.answers[1] = [401]
    dispatcher = _dispatcher(db, subscriber)
    _emit(db, dispatcher.publisher, 1)
    dispatcher.deliver_due()
    dispatcher.stop()

    [row] = _rows(db)
    assert row.status == "pending" and "401" in row.last_error


class SlowWorker(QueueWorker):
    """A worker whose every item takes ``seconds``; records what it processed."""

    name = "slow"

    def __init__(self, db, seconds: float, **kw):
        super().__init__(db, outbox_queue(outbox), **kw)
        self.seconds = seconds
        self.processed: list[int] = []

    def process(self, item):
        time.sleep(self.seconds)
        self.processed.append(item.id)
        return Done(values={"delivered_at": utcnow()})


def test_a_round_stops_before_its_lease_could_run_out(db):
    publisher = _publisher()
    for n in range(10):
        _emit(db, publisher, n)
    # Lease 1.5 s, items may take 0.3 s, margin 1 s: only the first ~0.2 s may start items.
    worker = SlowWorker(db, 0.1, batch_size=10, lease_seconds=1.5, item_timeout_seconds=0.3)

    started = time.monotonic()
    more = worker.process_due()
    elapsed = time.monotonic() - started

    assert more is True  # the rest is due at once
    assert 1 <= len(worker.processed) <= 4
    assert elapsed < 1.5  # every started item finished inside the lease
    rows = _rows(db)
    untried = [r for r in rows if r.id not in worker.processed]
    assert all(r.status == "pending" and r.claim is None and r.attempts == 0 for r in untried)
    assert all(r.next_attempt_at <= utcnow() for r in untried)
    while worker.process_due():
        pass
    assert sorted(worker.processed) == [r.id for r in rows]


def test_a_lease_shorter_than_one_item_is_refused(db):
    with pytest.raises(ValueError, match="lease_seconds"):
        SlowWorker(db, 0, lease_seconds=5, item_timeout_seconds=5)
    with pytest.raises(ValueError, match="lease_seconds"):
        OutboxDispatcher(db, _publisher(), token_provider=None, timeout=30)


class FlakyWorker(QueueWorker):
    """A single-downstream worker (``pause_on_retry``) where item ``bad`` always fails."""

    name = "flaky"

    def __init__(self, db, bad: set[int], **kw):
        super().__init__(db, outbox_queue(outbox), pause_on_retry=True, **kw)
        self.bad = bad
        self.calls: list[int] = []

    def process(self, item):
        self.calls.append(item.id)
        if item.id in self.bad:
            return Retry("HTTP 500: this one item breaks the peer")
        return Done(values={"delivered_at": utcnow()})


def test_one_failing_item_does_not_hold_a_paused_queue(db):
    publisher = _publisher()
    for n in range(3):  # ids 1, 2, 3
        _emit(db, publisher, n)
    worker = FlakyWorker(db, bad={1}, retry_base_seconds=0.05, max_backoff_seconds=5)

    worker.process_due()  # item 1 fails first: the queue pauses, 2 and 3 given back
    wait_until(lambda: worker.process_due() or len(worker.calls) >= 3, timeout=5)
    for n in range(3, 8):  # ids 4–8: later items keep flowing while item 1 keeps failing
        _emit(db, publisher, n)
    wait_until(lambda: (worker.process_due() or True)
               and {r.id for r in _rows(db) if r.status == "delivered"} == set(range(2, 9)),
               timeout=10, message="every item but the failing one delivered")

    assert worker.calls[:2] == [1, 2]  # the items given back went before the failed one
    assert [r.status for r in _rows(db)][0] == "pending"


class RequestIdWorker(QueueWorker):
    """Records the request id each item is processed under (what a peer would be sent)."""

    name = "request-ids"

    def __init__(self, db):
        super().__init__(db, outbox_queue(outbox))
        self.seen: list[str | None] = []

    def process(self, item):
        self.seen.append(current_request_id())
        return Done(values={"delivered_at": utcnow()})


def test_each_attempt_has_its_own_request_id_for_logs_and_peers(db):
    publisher = _publisher()
    for n in range(2):
        _emit(db, publisher, n)
    worker = RequestIdWorker(db)

    worker.process_due()

    first, second = worker.seen
    assert first and second and first != second
    assert current_request_id() is None  # not left behind on the worker's thread


def test_readyz_reports_dead_letters_without_failing(tmp_path):
    settings = ServiceSettings(service_name="svc", data_dir=tmp_path, environment="test")
    app = create_service_app(settings, title="t", description="t", alembic_ini=None,
                             token_verifier=TestKeys().verifier(), routers=[], queues=QUEUES)
    database = app.state.database
    metadata.create_all(database.engine)
    subscriber = Subscriber(max_points=1)
    dispatcher = _dispatcher(database, subscriber)
    for n in range(3):
        _emit(database, dispatcher.publisher, n, points=5)
    dispatcher.deliver_due()
    dispatcher.stop()

    with TestClient(app) as client:
        resp = client.get("/readyz")

    assert resp.status_code == 200
    assert resp.json() == {"status": "ready", "service": "svc", "database": "ok",
                           "dead_letters": 3}


def test_backoff_with_the_same_jitter_is_the_same_delay(db):
    worker = SlowWorker(db, 0, retry_base_seconds=1, max_backoff_seconds=30)
    assert worker.backoff(3, jitter=0.5) == worker.backoff(3, jitter=0.5) == timedelta(seconds=4)
