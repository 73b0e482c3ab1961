"""Fixtures for the gateway's tests: fake services, the real web app and the real Traefik.

Every service of ``dynamic.yml`` is a fake here: one small Starlette app served by uvicorn
on one port per service (in a thread), which answers with what it received (its service
name, method, path, raw path, query, headers, body size) and records every path it saw, so
a test can prove a request never reached it. Its ``…/slow`` path answers after the
gateway's response timeout, ``…/stream`` streams two chunks a moment apart, ``…/hold``
answers at once and keeps its stream open.

The web app (:mod:`mubayiro.gateway.web`) runs in a thread too, on built test sites, and
Traefik runs exactly as ``make up`` runs it: ``python -m mubayiro.gateway`` in its own
process (which becomes ``traefik``), configured by ``GATEWAY_*`` variables.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
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
from mubayiro.gateway.config import TRAEFIK_DIR, GatewaySettings
from mubayiro.gateway.traefik import routed_services
from mubayiro.gateway.web import create_app

ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
#: The platform's services as dynamic.yml names them (the web app aside).
SERVICES = sorted(routed_services(TRAEFIK_DIR / "dynamic.yml") - {"web"})
#: A service that is stopped in these tests (its port refuses connections): 502.
STOPPED = "referrals"
#: A service with no server at all (not running on this machine): 503.
ABSENT = "chatbot"
#: Gateway response timeout in these tests (the `slow` path takes longer).
RESPONSE_TIMEOUT = 1.0


@dataclass
class FakeServices:
    """The fake services: each one's URL, and every (service, path) they saw."""

    urls: dict[str, str] = field(default_factory=dict)
    seen: list[tuple[str, str]] = field(default_factory=list)

    def saw(self, fragment: str) -> bool:
        """Whether any fake service received a path containing ``fragment``."""
        return any(fragment in path for _, path in self.seen)


def make_fake_app(name: str, services: FakeServices) -> Starlette:
    """The fake service ``name`` (see the module docstring)."""

    async def readyz(_: Request) -> Response:
        return JSONResponse({"status": "ready"})

    async def anything(request: Request) -> Response:
        services.seen.append((name, request.url.path))
        last = request.url.path.rsplit("/", 1)[-1]
        if last == "slow":
            for _ in range(200):  # gives up once the gateway hangs up
                if await request.is_disconnected():
                    return Response(status_code=499)
                await anyio.sleep(0.025)
            return JSONResponse({"slow": True})
        if last == "hold":  # answers at once, then holds the stream open for 10 s at most

            async def held():  # type: ignore[no-untyped-def]
                yield b"held\n"
                for _ in range(400):
                    if await request.is_disconnected():
                        return
                    await anyio.sleep(0.025)

            return StreamingResponse(held(), media_type="text/plain")
        if last == "stream":

            async def chunks():  # type: ignore[no-untyped-def]
                yield b"first\n"
                await anyio.sleep(1.0)
                yield b"second\n"

            return StreamingResponse(chunks(), media_type="text/plain")
        body = await request.body()
        return JSONResponse({
            "service": name,
            "method": request.method,
            "path": request.url.path,
            "raw_path": request.scope["raw_path"].decode("latin-1"),
            "query": request.scope["query_string"].decode("latin-1"),
            "headers": [[k.decode("latin-1"), v.decode("latin-1")]
                        for k, v in request.scope["headers"]],
            "body_length": len(body),
        }, headers={"X-Upstream": name})

    return Starlette(routes=[Route("/readyz", readyz),
                             Route("/{path:path}", anything, methods=ALL_METHODS)])


class ServerThread:
    """Runs uvicorn servers in a thread of their own until the block ends."""

    def __init__(self, servers: list[uvicorn.Server]):
        self.servers = servers

        async def serve() -> None:
            await asyncio.gather(*(s.serve() for s in servers))

        self.thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        wait_until(lambda: all(s.started for s in self.servers), message="servers started")
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers:
            server.should_exit = True
        self.thread.join(timeout=10)


def uvicorn_server(app: object, port: int) -> uvicorn.Server:
    """A quiet uvicorn server for ``app`` on 127.0.0.1:``port``."""
    return uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,  # type: ignore[arg-type]
                                         log_config=None, access_log=False, ws="none"))


@dataclass
class RunningGateway:
    """Traefik under test: its settings, process and clients that trust its CA."""

    settings: GatewaySettings
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base_url(self) -> str:
        return f"https://localhost:{self.settings.https_port}"

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.settings.cert_dir / "ca.pem"))

    def client(self, **kw: object) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, verify=self.ssl_context(), trust_env=False,
                            timeout=10, **kw)  # type: ignore[arg-type]


def gateway_environment(settings: GatewaySettings) -> dict[str, str]:
    """The ``GATEWAY_*`` variables that give ``python -m mubayiro.gateway`` these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env.update({
        "GATEWAY_HTTPS_PORT": str(settings.https_port),
        "GATEWAY_HTTP_PORT": str(settings.http_port),
        "GATEWAY_WEB_PORT": str(settings.web_port),
        "GATEWAY_DATA_DIR": str(settings.data_dir),
        "GATEWAY_UPSTREAMS": json.dumps(settings.upstreams),
        "GATEWAY_RESPONSE_TIMEOUT_SECONDS": str(settings.response_timeout_seconds),
    })
    return env


def start_traefik(settings: GatewaySettings, log: Path) -> RunningGateway:
    """Start ``python -m mubayiro.gateway`` and wait until Traefik serves the routes."""
    handle = log.open("ab")
    process = subprocess.Popen([sys.executable, "-m", "mubayiro.gateway"],
                               env=gateway_environment(settings), stdout=handle,
                               stderr=subprocess.STDOUT)
    handle.close()
    running = RunningGateway(settings, process, log)

    def serving() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"Traefik exited: {log.read_text()[-2000:]}")
        with running.client() as client:
            return client.get("/healthz").status_code == 200

    wait_until(serving, timeout=30, message="Traefik to serve the routes")
    return running


def stop_traefik(running: RunningGateway) -> None:
    """Stop Traefik (SIGTERM, then SIGKILL)."""
    running.process.send_signal(signal.SIGTERM)
    try:
        running.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        running.process.kill()
        running.process.wait()


def build_sites(root: Path) -> tuple[Path, Path]:
    """A small admin build (hashed names, like Angular's) and portal build."""
    admin, portal = root / "admin", root / "portal"
    (admin / "assets").mkdir(parents=True)
    (admin / "index.html").write_text("<!doctype html><title>admin</title>")
    (admin / "main-GH3OYRSU.js").write_text("console.log('admin');\n" * 200)
    (admin / "config.json").write_text('{"apiBase": ""}')
    portal.mkdir()
    (portal / "index.html").write_text("<!doctype html><title>portal</title>")
    (portal / "app.js").write_text("console.log('portal');\n")
    return admin, portal


@pytest.fixture(scope="session")
def fakes() -> Iterator[FakeServices]:
    """Every service but the stopped and the absent one, each on its own port."""
    services = FakeServices()
    servers = []
    for name in SERVICES:
        port = free_port()
        services.urls[name] = f"http://127.0.0.1:{port}"
        if name not in (STOPPED, ABSENT):
            servers.append(uvicorn_server(make_fake_app(name, services), port))
    with ServerThread(servers):
        yield services


@pytest.fixture(scope="session")
def gateway_settings(fakes: FakeServices,
                     tmp_path_factory: pytest.TempPathFactory) -> GatewaySettings:
    admin, portal = build_sites(tmp_path_factory.mktemp("sites"))
    upstreams = {name: url for name, url in fakes.urls.items() if name != ABSENT}
    return GatewaySettings(
        _env_file=None,  # type: ignore[call-arg]
        https_port=free_port(), http_port=free_port(), web_port=free_port(),
        data_dir=tmp_path_factory.mktemp("gateway-data"), upstreams=upstreams,
        response_timeout_seconds=RESPONSE_TIMEOUT, readyz_timeout_seconds=1.0,
        admin_ui_dir=admin, portal_dir=portal,
    )


@pytest.fixture(scope="session")
def gateway(gateway_settings: GatewaySettings,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    """Traefik in front of the fakes and the web app, as ``make up`` runs it."""
    web = uvicorn_server(create_app(gateway_settings), gateway_settings.web_port)
    with ServerThread([web]):
        running = start_traefik(gateway_settings,
                                tmp_path_factory.mktemp("traefik") / "traefik.log")
        try:
            yield running
        finally:
            stop_traefik(running)


@pytest.fixture
def gw(gateway: RunningGateway) -> Iterator[httpx.Client]:
    with gateway.client() as client:
        yield client


@pytest.fixture
def site_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """Small admin and portal builds (see :func:`build_sites`)."""
    return build_sites(tmp_path / "sites")


@pytest.fixture
def fake_service() -> Iterator[object]:
    """Start a fake service: ``fake_service(name)`` → its URL (stopped after the test)."""
    started: list[ServerThread] = []

    def start(name: str) -> str:
        port = free_port()
        thread = ServerThread([uvicorn_server(make_fake_app(name, FakeServices()), port)])
        thread.__enter__()
        started.append(thread)
        return f"http://127.0.0.1:{port}"

    yield start
    for thread in started:
        thread.__exit__(None, None, None)
