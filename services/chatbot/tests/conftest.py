"""Fixtures of the chatbot tests: the chatbot app on the REAL MCP app, which reads the real
loyalty and reports apps, with the real auth app issuing the SMS chats' customer tokens.

The coalition (shops, rewards, Alice's 40 points, Bob's 500) is the MCP tests' own
(``services/mcp/tests/conftest.py``, loaded here by path: test folders are not packages),
so both suites check their answers against the same figures. Every app runs inside its
own ``TestClient`` (lifespan entered, its own event loop): the chatbot's MCP session goes
to the MCP app through :class:`ThroughTestClient`, its auth calls through the coalition's
host router. One RSA key signs every token — the test key and auth's signing key are the
same, with auth's RFC 7638 ``kid`` — so tokens auth issues and tokens the tests mint are
trusted alike.

LLM mode talks to :class:`FakeModel`, a small OpenAI-compatible chat-completions app
served over ``httpx.ASGITransport``, scripted per test.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
import httpx2
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.testclient import TestClient

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.keys import jwk_thumbprint
from mubayiro.auth.main import create_app as create_auth
from mubayiro.chatbot.config import ChatbotSettings
from mubayiro.chatbot.main import create_app as create_chatbot
from mubayiro.common.testing import CachingKeys


def _load_mcp_fixtures() -> Any:
    path = Path(__file__).resolve().parents[2] / "mcp" / "tests" / "conftest.py"
    spec = importlib.util.spec_from_file_location("mubayiro_mcp_test_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_mcp = _load_mcp_fixtures()
# The MCP tests' coalition and MCP app factory, used here as they are there.
coalition = _mcp.coalition
make_mcp = _mcp.make_mcp
Coalition = _mcp.Coalition
AUTH_HOST: str = _mcp.AUTH_HOST
MCP_URL: str = _mcp.MCP_URL
ALICE: str = _mcp.ALICE
BOB: str = _mcp.BOB
LLM_URL = "http://model.test/v1"


@pytest.fixture(scope="session")
def keys() -> CachingKeys:
    """The one key every app trusts, under the ``kid`` auth derives from it."""
    keys = CachingKeys()
    keys.kid = jwk_thumbprint(keys.private_key.public_key())
    return keys


@pytest.fixture
def auth(coalition: Coalition, keys: CachingKeys, tmp_path: Path) -> Iterator[TestClient]:
    """The real auth app (signing with the test key), reachable at ``AUTH_HOST``.

    Service tokens (``POST /auth/token``) still come from the coalition's router, as in
    the MCP tests; everything else on ``AUTH_HOST`` — ``/internal/customer_tokens`` — is
    auth's own route.
    """
    app = create_auth(AuthSettings(
        _env_file=None, environment="test", log_level="WARNING", data_dir=tmp_path / "auth",
        jwt_private_key=keys.private_pem.decode(), loyalty_url=None, notifications_url=None))
    with TestClient(app) as client:
        coalition.peers.apps[AUTH_HOST] = client
        yield client


class ThroughTestClient(httpx2.AsyncBaseTransport):
    """An async transport (the MCP SDK's httpx2) that hands each request to a
    ``TestClient`` in a worker thread, so the app keeps its own event loop and lifespan.

    The MCP server answers in JSON (stateless), so a whole response at once is what the
    SDK's client reads either way.
    """

    def __init__(self, client: TestClient):
        self.client = client
        self.requests: list[httpx2.Request] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        """Forward ``request`` and return the app's answer."""
        self.requests.append(request)
        body = await request.aread()

        def send() -> Any:
            return self.client.request(request.method, request.url.raw_path.decode(),
                                       headers=dict(request.headers), content=body)

        resp = await anyio.to_thread.run_sync(send)
        return httpx2.Response(resp.status_code, headers=resp.headers, content=resp.content)


class FakeModel:
    """An OpenAI-compatible ``POST /v1/chat/completions`` whose answers a test scripts.

    ``script`` is called with the request body and returns the assistant message (a dict
    with ``content`` and/or ``tool_calls``), or an ``httpx``-style ``(status, body)``
    tuple to fail. Every request body is kept in ``requests``.
    """

    def __init__(self, script: Callable[[dict[str, Any]], Any]):
        self.script = script
        self.requests: list[dict[str, Any]] = []
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self._complete)

    async def _complete(self, request: Request) -> Any:
        body = await request.json()
        self.requests.append(body)
        answer = self.script(body)
        if isinstance(answer, tuple):
            status, content = answer
            return Response(status_code=status, content=content)
        return {"id": "chatcmpl-test", "object": "chat.completion", "model": body["model"],
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", **answer}}]}

    def transport(self) -> httpx.AsyncBaseTransport:
        """The transport the chatbot's model client uses."""
        return httpx.ASGITransport(app=self.app)

    @staticmethod
    def tool_call(name: str, arguments: dict[str, Any], call_id: str = "call-1"
                  ) -> dict[str, Any]:
        """An assistant message asking for one tool call."""
        return {"content": None, "tool_calls": [{
            "id": call_id, "type": "function",
            "function": {"name": name, "arguments": json.dumps(arguments)}}]}

    @staticmethod
    def tool_results(body: dict[str, Any]) -> list[str]:
        """The contents of the tool messages the chatbot sent the model so far."""
        return [m["content"] for m in body["messages"] if m["role"] == "tool"]


@pytest.fixture
def fake_model() -> type[FakeModel]:
    """The fake model class (test modules cannot import this conftest)."""
    return FakeModel


@pytest.fixture
def mcp(make_mcp: Callable[..., FastAPI]) -> Iterator[TestClient]:
    """The real MCP app (rate limit raised: the phrasing table asks many questions)."""
    with TestClient(make_mcp(rate_limit=10_000)) as client:
        yield client


@pytest.fixture
def make_chatbot(
    coalition: Coalition, keys: CachingKeys, mcp: TestClient, auth: TestClient,
) -> Iterator[Callable[..., TestClient]]:
    """``make_chatbot(model=None, **settings)``: a running chatbot app's ``TestClient``
    on the real MCP, auth and (with ``model``) the fake model."""
    opened: list[TestClient] = []

    def make(model: FakeModel | None = None, *,
             mcp_transport: httpx2.AsyncBaseTransport | None = None,
             record: list[httpx2.Request] | None = None, **overrides: Any) -> TestClient:
        values: dict[str, Any] = {
            "environment": "test", "log_level": "WARNING", "auth_url": f"http://{AUTH_HOST}",
            "mcp_url": MCP_URL, "mcp_timeout_seconds": 30,
        }
        if model is not None:
            values.update(llm_base_url=LLM_URL, llm_model="fake-model")
        values.update(overrides)
        through = ThroughTestClient(mcp)
        if record is not None:
            through.requests = record
        target = mcp_transport or through

        def mcp_http(headers: dict[str, str]) -> httpx2.AsyncClient:
            return httpx2.AsyncClient(transport=target, headers=headers, timeout=30)

        app = create_chatbot(
            ChatbotSettings(_env_file=None, **values), token_verifier=keys.verifier(),
            peer_transport=coalition.peers, mcp_http_factory=mcp_http,
            llm_transport=model.transport() if model is not None else None)
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def chatbot(make_chatbot: Callable[..., TestClient]) -> TestClient:
    """The chatbot in its default mode (the embedded parser)."""
    return make_chatbot()


@pytest.fixture
def ask(chatbot: TestClient, keys: CachingKeys) -> Callable[..., dict[str, Any]]:
    """``ask(message, phone=ALICE)``: POST /chat/messages as that customer; the JSON."""

    def send(message: str, phone: str = ALICE, client: TestClient | None = None
             ) -> dict[str, Any]:
        resp = (client or chatbot).post(
            "/chat/messages", json={"message": message},
            headers={"Authorization": f"Bearer {keys.customer_token(phone)}"})
        assert resp.status_code == 200, resp.text
        return resp.json()

    return send
