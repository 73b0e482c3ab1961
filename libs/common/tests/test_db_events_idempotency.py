"""Database settings, the outbox dispatcher and the event consumer.

Idempotency and the request's sessions are in test_sessions_idempotency.py."""

import json
import sqlite3
import threading
from datetime import timedelta
from types import SimpleNamespace

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Column, Integer, String, Table, event, func, insert, select, text

from mubayiro.common.app import create_service_app
from mubayiro.common.db import Database, make_metadata, utcnow
from mubayiro.common.events import (
    MAX_EVENT_BATCH_BYTES,
    MAX_EVENTS_PER_BATCH,
    OUTBOX_PENDING,
    EventPublisher,
    InvalidEventPayload,
    OutboxDispatcher,
    batch_chunks,
    events_router,
    outbox_table,
    processed_event_table,
)
from mubayiro.common.settings import ServiceSettings
from mubayiro.common.testing import TestKeys, one_event_at_a_time, run_concurrently, wait_until

metadata = make_metadata()
outbox = outbox_table(metadata)
processed = processed_event_table(metadata)
note = Table("note", metadata, Column("id", Integer, primary_key=True), Column("text", String(50)))


def pending_count(database: Database, table: Table) -> int:
    """How many outbox rows are still owed to a subscriber (what these tests wait for)."""
    with database.session(write=False) as s:
        return int(s.scalar(
            select(func.count()).select_from(table).where(table.c.status == OUTBOX_PENDING)
        ) or 0)


@pytest.fixture
def db(tables_database):
    return tables_database(metadata, "test.db")


def test_sqlite_runs_in_wal_with_full_sync_and_foreign_keys(db):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000


def test_session_rolls_back_on_error(db):
    with pytest.raises(RuntimeError), db.session() as s:
        s.execute(insert(note).values(text="lost"))
        raise RuntimeError("boom")
    with db.session(write=False) as s:
        assert s.scalar(select(func.count()).select_from(note)) == 0


def test_concurrent_read_then_write_transactions_do_not_fail(db):
    """BEGIN IMMEDIATE: 20 threads each read then write; none hits SQLITE_BUSY."""
    with db.session() as s:
        s.execute(insert(note).values(id=1, text="0"))
    errors = []

    def bump():
        try:
            with db.session(write=True) as s:
                current = int(s.scalar(select(note.c.text).where(note.c.id == 1)))
                s.execute(note.update().where(note.c.id == 1).values(text=str(current + 1)))
        except Exception as exc:  # pragma: no cover - the assertion shows it
            errors.append(exc)

    run_concurrently(*[bump] * 20)
    assert errors == []
    with db.session(write=False) as s:
        assert s.scalar(select(note.c.text)) == "20"


def _publisher(url="http://sub"):
    return EventPublisher(outbox, source="test", routes={"thing.happened": ["sub", "absent"]},
                          endpoints={"sub": url, "absent": None})


def test_emit_writes_rows_only_for_deployed_subscribers_and_only_on_commit(db):
    pub = _publisher()
    with pytest.raises(RuntimeError), db.session() as s:
        pub.emit(s, "thing.happened", {"n": 1})
        raise RuntimeError("rolled back")
    assert pending_count(db, outbox) == 0
    with db.session() as s:
        pub.emit(s, "thing.happened", {"n": 2})
        pub.emit(s, "other.event", {"n": 3})
    assert pending_count(db, outbox) == 1
    assert pub.wakeup.is_set()


def test_dispatcher_retries_until_the_subscriber_acknowledges(db):
    pub = _publisher()
    answers = iter([503, 500, 200])
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append((request.url.path, request.headers["authorization"], body))
        return httpx.Response(next(answers), json={})

    dispatcher = OutboxDispatcher(db, pub, token_provider=lambda: "tok", max_backoff_seconds=0.01,
                                  transport=httpx.MockTransport(one_event_at_a_time(handler)))
    with db.session() as s:
        event_id = pub.emit(s, "thing.happened", {"n": 1})
    for _ in range(3):
        wait_until(lambda: dispatcher.deliver_due() or True, timeout=2)
        with db.session() as s:  # make the row due again without waiting for the backoff
            s.execute(outbox.update().values(next_attempt_at=utcnow()))
    assert pending_count(db, outbox) == 0
    assert len(seen) == 3
    path, auth, body = seen[-1]
    assert path == "/internal/events/batch" and auth == "Bearer tok"
    assert body["id"] == event_id and body["type"] == "thing.happened" and body["data"] == {"n": 1}
    with db.session(write=False) as s:
        row = s.execute(select(outbox)).one()
    assert row.attempts == 3 and row.delivered_at is not None and row.last_error is None


def test_dispatcher_thread_delivers_soon_after_commit(db):
    delivered = threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        delivered.set()
        return httpx.Response(200, json={})

    pub = _publisher()
    dispatcher = OutboxDispatcher(db, pub, token_provider=None, poll_seconds=30,
                                  transport=httpx.MockTransport(one_event_at_a_time(handler)))
    dispatcher.start()
    try:
        with db.session() as s:
            pub.emit(s, "thing.happened", {"n": 1})
        assert delivered.wait(5), "the commit should wake the dispatcher"
        wait_until(lambda: pending_count(db, outbox) == 0, timeout=5)
    finally:
        dispatcher.stop()


def _consumer_app(tmp_path, keys, handled):
    settings = ServiceSettings(service_name="consumer", data_dir=tmp_path, environment="test")

    def on_thing(session, envelope):
        handled.append(envelope.id)
        session.execute(insert(note).values(text=str(envelope.data["n"])))

    app = create_service_app(settings, title="t", description="t", alembic_ini=None,
                             token_verifier=keys.verifier(),
                             routers=[events_router({"thing.happened": on_thing}, processed)])
    metadata.create_all(app.state.database.engine)
    return app


def test_consumer_processes_each_event_once_and_needs_a_service_token(tmp_path):
    keys, handled = TestKeys(), []
    app = _consumer_app(tmp_path, keys, handled)
    envelope = {"id": "e-1", "type": "thing.happened", "source": "x",
                "occurred_at": "2026-11-24T00:00:00Z", "data": {"n": 5}}
    with TestClient(app) as client:
        svc = {"Authorization": f"Bearer {keys.service_token()}"}
        assert client.post("/internal/events", json=envelope).status_code == 401
        business = {"Authorization": f"Bearer {keys.business_token(1)}"}
        assert client.post("/internal/events", json=envelope, headers=business).status_code == 401
        first = client.post("/internal/events", json=envelope, headers=svc)
        again = client.post("/internal/events", json=envelope, headers=svc)
        unknown = client.post("/internal/events", json={**envelope, "id": "e-2", "type": "x.y"},
                              headers=svc)
    assert first.json() == {"status": "processed"}
    assert again.json() == {"status": "duplicate"}
    assert unknown.json() == {"status": "ignored"}
    assert handled == ["e-1"]
    with app.state.database.session(write=False) as s:
        assert s.scalar(select(func.count()).select_from(note)) == 1


def test_delivered_rows_are_purged_after_the_retention_period(db):
    pub = _publisher()
    dispatcher = OutboxDispatcher(db, pub, token_provider=None, retention_seconds=3600,
                                  transport=httpx.MockTransport(
                                      one_event_at_a_time(lambda r: httpx.Response(200))))
    with db.session() as s:
        pub.emit(s, "thing.happened", {"n": 1})
        pub.emit(s, "thing.happened", {"n": 2})
        pub.emit(s, "thing.happened", {"n": 3})
    dispatcher.deliver_due()
    with db.session() as s:  # one delivered long ago, one just now, one still pending
        ids = list(s.scalars(select(outbox.c.id).order_by(outbox.c.id)))
        s.execute(outbox.update().where(outbox.c.id == ids[0]).values(
            delivered_at=utcnow() - timedelta(hours=2)))
        s.execute(outbox.update().where(outbox.c.id == ids[2]).values(delivered_at=None))
    assert dispatcher.purge_delivered() == 1
    with db.session(write=False) as s:
        assert list(s.scalars(select(outbox.c.id).order_by(outbox.c.id))) == ids[1:]
    dispatcher.stop()


def _outbox_rows(database: Database) -> dict[int, tuple[str, int]]:
    """Each row's ``n`` → (status, attempts)."""
    with database.session(write=False) as s:
        return {json.loads(r.envelope)["data"]["n"]: (r.status, r.attempts)
                for r in s.execute(select(outbox))}


def test_due_events_go_in_one_batch_request_and_each_is_judged_on_its_own(db):
    pub = _publisher()
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        results = []
        for envelope in json.loads(request.content)["events"]:
            n = envelope["data"]["n"]
            if n == 2:
                results.append({"id": envelope["id"], "status": "refused", "status_code": 422,
                                "detail": "points: too many"})
            elif n == 3:
                results.append({"id": envelope["id"], "status": "failed", "status_code": 500,
                                "detail": "OperationalError"})
            elif n != 4:  # 4 is left out of the answer: it is owed still
                results.append({"id": envelope["id"],
                                "status": "duplicate" if n == 5 else "processed"})
        return httpx.Response(200, json={"results": results})

    with db.session() as s:
        for n in range(1, 7):
            pub.emit(s, "thing.happened", {"n": n})
    dispatcher = OutboxDispatcher(db, pub, token_provider=lambda: "tok",
                                  transport=httpx.MockTransport(handler))
    dispatcher.deliver_due()

    assert len(requests) == 1
    assert requests[0].url.path == "/internal/events/batch"
    assert requests[0].headers["authorization"] == "Bearer tok"
    assert _outbox_rows(db) == {
        1: ("delivered", 1), 2: ("dead", 1), 3: ("pending", 1), 4: ("pending", 1),
        5: ("delivered", 1), 6: ("delivered", 1),
    }
    with db.session(write=False) as s:
        dead = s.execute(select(outbox).where(outbox.c.status == "dead")).one()
    assert dead.last_error == "HTTP 422: points: too many"
    dispatcher.stop()


def test_an_idle_poll_reads_and_never_waits_for_the_write_lock(tmp_path):
    path = tmp_path / "idle.db"
    database = Database(f"sqlite:///{path}", busy_timeout_ms=200)
    metadata.create_all(database.engine)
    dispatcher = OutboxDispatcher(database, _publisher(), token_provider=lambda: "tok",
                                  transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        assert dispatcher.deliver_due() is False  # a write claim would fail: "locked"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        dispatcher.stop()
        database.dispose()


def test_subscribers_are_sent_to_at_the_same_time(db):
    # Each handler waits until the other subscriber has been called: only deliveries made
    # at the same time both succeed (one after the other, the first would wait in vain).
    pub = EventPublisher(outbox, source="test", routes={"thing.happened": ["a", "b"]},
                         endpoints={"a": "http://a", "b": "http://b"})
    called = {"a": threading.Event(), "b": threading.Event()}

    def handler(request: httpx.Request) -> httpx.Response:
        me = request.url.host
        called[me].set()
        other = called["b" if me == "a" else "a"]
        if not other.wait(timeout=5):
            return httpx.Response(503, json={"detail": "the other subscriber was not called"})
        events = json.loads(request.content)["events"]
        return httpx.Response(200, json={"results": [
            {"id": e["id"], "status": "processed"} for e in events]})

    with db.session() as s:
        pub.emit(s, "thing.happened", {"n": 1})
    dispatcher = OutboxDispatcher(db, pub, token_provider=lambda: "tok",
                                  transport=httpx.MockTransport(handler))
    dispatcher.deliver_due()
    dispatcher.stop()
    with db.session(write=False) as s:
        statuses = sorted(s.execute(select(outbox.c.destination, outbox.c.status)).all())
    assert statuses == [("a", "delivered"), ("b", "delivered")]


@pytest.mark.parametrize(("answer", "status"), [(503, "pending"), (401, "pending"),
                                                (422, "dead")])
def test_a_whole_batch_answer_is_judged_for_every_event_in_it(db, answer, status):
    pub = _publisher()
    with db.session() as s:
        for n in range(1, 4):
            pub.emit(s, "thing.happened", {"n": n})
    dispatcher = OutboxDispatcher(
        db, pub, token_provider=None,
        transport=httpx.MockTransport(lambda r: httpx.Response(answer, json={"detail": "x"})))
    dispatcher.deliver_due()
    assert _outbox_rows(db) == {n: (status, 1) for n in range(1, 4)}
    dispatcher.stop()


def test_a_backlog_heavier_than_one_request_reaches_a_real_consumer(db, tmp_path):
    # After an outage a round's events to one subscriber outweigh the usual 64 KiB request
    # limit (300 earns are about 100 KiB): the consumer's batch route takes up to
    # MAX_EVENT_BATCH_BYTES, the dispatcher cuts the round to fit, and nothing is parked.
    keys, handled = TestKeys(), []
    (tmp_path / "consumer").mkdir()
    app = _consumer_app(tmp_path / "consumer", keys, handled)
    pub = _publisher()
    with db.session() as s:
        for n in range(1, 301):
            pub.emit(s, "thing.happened", {"n": n, "note": "x" * 4000})
    sizes: list[int] = []
    with TestClient(app) as client:
        def forward(request: httpx.Request) -> httpx.Response:
            sizes.append(len(request.content))
            answer = client.post(request.url.path, content=request.content,
                                 headers=dict(request.headers))
            return httpx.Response(answer.status_code, content=answer.content,
                                  headers=answer.headers)

        dispatcher = OutboxDispatcher(db, pub, token_provider=keys.service_token,
                                      batch_size=300, transport=httpx.MockTransport(forward))
        dispatcher.deliver_due()
        dispatcher.stop()
    assert _outbox_rows(db) == {n: ("delivered", 1) for n in range(1, 301)}
    assert len(handled) == 300
    assert len(sizes) == 2 and all(64 * 1024 < size <= MAX_EVENT_BATCH_BYTES for size in sizes)


def test_a_request_too_large_for_the_subscriber_is_sent_again_in_halves(db):
    # A subscriber whose limit is lower than the dispatcher's (413 for the request): its
    # events are not refused, so the batch is halved until it fits. Only an event too
    # large on its own is parked.
    pub = _publisher()
    sent: list[list[int]] = []

    def small_limit(request: httpx.Request) -> httpx.Response:
        events = json.loads(request.content)["events"]
        sent.append([e["data"]["n"] for e in events])
        if len(request.content) > 2500:
            return httpx.Response(413, json={"detail": "Request body larger than 2500 bytes"})
        return httpx.Response(200, json={"results": [
            {"id": e["id"], "status": "processed"} for e in events]})

    with db.session() as s:
        for n in range(1, 7):
            pub.emit(s, "thing.happened", {"n": n, "note": "x" * (3000 if n == 6 else 10)})
    dispatcher = OutboxDispatcher(db, pub, token_provider=None,
                                  transport=httpx.MockTransport(small_limit))
    dispatcher.deliver_due()
    dispatcher.stop()
    assert sent == [[1, 2, 3, 4, 5, 6], [1, 2, 3], [4, 5, 6], [4], [5, 6], [5], [6]]
    assert _outbox_rows(db) == {**{n: ("delivered", 1) for n in range(1, 6)}, 6: ("dead", 1)}


def test_batches_are_cut_by_count_and_by_bytes():
    def rows(*sizes: int) -> list:
        return [SimpleNamespace(id=n, envelope="x" * size) for n, size in enumerate(sizes)]

    def ids(chunks: list) -> list[list[int]]:
        return [[row.id for row in chunk] for chunk in chunks]

    assert ids(batch_chunks(rows(*[10] * (MAX_EVENTS_PER_BATCH + 1)))) == [
        list(range(MAX_EVENTS_PER_BATCH)), [MAX_EVENTS_PER_BATCH]]
    half = MAX_EVENT_BATCH_BYTES // 2
    assert ids(batch_chunks(rows(half, half, 10, MAX_EVENT_BATCH_BYTES * 2, 10))) == [
        [0], [1, 2], [3], [4]]
    assert batch_chunks([]) == []


def test_a_subscriber_without_the_batch_route_gets_the_events_one_by_one(db):
    pub = _publisher()
    paths: list[str] = []

    def older_subscriber(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path != "/internal/events":
            return httpx.Response(404, json={"detail": "Not Found"})
        return httpx.Response(200, json={"status": "processed"})

    with db.session() as s:
        for n in range(1, 4):
            pub.emit(s, "thing.happened", {"n": n})
    dispatcher = OutboxDispatcher(db, pub, token_provider=None,
                                  transport=httpx.MockTransport(older_subscriber))
    dispatcher.deliver_due()
    assert paths == ["/internal/events/batch"] + ["/internal/events"] * 3
    assert _outbox_rows(db) == {n: ("delivered", 1) for n in range(1, 4)}
    dispatcher.stop()


def test_a_batch_is_one_transaction_where_each_event_stands_alone(tmp_path):
    keys, handled = TestKeys(), []
    settings = ServiceSettings(service_name="consumer", data_dir=tmp_path, environment="test")

    def on_thing(session, envelope):
        handled.append(envelope.id)
        session.execute(insert(note).values(text=str(envelope.data["n"])))
        if envelope.data["n"] > 100:
            raise InvalidEventPayload("points: too many")
        if envelope.data["n"] == 13:
            raise RuntimeError("a bug")

    app = create_service_app(settings, title="t", description="t", alembic_ini=None,
                             token_verifier=keys.verifier(),
                             routers=[events_router({"thing.happened": on_thing}, processed)])
    metadata.create_all(app.state.database.engine)

    def envelope(event_id, n, type_="thing.happened"):
        return {"id": event_id, "type": type_, "source": "x",
                "occurred_at": "2026-11-24T00:00:00Z", "data": {"n": n}}

    batch = {"events": [
        envelope("e-1", 5), {"id": "e-bad", "type": "thing.happened"}, envelope("e-2", 500),
        envelope("e-3", 13), envelope("e-1", 5), envelope("e-4", 1, "x.y"), envelope("e-5", 6),
    ]}
    svc = {"Authorization": f"Bearer {keys.service_token()}"}
    with TestClient(app, raise_server_exceptions=False) as client:
        anonymous = client.post("/internal/events/batch", json=batch)
        empty = client.post("/internal/events/batch", json={"events": []}, headers=svc)
        answer = client.post("/internal/events/batch", json=batch, headers=svc)
        again = client.post("/internal/events/batch", json={"events": [envelope("e-5", 6)]},
                            headers=svc)

    assert anonymous.status_code == 401 and empty.status_code == 422
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [(r["id"], r["status"], r.get("status_code")) for r in results] == [
        ("e-1", "processed", None), ("e-bad", "refused", 422), ("e-2", "refused", 422),
        ("e-3", "failed", 500), ("e-1", "duplicate", None), ("e-4", "ignored", None),
        ("e-5", "processed", None),
    ]
    assert "occurred_at" in results[1]["detail"] and "source" in results[1]["detail"]
    assert again.json() == {"results": [{"id": "e-5", "status": "duplicate"}]}
    with app.state.database.session(write=False) as s:
        assert sorted(s.scalars(select(note.c.text))) == ["5", "6"]
        assert sorted(s.scalars(select(processed.c.event_id))) == ["e-1", "e-4", "e-5"]


@pytest.mark.parametrize("failing", [None, 3], ids=["all-succeed", "third-raises"])
def test_a_batch_takes_savepoints_only_when_a_handler_raised(tmp_path, failing):
    """The first pass runs the batch without savepoints; only a handler's error makes it
    roll back and run each event in its own (the events module's doc)."""
    keys, handled, statements = TestKeys(), [], []
    settings = ServiceSettings(service_name="consumer", data_dir=tmp_path, environment="test")

    def on_thing(session, envelope):
        handled.append(envelope.data["n"])
        session.execute(insert(note).values(text=str(envelope.data["n"])))
        if envelope.data["n"] == failing:
            raise InvalidEventPayload("n: not this one")

    app = create_service_app(settings, title="t", description="t", alembic_ini=None,
                             token_verifier=keys.verifier(),
                             routers=[events_router({"thing.happened": on_thing}, processed)])
    engine = app.state.database.engine
    metadata.create_all(engine)
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, sql, *_: statements.append(sql.split()[0].upper()))
    batch = {"events": [{"id": f"e-{n}", "type": "thing.happened", "source": "x",
                         "occurred_at": "2026-11-24T00:00:00Z", "data": {"n": n}}
                        for n in range(1, 6)]}
    svc = {"Authorization": f"Bearer {keys.service_token()}"}
    with TestClient(app) as client:
        answer = client.post("/internal/events/batch", json=batch, headers=svc)

    assert answer.status_code == 200, answer.text
    statuses = [r["status"] for r in answer.json()["results"]]
    with app.state.database.session(write=False) as s:
        notes = sorted(s.scalars(select(note.c.text)))
        seen = sorted(s.scalars(select(processed.c.event_id)))
    if failing is None:
        assert handled == [1, 2, 3, 4, 5] and "SAVEPOINT" not in statements
        assert statuses == ["processed"] * 5
        assert notes == ["1", "2", "3", "4", "5"] and len(seen) == 5
    else:
        # The first pass stopped at the third event and was rolled back; the second ran
        # all five, each in a savepoint, and kept all but the refused one.
        assert handled == [1, 2, 3, 1, 2, 3, 4, 5] and statements.count("SAVEPOINT") == 5
        assert statuses == ["processed", "processed", "refused", "processed", "processed"]
        assert notes == ["1", "2", "4", "5"] and seen == ["e-1", "e-2", "e-4", "e-5"]
