"""Fixtures for the gateway's end-to-end tests: a fake upstream and real gateways on real ports.

The upstream is a small Starlette app run by uvicorn in a thread. It echoes what it
received (method, path, raw path, query, headers, body digest), and has a slow route, a
streaming route held open until the test releases it, ``/healthz`` and ``/readyz``. Every
request it sees is recorded, so tests can prove a request never reached it.

Gateways run exactly as ``python -m mubayiro.gateway`` does (``build_servers`` +
``run_servers``: HTTPS plus the HTTP redirect), in a thread with their own event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from mubayiro.common.testing import free_port, wait_until
from mubayiro.gateway.config import GatewaySettings
from mubayiro.gateway.server import build_servers, run_servers

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@dataclass
class Upstream:
    """The fake service: its URL, what it saw, and the latch of its streaming route."""

    url: str
    seen: list[str] = field(default_factory=list)
    release_stream: threading.Event = field(default_factory=threading.Event)


def make_upstream_app(upstream: Upstream) -> Starlette:
    """The echoing upstream app (see the module docstring)."""

    async def healthz(request: Request) -> Response:
        upstream.seen.append(request.url.path)
        return JSONResponse({"status": "ok", "service": "upstream",
                             "replaced_path": request.headers.get("x-replaced-path")})

    async def readyz(request: Request) -> Response:
        return JSONResponse({"status": "ready"})

    async def anything(request: Request) -> Response:
        upstream.seen.append(request.url.path)
        last = request.url.path.rsplit("/", 1)[-1]
        if last == "slow":
            # Slower than the gateway's read timeout; gives up once the gateway hangs up.
            for _ in range(200):
                if await request.is_disconnected():
                    return Response(status_code=499)
                await anyio.sleep(0.025)
            return JSONResponse({"slow": True})
        if last == "stream":

            async def chunks():  # type: ignore[no-untyped-def]
                try:
                    yield b"first\n"
                    for _ in range(1000):
                        if upstream.release_stream.is_set():
                            break
                        await anyio.sleep(0.01)
                    yield b"second\n"
                finally:
                    upstream.seen.append("stream closed")

            return StreamingResponse(chunks(), media_type="text/plain")
        body = await request.body()
        response = JSONResponse({
            "method": request.method,
            "path": request.url.path,
            "raw_path": request.scope["raw_path"].decode("latin-1"),
            "query": request.scope["query_string"].decode("latin-1"),
            "headers": [[k.decode("latin-1"), v.decode("latin-1")]
                        for k, v in request.scope["headers"]],
            "body": body.decode("utf-8", "replace") if len(body) < 1024 else None,
            "body_length": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest(),
        })
        response.headers.append("set-cookie", "a=1")
        response.headers.append("set-cookie", "b=2")
        response.headers["x-upstream"] = "yes"
        response.headers["keep-alive"] = "timeout=5"
        return response

    return Starlette(routes=[
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/{path:path}", anything, methods=ALL_METHODS),
    ])


class ServerThread:
    """Runs uvicorn servers with ``run_servers`` in a thread of their own."""

    def __init__(self, servers: list[uvicorn.Server]):
        self.servers = servers
        self.thread = threading.Thread(target=lambda: asyncio.run(run_servers(servers)),
                                       daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        wait_until(lambda: all(s.started for s in self.servers), message="servers started")
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers:
            server.should_exit = True
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "servers did not stop"


@dataclass
class RunningGateway:
    """A gateway under test: its settings and clients that trust its CA."""

    settings: GatewaySettings
    ca: Path

    @property
    def base_url(self) -> str:
        return f"https://localhost:{self.settings.https_port}"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca))

    def client(self, **kw: object) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, verify=self.ssl_context(), trust_env=False,
                            timeout=10, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def upstream() -> Iterator[Upstream]:
    port = free_port()
    up = Upstream(url=f"http://127.0.0.1:{port}")
    config = uvicorn.Config(make_upstream_app(up), host="127.0.0.1", port=port,
                            log_config=None, lifespan="off", ws="none")
    with ServerThread([uvicorn.Server(config)]):
        yield up


def _start_gateway(settings: GatewaySettings) -> tuple[ServerThread, RunningGateway]:
    servers, certs = build_servers(settings)
    return ServerThread(servers), RunningGateway(settings, certs.ca)


@pytest.fixture(scope="session")
def start_gateway() -> Callable[[GatewaySettings], tuple[ServerThread, RunningGateway]]:
    """Build a gateway like ``python -m mubayiro.gateway`` does; enter the thread to run it."""
    return _start_gateway


@pytest.fixture(scope="session")
def gateway_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gateway-data")


@pytest.fixture(scope="session")
def gateway(upstream: Upstream, gateway_data: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    """A gateway with live auth/loyalty/notifications, a dead referrals, no built UIs."""
    nothing = tmp_path_factory.mktemp("not-built")
    settings = GatewaySettings(
        https_port=free_port(), http_port=free_port(), data_dir=gateway_data,
        upstreams={"auth": upstream.url, "loyalty": upstream.url,
                   "notifications": upstream.url,
                   "referrals": f"http://127.0.0.1:{free_port()}"},
        connect_timeout_seconds=1.0, read_timeout_seconds=0.5, readyz_timeout_seconds=1.0,
        admin_ui_dir=nothing / "admin", portal_dir=nothing / "portal",
    )
    thread, running = _start_gateway(settings)
    with thread:
        yield running
