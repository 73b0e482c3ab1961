"""PeerClient: a peer's refusal is a 502 here unless a client method maps its name.

The peer is a small real app answering in the platform's error shape (over
:class:`~mubayiro.common.testing.PeerApps`); faults — timeouts, 5xx, a peer that is
down — come from ``httpx.MockTransport``.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from mubayiro.common.errors import (
    Conflict,
    NotFound,
    UpstreamError,
    UpstreamTimeout,
    UpstreamUnavailable,
    install_error_handlers,
)
from mubayiro.common.http import PeerClient, PeerRefused
from mubayiro.common.testing import PeerApps

PEER = "http://peer.test"


class ThingNotFound(NotFound):
    default_detail = "No such thing"


class Thing(BaseModel):
    id: int
    name: str


def _peer_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/things/{thing_id}")
    def read(thing_id: int) -> dict[str, object]:
        if thing_id == 404:
            raise ThingNotFound()
        if thing_id == 409:
            raise Conflict("Thing is busy")
        return {"id": thing_id, "name": "Thing"}

    return app


@pytest.fixture
def peer():
    apps = PeerApps()
    apps.serve("peer.test", _peer_app)
    client = PeerClient(PEER, transport=apps, backoff_seconds=0)
    client.peer_name = "thing"
    yield client
    client.close()
    apps.close()


def test_a_2xx_is_checked_against_the_shape(peer):
    assert peer.call("GET", "/things/1", Thing) == Thing(id=1, name="Thing")


def test_a_refusal_nobody_mapped_is_a_502_naming_the_peers_answer(peer):
    with pytest.raises(PeerRefused) as caught:
        peer.call("GET", "/things/404", Thing)

    refusal = caught.value
    assert (refusal.status_code, refusal.error) == (502, "UpstreamError")
    assert (refusal.peer_status, refusal.peer_error) == (404, "ThingNotFound")
    assert refusal.detail == "thing refused GET /things/404 (404 ThingNotFound: No such thing)"


def test_a_missing_route_is_a_502_even_where_a_name_is_mapped(peer):
    with pytest.raises(PeerRefused) as caught:
        peer.call("GET", "/nothing/here", Thing, none_if={"ThingNotFound"},
                  errors={"ThingNotFound": NotFound})

    assert caught.value.peer_error == "NotFound"


def test_a_mapped_name_becomes_the_local_error_with_the_peers_detail(peer):
    with pytest.raises(NotFound) as caught:
        peer.call("GET", "/things/404", Thing, errors={"ThingNotFound": NotFound})
    assert caught.value.detail == "No such thing"
    assert isinstance(caught.value.__cause__, PeerRefused)

    with pytest.raises(Conflict, match="try later"):
        peer.call("GET", "/things/409", Thing,
                  errors={"Conflict": lambda refusal: Conflict("try later")})


def test_none_if_names_an_answer_meaning_there_is_none(peer):
    assert peer.call("GET", "/things/404", Thing, none_if={"ThingNotFound"}) is None


def test_action_names_what_was_asked(peer):
    with pytest.raises(PeerRefused, match="thing refused thing 409 "):
        peer.call("GET", "/things/409", Thing, action="thing 409")


def _faulty(answers: list[httpx.Response | Exception]) -> tuple[PeerClient, list[str]]:
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return PeerClient(PEER, transport=httpx.MockTransport(handle), backoff_seconds=0), seen


@pytest.mark.parametrize(("answer", "error", "attempts"), [
    (httpx.Response(500), UpstreamError, 1),  # a bug, not an outage: not repeated
    (httpx.Response(502), UpstreamError, 3),
    (httpx.Response(503), UpstreamUnavailable, 3),
    (httpx.Response(504), UpstreamTimeout, 3),
    (httpx.ReadTimeout("slow"), UpstreamTimeout, 3),
    (httpx.ConnectError("refused"), UpstreamUnavailable, 3),
])
def test_faults_are_502_503_504_after_the_retries(answer, error, attempts):
    client, seen = _faulty([answer] * 3)

    with pytest.raises(error):
        client.call("GET", "/things/1", Thing)

    assert seen == ["GET"] * attempts


def test_a_post_without_idempotency_key_is_not_repeated():
    client, seen = _faulty([httpx.Response(503)] * 3)

    with pytest.raises(UpstreamUnavailable):
        client.call("POST", "/things", Thing, json={})

    assert seen == ["POST"]


def test_a_post_with_idempotency_key_is_repeated_until_it_succeeds():
    client, seen = _faulty([httpx.Response(503), httpx.Response(201, json={"id": 1,
                                                                             "name": "x"})])

    thing = client.call("POST", "/things", Thing, json={}, headers={"Idempotency-Key": "k"})

    assert thing.id == 1
    assert seen == ["POST", "POST"]


@pytest.mark.parametrize("body", [b"<html>", b'{"id": "one"}', b"[]"])
def test_an_answer_breaking_the_contract_is_a_502(body):
    client, _ = _faulty([httpx.Response(200, content=body)])

    with pytest.raises(UpstreamError):
        client.call("GET", "/things/1", Thing)
