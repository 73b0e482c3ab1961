"""Running the gateway: HTTPS and the HTTP redirect, two uvicorn servers in one event loop.

:func:`build_servers` makes the certificates (first run) and both servers;
:func:`run_servers` runs them together until either stops or the process is told to stop
(SIGINT/SIGTERM stop both — uvicorn's own signal handling would stop only the server that
installed its handlers last). Tests use the same two functions in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Iterator

import uvicorn

from mubayiro.gateway.config import GatewaySettings
from mubayiro.gateway.main import create_app, create_redirect_app
from mubayiro.gateway.routes import RouteTable
from mubayiro.gateway.tls import CertificatePaths, ensure_certificates


class _Server(uvicorn.Server):
    """A uvicorn server that leaves signal handling to :func:`run_servers`."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def build_servers(settings: GatewaySettings, *, table: RouteTable | None = None,
                  ) -> tuple[list[uvicorn.Server], CertificatePaths]:
    """The HTTPS server and the HTTP redirect server, and the certificate files they use.

    Raises:
        RouteConfigError: the route file uses something the dev gateway does not implement.
        OSError: the certificates cannot be written.
    """
    certs = ensure_certificates(settings.cert_dir)
    common = {"host": settings.host, "log_config": None, "ws": "none",
              "server_header": False, "proxy_headers": False}
    https = _Server(uvicorn.Config(
        create_app(settings, table=table), port=settings.https_port, lifespan="on",
        ssl_certfile=str(certs.chain), ssl_keyfile=str(certs.key), **common,
    ))
    http = _Server(uvicorn.Config(
        create_redirect_app(settings), port=settings.http_port, lifespan="off", **common,
    ))
    return [https, http], certs


async def run_servers(servers: list[uvicorn.Server]) -> None:
    """Serve until one server stops (or fails to start) or a stop signal arrives; stop all."""

    def stop_all() -> None:
        for server in servers:
            server.should_exit = True

    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows event loops
                loop.add_signal_handler(sig, stop_all)
                handled.append(sig)
    tasks = [asyncio.create_task(server.serve()) for server in servers]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        stop_all()
        await asyncio.gather(*tasks, return_exceptions=True)
        for task in done:
            task.result()  # a server that failed to start (port taken) fails the run
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)
