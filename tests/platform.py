"""Start the real platform for integration tests: every service a process on a real port.

:class:`Platform` starts every installed service with ``python -m mubayiro.<package>``, the
web app (``python -m mubayiro.gateway web``) and the real Traefik (``python -m
mubayiro.gateway``, which becomes the ``traefik`` process) on free ports, each service with
its own SQLite files under a temporary folder, wired to each other by environment variables
exactly as the Procfile wires them on a developer's machine (only the ports differ). Tests
talk to it through Traefik over HTTPS, trusting the generated local CA.
"""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import IO

import httpx

from mubayiro.common.testing import free_port, wait_until

#: Python package of each service, where it differs from the service name.
PACKAGES = {"mcp": "mcp_server"}

#: Every service of the platform that is installed in this checkout, in start order.
SERVICES = tuple(
    name for name in ("auth", "loyalty", "notifications", "referrals", "reports", "mcp",
                      "chatbot")
    if find_spec(f"mubayiro.{PACKAGES.get(name, name)}.main") is not None
)

#: The services that own a database (the others aggregate: mcp, chatbot).
WITH_DATABASE = tuple(
    name for name in SERVICES
    if find_spec(f"mubayiro.{PACKAGES.get(name, name)}.models") is not None
)

#: The gateway's processes: the web app behind Traefik, then Traefik itself.
GATEWAY_PROCESSES = ("web", "gateway")


@dataclass
class Platform:
    """A running platform: ports, folders and processes."""

    root: Path
    #: ``<service>: SQLAlchemy URL`` for services on another database than their SQLite file.
    database_urls: dict[str, str] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: dict[str, IO[bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in (*SERVICES, *GATEWAY_PROCESSES, "gateway_http"):
            self.ports[name] = free_port()

    @property
    def base_url(self) -> str:
        """The gateway's HTTPS address."""
        return f"https://localhost:{self.ports['gateway']}"

    @property
    def ca_file(self) -> Path:
        """The gateway's generated CA certificate."""
        return self.root / "gateway" / "gateway" / "ca.pem"

    def database_url(self, name: str) -> str:
        """The SQLAlchemy URL of a service's database (for tests that look inside)."""
        return self.database_urls.get(
            name, f"sqlite:///{(self.root / name / f'{name}.db').as_posix()}")

    def service_url(self, name: str) -> str:
        """A service's own address (behind the gateway)."""
        return f"http://127.0.0.1:{self.ports[name]}"

    def env_for(self, name: str) -> dict[str, str]:
        """The environment a process gets: the test runner's, plus the platform wiring."""
        prefixes = tuple(f"{svc.upper()}_" for svc in (*SERVICES, "gateway", "twilio"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
        for svc in SERVICES:
            prefix = svc.upper()
            env.update({
                f"{prefix}_PORT": str(self.ports[svc]),
                f"{prefix}_DATA_DIR": str(self.root / svc),
                f"{prefix}_ENVIRONMENT": "development",
                f"{prefix}_OUTBOX_POLL_SECONDS": "0.2",
                f"{prefix}_OUTBOX_MAX_BACKOFF_SECONDS": "0.5",
                f"{prefix}_MAX_BACKOFF_SECONDS": "0.5",
                f"{prefix}_LOG_LEVEL": "INFO",
            })
            if svc in self.database_urls:
                env[f"{prefix}_DATABASE_URL"] = self.database_urls[svc]
            # Every service learns every peer's address (each reads only the ones it uses).
            for peer in SERVICES:
                env[f"{prefix}_{peer.upper()}_URL"] = self.service_url(peer)
        # One shared platform serves many tests, all from 127.0.0.1: the per-address
        # abuse limits are raised for it (their own tests set them low).
        env.update({
            "AUTH_REGISTRATION_LIMIT_PER_ADDRESS": "10000/hour",
            "AUTH_OTP_REQUEST_LIMIT_PER_ADDRESS": "10000/hour",
            "AUTH_OTP_VERIFY_LIMIT_PER_ADDRESS": "10000/hour",
            "AUTH_LOGIN_LIMIT_PER_ADDRESS": "10000/hour",
        })
        if "mcp" in SERVICES:
            # MCP names its public address in its metadata and 401 challenges; the chatbot
            # calls the MCP endpoint itself, not the service's root.
            env["MCP_PUBLIC_URL"] = f"{self.base_url}/mcp"
            env["MCP_AUTHORIZATION_SERVER_URL"] = f"{self.base_url}/auth"
            env["CHATBOT_MCP_URL"] = f"{self.service_url('mcp')}/mcp"
        env.update({
            "GATEWAY_HTTPS_PORT": str(self.ports["gateway"]),
            "GATEWAY_HTTP_PORT": str(self.ports["gateway_http"]),
            "GATEWAY_DATA_DIR": str(self.root / "gateway"),
            "GATEWAY_WEB_PORT": str(self.ports["web"]),
            "GATEWAY_UPSTREAMS": json.dumps({s: self.service_url(s) for s in SERVICES}),
        })
        return env

    def start(self, name: str) -> None:
        """Start one process and wait until it answers."""
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self.logs[name] = log
        if name == "web":
            command = [sys.executable, "-m", "mubayiro.gateway", "web"]
        elif name == "gateway":
            command = [sys.executable, "-m", "mubayiro.gateway", "traefik"]
        else:
            command = [sys.executable, "-m", f"mubayiro.{PACKAGES.get(name, name)}"]
        self.procs[name] = subprocess.Popen(
            command, cwd=self.root, env=self.env_for(name), stdout=log, stderr=subprocess.STDOUT,
        )
        if name == "gateway":
            # /readyz is routed from dynamic.yml to the web app: once it answers 200, Traefik
            # has loaded the routes and every service is reachable through it.
            wait_until(lambda: self.ca_file.exists() and self._ok(f"{self.base_url}/readyz"),
                       timeout=30, message="Traefik to start")
        elif name == "web":
            wait_until(lambda: self._ok(f"http://127.0.0.1:{self.ports['web']}/healthz"),
                       timeout=30, message="the web app to start")
        else:
            wait_until(lambda: self._ok(f"{self.service_url(name)}/readyz"), timeout=30,
                       message=f"{name} to start")

    def _ok(self, url: str) -> bool:
        self._check_alive()
        verify = self.ssl_context() if url.startswith("https") else False
        # Connection errors while a process starts are wait_until's to retry.
        return httpx.get(url, verify=verify, timeout=2).status_code == 200

    def _check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log_tail(name)}")

    def log_tail(self, name: str, lines: int = 40) -> str:
        """The end of a process's log, for failure messages."""
        path = self.root / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def kill(self, name: str) -> None:
        """Kill one process at once (SIGKILL: a crash, nothing cleaned up)."""
        proc = self.procs.pop(name, None)
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        log = self.logs.pop(name, None)
        if log:
            log.close()

    def stop(self, name: str) -> None:
        """Stop one process (SIGTERM, then SIGKILL)."""
        proc = self.procs.pop(name, None)
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log = self.logs.pop(name, None)
        if log:
            log.close()

    def start_all(self) -> None:
        """Start every service, then the web app and Traefik."""
        for name in (*SERVICES, *GATEWAY_PROCESSES):
            self.start(name)

    def stop_all(self) -> None:
        """Stop everything that is running."""
        for name in list(self.procs):
            self.stop(name)

    def ssl_context(self) -> ssl.SSLContext:
        """A TLS context that trusts the gateway's generated CA."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    def client(self) -> httpx.Client:
        """An HTTPS client for the gateway that trusts its CA."""
        return httpx.Client(base_url=self.base_url, verify=self.ssl_context(), timeout=60)
