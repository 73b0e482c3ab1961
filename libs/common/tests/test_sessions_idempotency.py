"""The request's declared sessions (deps) and the ``@idempotent`` route decorator, through
a real app over ASGI on a real SQLite file."""

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import anyio
import pytest
from fastapi import APIRouter, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Column, Integer, String, Table, event, func, insert, select

from mubayiro.common.app import create_service_app
from mubayiro.common.db import make_metadata, utcnow
from mubayiro.common.deps import (
    SQLITE_SESSION_SLOTS,
    ReadSession,
    SeparateTransactions,
    SessionRoute,
    WriteSession,
    _in_thread_to_the_end,
)
from mubayiro.common.errors import CommitThenRefuse, Conflict, NotFound
from mubayiro.common.idempotency import (
    IdempotencyInFlight,
    fingerprint,
    idempotency_table,
    idempotent,
    scope_for,
)
from mubayiro.common.security import CurrentBusiness, CurrentPrincipal, ServiceCaller
from mubayiro.common.settings import ServiceSettings
from mubayiro.common.testing import TestKeys
from mubayiro.common.tokens import Principal

metadata = make_metadata()
idem = idempotency_table(metadata)
note = Table("note", metadata, Column("id", Integer, primary_key=True),
             Column("text", String(50), unique=True))


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    extra: str | None = None


class NoteOut(BaseModel):
    id: int
    text: str


router = APIRouter(route_class=SessionRoute)
#: Set by a test to hold the ``/slow`` endpoint (or a "peer call") until released.
gates: dict[str, threading.Event] = {}
calls: list[str] = []


def _add(session, text: str) -> NoteOut:
    calls.append(text)
    new_id = session.execute(insert(note).values(text=text).returning(note.c.id)).scalar_one()
    return NoteOut(id=new_id, text=text)


@router.get("/notes/count")
def count_notes(session: ReadSession) -> dict[str, int]:
    return {"count": session.scalar(select(func.count()).select_from(note))}


@router.post("/notes/read_only_write")
def write_in_a_read_session(session: ReadSession) -> dict[str, bool]:
    session.execute(insert(note).values(text="discarded"))
    return {"ok": True}


@router.post("/notes", response_model=NoteOut, status_code=201)
@idempotent
def add_note(caller: CurrentBusiness, body: NoteIn, session: WriteSession) -> NoteOut:
    if body.text == "refuse":
        raise Conflict("refused")
    if body.text == "slow":
        gates["slow"].wait(5)
    return _add(session, body.text)


@router.post("/notes/plain")
def add_note_without_key(body: NoteIn, session: WriteSession) -> NoteOut:
    note_out = _add(session, body.text)
    if body.text.startswith("boom"):
        raise NotFound("gone after writing")
    return note_out


@router.post("/notes/keep_then_refuse")
@idempotent
def keep_then_refuse(caller: CurrentBusiness, body: NoteIn, session: WriteSession) -> NoteOut:
    _add(session, body.text)
    raise CommitThenRefuse(Conflict("kept, but refused"))


@router.post("/notes/accepted", status_code=202)
@idempotent(required=True)
def accept_note(caller: ServiceCaller, body: NoteIn, session: WriteSession,
                idempotency_key: str) -> dict[str, str]:
    _add(session, f"{body.text}:{idempotency_key}")
    return {"status": "queued"}


@router.post("/notes/after_peer", response_model=NoteOut, status_code=201)
@idempotent
def add_after_peer(caller: CurrentPrincipal, body: NoteIn, read: ReadSession,
                   session: WriteSession) -> NoteOut:
    """Reads, "calls a peer" (waits on a gate), then writes — like referrals."""
    if read.scalar(select(func.count()).select_from(note).where(note.c.text == body.text)):
        raise Conflict("already there")
    if "peer" in gates:
        gates["peer"].wait(5)
    return _add(session, body.text)


@router.post("/notes/own")
def add_in_own_transaction(body: NoteIn, own: SeparateTransactions) -> dict[str, bool]:
    with own.write() as session:
        _add(session, body.text)
    return {"ok": True}


class CountOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    count: int


class LazyCount:
    """An answer that reads the database when the response model reads it (as an ORM
    object loads an attribute it has not loaded yet)."""

    def __init__(self, session):
        self._session = session

    @property
    def count(self) -> int:
        assert self._session.in_transaction(), "read after the request's session ended"
        return self._session.scalar(select(func.count()).select_from(note))


@router.get("/notes/lazy_count", response_model=CountOut)
def lazy_count(session: ReadSession) -> LazyCount:
    session.scalar(select(1))
    return LazyCount(session)


#: The requests inside ``/notes/crowd`` now and at most, while ``gates["crowd"]`` is shut.
crowd = {"inside": 0, "most": 0}
crowd_lock = threading.Lock()


def _join_crowd() -> None:
    with crowd_lock:
        crowd["inside"] += 1
        crowd["most"] = max(crowd["most"], crowd["inside"])
    gates["crowd"].wait(5)
    with crowd_lock:
        crowd["inside"] -= 1


@router.get("/notes/crowd")
def read_in_a_crowd(session: ReadSession) -> dict[str, bool]:
    _join_crowd()
    return {"ok": True}


@router.post("/notes/crowd")
def write_in_a_crowd(session: WriteSession) -> dict[str, bool]:
    _join_crowd()  # before its first statement: it does not hold the writer gate yet
    return {"ok": True}


@pytest.fixture
def app(tmp_path):
    settings = ServiceSettings(service_name="sessions", data_dir=tmp_path, environment="test")
    keys = TestKeys()
    app = create_service_app(settings, title="t", description="t", alembic_ini=None,
                             token_verifier=keys.verifier(), routers=[router])
    metadata.create_all(app.state.database.engine)
    app.state.keys = keys
    calls.clear()
    gates.clear()
    yield app
    app.state.database.dispose()


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


def business(app, business_id=1, key=None):
    headers = {"Authorization": f"Bearer {app.state.keys.business_token(business_id)}"}
    return {**headers, "Idempotency-Key": key} if key else headers


def notes(app) -> list[str]:
    with app.state.database.session(write=False) as s:
        return list(s.scalars(select(note.c.text).order_by(note.c.id)))


def records(app) -> list[tuple]:
    with app.state.database.session(write=False) as s:
        return [tuple(r) for r in s.execute(
            select(idem.c.scope, idem.c.key, idem.c.status_code).order_by(idem.c.id))]


# --- sessions ------------------------------------------------------------------------


@pytest.fixture
def begins(app):
    """Every BEGIN the app's engine sends, in order."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(app.state.database.engine, "before_cursor_execute", record)
    yield seen
    event.remove(app.state.database.engine, "before_cursor_execute", record)


def test_a_write_route_opens_begin_immediate_and_a_read_route_does_not(app, client, begins):
    client.post("/notes/plain", json={"text": "a"})
    assert begins == ["BEGIN IMMEDIATE"]
    begins.clear()

    assert client.get("/notes/count").json() == {"count": 1}
    assert begins == ["BEGIN DEFERRED"]


def test_a_read_route_answers_while_another_connection_holds_the_write_lock(app, client):
    client.post("/notes/plain", json={"text": "a"})
    holder = sqlite3.connect(app.state.database.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        assert client.get("/notes/count").json() == {"count": 1}
        assert time.monotonic() - started < 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_write_session_commits_on_success_and_rolls_back_on_error(app, client):
    assert client.post("/notes/plain", json={"text": "kept"}).status_code == 200
    refused = client.post("/notes/plain", json={"text": "boom"})

    assert refused.status_code == 404
    assert notes(app) == ["kept"]


def test_a_read_session_keeps_nothing(app, client):
    assert client.post("/notes/read_only_write").json() == {"ok": True}
    assert notes(app) == []


def test_commit_then_refuse_keeps_the_writes_and_answers_the_refusal(app, client):
    resp = client.post("/notes/keep_then_refuse", json={"text": "try-1"},
                       headers=business(app, key="k"))

    assert resp.status_code == 409
    assert resp.json() == {"detail": "kept, but refused", "error": "Conflict"}
    assert notes(app) == ["try-1"]
    assert records(app) == []  # a refusal stores no key, even when its writes are kept


def test_separate_transactions_commit_on_their_own(app, client):
    assert client.post("/notes/own", json={"text": "own"}).json() == {"ok": True}
    assert notes(app) == ["own"]


# --- idempotency -------------------------------------------------------------------------


def test_same_key_and_body_replay_the_first_answer_and_write_once(app, client):
    first = client.post("/notes", json={"text": "a"}, headers=business(app, key="k1"))
    again = client.post("/notes", json={"text": "a"}, headers=business(app, key="k1"))

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() == {"id": 1, "text": "a"}
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert calls == ["a"]
    assert records(app) == [("business:1 POST /notes", "k1", 201)]


def test_the_stored_status_code_is_replayed(app, client):
    svc = {"Authorization": f"Bearer {app.state.keys.service_token('svc')}",
           "Idempotency-Key": "sms-1"}
    first = client.post("/notes/accepted", json={"text": "x"}, headers=svc)
    again = client.post("/notes/accepted", json={"text": "x"}, headers=svc)

    assert first.status_code == again.status_code == 202
    assert again.headers["Idempotent-Replayed"] == "true"
    assert notes(app) == ["x:sms-1"]  # the endpoint was given the key's value
    assert records(app) == [("service:svc POST /notes/accepted", "sms-1", 202)]


def test_a_required_key_is_422_when_missing(app, client):
    svc = {"Authorization": f"Bearer {app.state.keys.service_token('svc')}"}
    resp = client.post("/notes/accepted", json={"text": "x"}, headers=svc)

    assert resp.status_code == 422
    assert notes(app) == []


def test_same_key_with_another_body_is_422_and_changes_nothing(app, client):
    client.post("/notes", json={"text": "a"}, headers=business(app, key="k1"))
    other = client.post("/notes", json={"text": "b"}, headers=business(app, key="k1"))
    unset_vs_null = client.post("/notes", json={"text": "a", "extra": None},
                                headers=business(app, key="k1"))

    assert other.status_code == unset_vs_null.status_code == 422
    assert other.json()["error"] == "IdempotencyKeyReused"
    assert notes(app) == ["a"]


def test_a_key_still_in_flight_is_409(app, client):
    body = {"text": "a"}
    with app.state.database.session() as s:  # what a first request holds while it runs
        s.execute(insert(idem).values(scope="business:1 POST /notes", key="k1",
                                      fingerprint=fingerprint(body), created_at=utcnow()))

    resp = client.post("/notes", json=body, headers=business(app, key="k1"))

    assert resp.status_code == 409
    assert resp.json()["error"] == IdempotencyInFlight.__name__
    assert notes(app) == []


def test_a_refused_request_stores_no_key(app, client):
    refused = client.post("/notes", json={"text": "refuse"}, headers=business(app, key="k1"))
    assert refused.status_code == 409
    assert records(app) == []

    fixed = client.post("/notes", json={"text": "fixed"}, headers=business(app, key="k1"))
    assert fixed.status_code == 201
    assert "Idempotent-Replayed" not in fixed.headers


def test_keys_are_scoped_to_the_caller_and_the_route(app, client):
    one = client.post("/notes", json={"text": "a"}, headers=business(app, 1, key="k"))
    two = client.post("/notes", json={"text": "b"}, headers=business(app, 2, key="k"))
    other_route = client.post("/notes/after_peer", json={"text": "c"},
                              headers=business(app, 1, key="k"))

    assert [r.status_code for r in (one, two, other_route)] == [201, 201, 201]
    assert notes(app) == ["a", "b", "c"]


def test_a_malformed_key_is_422(app, client):
    too_long = client.post("/notes", json={"text": "a"}, headers=business(app, key="k" * 256))
    unprintable = client.post("/notes", json={"text": "a"}, headers=business(app, key="a\x7fb"))

    assert too_long.status_code == unprintable.status_code == 422
    assert notes(app) == []


def test_concurrent_requests_with_one_key_write_once_and_all_get_the_answer(app, client):
    gates["slow"] = threading.Event()

    def post(_):
        return client.post("/notes", json={"text": "slow"}, headers=business(app, key="same"))

    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(post, i) for i in range(6)]
        time.sleep(0.3)  # all six are in: one holds the write lock, five wait for it
        gates["slow"].set()
        responses = [f.result() for f in futures]

    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 5
    assert calls == ["slow"]


def test_a_read_first_route_replays_before_its_checks_run(app, client):
    first = client.post("/notes/after_peer", json={"text": "a"}, headers=business(app, key="k"))
    # Without the key the check refuses: "a" is there now.
    assert client.post("/notes/after_peer", json={"text": "a"},
                       headers=business(app)).status_code == 409
    again = client.post("/notes/after_peer", json={"text": "a"}, headers=business(app, key="k"))

    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_read_first_route_holds_no_write_lock_during_its_peer_call(app, client):
    gates["peer"] = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(client.post, "/notes/after_peer", json={"text": "a"},
                              headers=business(app, key="k"))
        time.sleep(0.3)  # the route is now waiting on its "peer"
        other = sqlite3.connect(app.state.database.engine.url.database, timeout=0.1,
                                isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails with "database is locked" if held
            other.execute("ROLLBACK")
        finally:
            other.close()
        gates["peer"].set()
        assert pending.result().status_code == 201


def test_a_read_first_route_replays_a_racing_request_that_finished_first(app, client):
    """Both pass the early look-up; the second's claim, at its first write, finds the
    first's stored answer and replays it instead of writing."""
    gates["peer"] = threading.Event()

    def post(_):
        return client.post("/notes/after_peer", json={"text": "a"},
                           headers=business(app, key="k"))

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(post, i) for i in range(2)]
        time.sleep(0.3)  # both have looked the key up and wait on the "peer"
        gates["peer"].set()
        responses = [f.result() for f in futures]

    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 1
    assert notes(app) == ["a"]  # the second was stopped at its first write


def test_an_endpoint_without_a_caller_cannot_be_idempotent():
    with pytest.raises(TypeError, match="must take its caller"):
        @idempotent
        def anonymous(body: NoteIn, session: WriteSession) -> Response:  # pragma: no cover
            return Response()


def test_long_scopes_are_shortened_with_a_hash():
    caller = Principal(role="service", subject="service:" + "c" * 40, client_id="c" * 40)
    short = scope_for(caller, "POST", "/x")
    long_a = scope_for(caller, "POST", "/" + "a" * 200)
    long_b = scope_for(caller, "POST", "/" + "a" * 199 + "b")

    assert short == f"service:{'c' * 40} POST /x"
    assert len(long_a) == len(long_b) == 128
    assert long_a != long_b


def test_rescoping_old_records_keeps_their_keys_findable(tables_database):
    """The data migration of the scope format, both ways (``rescope_records``)."""
    from types import SimpleNamespace

    from mubayiro.common.idempotency import rescope_records

    database = tables_database(metadata, "old.db")
    old = ["business:7:loyalty_rules", "business:7:update_reward:3", "service:referrals:x",
           "something else"]
    with database.session() as s:
        for i, scope in enumerate(old):
            s.execute(insert(idem).values(scope=scope, key=f"k{i}", fingerprint="f",
                                          created_at=utcnow()))
    templates = [("business:{b}:loyalty_rules", "business:{b} POST /businesses/{b}/rules"),
                 ("business:{b}:update_reward:{r}", "business:{b} PATCH /rewards/{r}"),
                 ("service:{c}:x", "service:{c} POST /x")]

    def scopes() -> list[str]:
        with database.session(write=False) as s:
            return list(s.scalars(select(idem.c.scope).order_by(idem.c.id)))

    with database.engine.begin() as conn:
        rescope_records(SimpleNamespace(get_bind=lambda: conn), templates)
    assert scopes() == ["business:7 POST /businesses/7/rules", "business:7 PATCH /rewards/3",
                        "service:referrals POST /x", "something else"]
    with database.engine.begin() as conn:
        rescope_records(SimpleNamespace(get_bind=lambda: conn), templates, reverse=True)
    assert scopes() == old


def test_a_session_ends_even_when_its_request_is_being_cancelled():
    # anyio checks for cancellation before it hands work to a thread: unshielded, a
    # cancelled request would skip its rollback and keep its connection (a writer's: the
    # writer gate, and every other writer with it).
    ended: list[str] = []

    async def cancelled_request() -> None:
        with anyio.CancelScope() as scope:
            scope.cancel()
            await _in_thread_to_the_end(ended.append, "rolled back")

    anyio.run(cancelled_request)
    assert ended == ["rolled back"]


# --- one thread hop, and the slots -------------------------------------------------------


@pytest.fixture
def hops(monkeypatch):
    """How many times the app handed work to a thread (every hop goes through anyio)."""
    counted = {"hops": 0}
    run_sync = anyio.to_thread.run_sync

    async def counting(*args, **kwargs):
        counted["hops"] += 1
        return await run_sync(*args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    return counted


@pytest.mark.parametrize(("method", "path", "body", "status"), [
    ("GET", "/notes/count", None, 200),
    ("POST", "/notes/plain", {"text": "one hop"}, 200),
    ("POST", "/notes/plain", {"text": "boom, rolled back"}, 404),
    ("POST", "/notes/keep_then_refuse", {"text": "kept"}, 409),
])
def test_a_request_runs_its_endpoint_and_ends_its_sessions_in_one_thread_hop(
        app, client, hops, method, path, body, status):
    # FastAPI alone: the endpoint, the response check and each session's end: 3 hops.
    headers = {}
    if "keep" in path:
        token = app.state.keys.business_token(1)
        # A token's first check is a hop of its own; the route's hops are what is counted.
        app.state.token_verifier.verify(token, audience=app.state.settings.jwt_audience)
        headers = {"Authorization": f"Bearer {token}"}
    answer = client.request(method, path, json=body, headers=headers)
    assert answer.status_code == status
    assert hops["hops"] == 1
    assert notes(app) == {"/notes/count": [], "/notes/keep_then_refuse": ["kept"]}.get(
        path, ["one hop"] if status == 200 else [])


def test_the_answer_is_checked_while_the_session_is_still_open(app, client):
    _add_notes(app, "a", "b")
    answer = client.get("/notes/lazy_count")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"count": 2}


def _add_notes(app, *texts: str) -> None:
    with app.state.database.session() as s:
        for text in texts:
            _add(s, text)


def _crowd_of(client, method: str, size: int) -> int:
    """Send ``size`` requests at once to ``/notes/crowd``; how many were inside together."""
    crowd.update(inside=0, most=0)
    gates["crowd"] = threading.Event()
    with ThreadPoolExecutor(size) as pool:
        answers = [pool.submit(client.request, method, "/notes/crowd") for _ in range(size)]
        deadline = time.monotonic() + 5
        while crowd["inside"] < size and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)  # time for any more to come in
        gates["crowd"].set()
        assert [a.result().status_code for a in answers] == [200] * size
    return crowd["most"]


def test_on_sqlite_two_read_requests_hold_sessions_at_once_and_writers_queue_more(app, client):
    reads, writes = SQLITE_SESSION_SLOTS
    assert (reads, writes) == (2, 16)
    assert _crowd_of(client, "GET", 6) == reads
    assert _crowd_of(client, "POST", 6) == 6
