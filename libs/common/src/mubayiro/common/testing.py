"""Test helpers shared by every service's tests (never imported by production code).

- :class:`TestKeys` — an RSA key pair, its JWKS and a minting function, so endpoint
  tests can make business/customer/service tokens (and forged, expired or
  wrong-audience ones) without an auth service.
- :class:`CachingKeys` — the same, reusing tokens of the default lifetime (signing is
  not free, and endpoint tables mint thousands).
- :class:`PeerApps` — an ``httpx`` transport that hands each request to the *real* app
  of its host, in process, so a service's peer clients are tested against the peer
  itself rather than a hand-written fake of it.
- :func:`one_event_at_a_time` — wraps a fake subscriber written for single events so it
  also answers the outbox's batch requests, one entry per event.
- :func:`sqlite_fixtures` — the ``migrated_template`` and ``data_dir`` fixtures of a
  service's tests: its database migrated once per run, a fresh copy for every test.
- :func:`wait_until` — poll a condition with a deadline instead of sleeping.
- :func:`run_concurrently` — run calls on threads all at once (races, locks).
- :func:`free_port` — a free TCP port on loopback.
- :func:`postgres_database` — a fresh PostgreSQL database on the local test server,
  dropped afterwards; skipped on a developer machine without the server, a failure in
  CI (``CI`` set), where a missing database must never pass silently.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mubayiro.common.http import PeerClient
from mubayiro.common.tokens import ServiceTokenProvider, TokenVerifier

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient


_Client = TypeVar("_Client", bound=PeerClient)


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class TestKeys:
    """A signing key for tests, with helpers to mint tokens of every kind."""

    __test__ = False  # not a pytest test class

    def __init__(self, *, issuer: str = "mubayiro-auth", kid: str | None = None):
        self.issuer = issuer
        self.kid = kid or uuid.uuid4().hex[:16]
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private_pem = self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def jwks(self) -> dict[str, Any]:
        """The public key as a JWKS document."""
        numbers = self.private_key.public_key().public_numbers()
        return {
            "keys": [
                {"kty": "RSA", "kid": self.kid, "use": "sig", "alg": "RS256",
                 "n": _b64(numbers.n), "e": _b64(numbers.e)}
            ]
        }

    def verifier(self) -> TokenVerifier:
        """A verifier that trusts exactly this key."""
        return TokenVerifier(issuer=self.issuer, jwks=self.jwks)

    def token(self, claims: dict[str, Any], *, audience: str = "mubayiro",
              expires_in: int = 600, headers: dict[str, Any] | None = None) -> str:
        """Sign ``claims`` (plus iss/aud/iat/exp/jti) with this key."""
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": audience, "iat": now, "exp": now + expires_in,
                   "jti": uuid.uuid4().hex, **claims}
        return jwt.encode(payload, self.private_key, algorithm="RS256",
                          headers={"kid": self.kid, **(headers or {})})

    def business_token(self, business_id: int, *, staff_id: int | None = None,
                       staff_role: str | None = None, **kw: Any) -> str:
        """A business token for ``business_id``; with ``staff_id`` and ``staff_role``
        (``owner`` or ``cashier``) a staff member's, as auth issues them, else a token
        from before staff accounts (read as the owner's)."""
        claims: dict[str, Any] = {"sub": f"business:{business_id}", "role": "business",
                                  "business_id": business_id}
        if staff_id is not None or staff_role is not None:
            claims.update(staff_id=staff_id, staff_role=staff_role)
        return self.token(claims, **kw)

    def customer_token(self, phone: str, **kw: Any) -> str:
        """A customer token for the E.164 ``phone``."""
        return self.token({"sub": f"customer:{phone}", "role": "customer",
                           "phone_number": phone}, **kw)

    def service_token(self, client_id: str = "test", **kw: Any) -> str:
        """A service token (internal audience) for ``client_id``."""
        kw.setdefault("audience", "mubayiro-internal")
        return self.token({"sub": f"service:{client_id}", "role": "service",
                           "client_id": client_id}, **kw)


class CachingKeys(TestKeys):
    """``TestKeys`` that reuse minted tokens of the default lifetime (they live 10 minutes).

    A token asked for with an explicit ``expires_in`` (expired-token tests) is always new.
    """

    __test__ = False

    def __init__(self, **kw: Any):
        super().__init__(**kw)
        self._cache: dict[str, str] = {}
        self._cache_lock = threading.Lock()

    def token(self, claims: dict[str, Any], **kw: Any) -> str:
        """Sign ``claims`` once per distinct request; later calls get the same token."""
        if "expires_in" in kw:
            return super().token(claims, **kw)
        key = json.dumps([claims, kw], sort_keys=True)
        with self._cache_lock:
            if key not in self._cache:
                self._cache[key] = super().token(claims, **kw)
            return self._cache[key]


class PeerApps(httpx.BaseTransport):
    """Routes each request by host to a real app running in process (a peer of the
    service under test), records it, and can play a host that is down.

    An app is added with :meth:`serve` and started on the first request to its host
    (inside a ``TestClient``: its lifespan runs, so it is migrated and its workers run),
    so a test that never calls the peer never pays for starting it;
    :meth:`stop` (or leaving its ``with`` block) stops what started. With ``keys``,
    ``POST /auth/token`` on ``auth_host`` answers a service token signed by the test
    key, the way auth would: apps under test trust that key, so the token endpoint is
    the one part of auth a test need not run. Faults (timeouts, 5xx) are for
    ``httpx.MockTransport``, not this.
    """

    def __init__(self, *, keys: TestKeys | None = None, auth_host: str = "auth.test"):
        self.keys = keys
        self.auth_host = auth_host
        #: ``"METHOD host/path"`` of every request, in order.
        self.calls: list[str] = []
        #: Hosts whose requests fail as if nothing listened there.
        self.down: set[str] = set()
        self._factories: dict[str, Callable[[], FastAPI]] = {}
        self._clients: dict[str, TestClient] = {}
        self._stack = ExitStack()
        self._lock = threading.RLock()

    def serve(self, host: str, factory: Callable[[], FastAPI]) -> None:
        """Serve ``host`` with the app ``factory`` builds on the host's first request."""
        self._factories[host] = factory

    def client(self, host: str) -> TestClient:
        """The started app of ``host`` (started now if it was not yet)."""
        from fastapi.testclient import TestClient

        with self._lock:
            if host not in self._clients:
                app = self._factories[host]()
                self._clients[host] = self._stack.enter_context(TestClient(app))
            return self._clients[host]

    def peer_client(self, cls: type[_Client], host: str, *, service: str | None) -> _Client:
        """A ``cls`` client onto ``host`` through this transport, with ``service``'s token
        (none when ``service`` is None), no retry pauses, closed by :meth:`stop`."""
        client = cls(
            f"http://{host}", transport=self, backoff_seconds=0,
            token_provider=self.tokens(service) if service is not None else None)
        self._stack.callback(client.close)
        return client

    def tokens(self, client_id: str) -> ServiceTokenProvider:
        """``client_id``'s service-token provider, fetching through this transport."""
        http = httpx.Client(transport=self)
        self._stack.callback(http.close)
        return ServiceTokenProvider(
            token_url=f"http://{self.auth_host}/auth/token", client_id=client_id,
            client_secret=f"dev-secret-{client_id}", http=http)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` with the app of its host (see class doc)."""
        host, path = request.url.host, request.url.path
        with self._lock:
            self.calls.append(f"{request.method} {host}{path}")
        if host in self.down:
            raise httpx.ConnectError(f"{host} is down", request=request)
        if self.keys is not None and host == self.auth_host and path == "/auth/token":
            form = dict(httpx.QueryParams(request.read().decode()))
            return httpx.Response(200, json={
                "access_token": self.keys.service_token(form["client_id"]),
                "token_type": "bearer", "expires_in": 600})
        if host not in self._factories:
            raise httpx.ConnectError(f"nothing serves {host}", request=request)
        resp = self.client(host).request(
            request.method, request.url.raw_path.decode(),
            headers=dict(request.headers), content=request.read())
        return httpx.Response(resp.status_code, headers=resp.headers, content=resp.content)

    def close(self) -> None:
        """Nothing: httpx calls this when *a client using the transport* closes (an app
        under test shutting down), and that must not stop the peers every other client
        still uses — or stop an app from inside its own shutdown. :meth:`stop` does."""

    def stop(self) -> None:
        """Stop every app that was started (and close the clients made here)."""
        with self._lock:
            self._clients.clear()
            self._stack.close()

    def __enter__(self) -> PeerApps:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def one_event_at_a_time(
    handler: Callable[[httpx.Request], httpx.Response],
) -> Callable[[httpx.Request], httpx.Response]:
    """An ``httpx.MockTransport`` handler that splits a batch delivery
    (``POST …/internal/events/batch``) into one request per envelope for ``handler`` —
    same URL and headers, the envelope as the body — and answers with the batch's
    per-event results built from each answer (2xx: taken; a refusal: ``refused`` with its
    status code; anything else: ``failed``). Other requests go to ``handler`` unchanged.
    """
    from mubayiro.common.events import EVENTS_BATCH_PATH, is_refusal

    def split(request: httpx.Request) -> httpx.Response:
        if request.method != "POST" or request.url.path != EVENTS_BATCH_PATH:
            return handler(request)
        results = []
        for envelope in json.loads(request.content)["events"]:
            single = httpx.Request("POST", request.url, headers=request.headers,
                                   content=json.dumps(envelope).encode())
            answer = handler(single)
            answer.read()
            entry: dict[str, Any] = {"id": envelope.get("id")}
            if answer.is_success:
                said = answer.json() if answer.content else {}
                entry["status"] = said.get("status", "processed")
            else:
                entry.update(status="refused" if is_refusal(answer.status_code) else "failed",
                             status_code=answer.status_code, detail=answer.text[:200])
            results.append(entry)
        return httpx.Response(200, json={"results": results})

    return split


def _b64url(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def broken_business_tokens(keys: TestKeys) -> dict[str, str | None]:
    """One business token (for business 1) of each broken kind an attacker would try,
    by name: missing, garbage, forged (another key, same ``kid``), expired, another
    audience, a service token (internal audience), another issuer, ``alg: none``, HS256
    keyed with the RSA public key (the RS/HS confusion attack), an unknown ``kid``.
    Every one must be 401 on every route; make them once (RSA keys are slow)."""
    import hashlib
    import hmac

    now = int(time.time())
    claims = {"iss": keys.issuer, "aud": "mubayiro", "iat": now, "exp": now + 600,
              "sub": "business:1", "role": "business", "business_id": 1}
    public_pem = keys.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = _b64url({"alg": "HS256", "typ": "JWT", "kid": keys.kid})
    body = _b64url(claims)
    signature = hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return {
        "missing": None,
        "garbage": "not.a.token",
        "forged": TestKeys(kid=keys.kid).business_token(1),
        "expired": keys.business_token(1, expires_in=-60),
        "wrong audience": keys.business_token(1, audience="someone-else"),
        "service audience": keys.service_token("loyalty"),
        "wrong issuer": TestKeys(issuer="evil", kid=keys.kid).business_token(1),
        "alg none": f"{_b64url({'alg': 'none', 'typ': 'JWT', 'kid': keys.kid})}.{body}.",
        "hs256 with public key":
            f"{header}.{body}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}",
        "unknown kid": TestKeys().business_token(1),
    }


def sqlite_fixtures(alembic_ini: Path, filename: str) -> tuple[Any, Any]:
    """The ``migrated_template`` and ``data_dir`` fixtures of a service's tests.

    ``migrated_template`` (once per run) is a SQLite file ``filename`` migrated to head
    with ``alembic_ini``: migrating from scratch is most of an app's start-up time.
    ``data_dir`` (per test) is the test's ``tmp_path`` holding a fresh copy of it, where
    the app's settings point; the app still runs its migrations at start (finding
    nothing to do). In a ``conftest.py``::

        migrated_template, data_dir = sqlite_fixtures(ALEMBIC_INI, "reports.db")
    """
    import pytest

    from mubayiro.common.db import run_migrations

    @pytest.fixture(scope="session", name="migrated_template")
    def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
        """A SQLite file migrated to head, copied by ``data_dir`` for every test."""
        path = tmp_path_factory.mktemp("template") / filename
        run_migrations(alembic_ini, f"sqlite:///{path.as_posix()}")
        return path

    @pytest.fixture(name="data_dir")
    def data_dir(tmp_path: Path, migrated_template: Path) -> Path:
        """This test's data folder, holding a fresh copy of the migrated database."""
        shutil.copyfile(migrated_template, tmp_path / filename)
        return tmp_path

    return migrated_template, data_dir


def wait_until(condition: Callable[[], Any], *, timeout: float = 10.0,
               interval: float = 0.05, message: str = "condition") -> Any:
    """Poll ``condition`` until it returns a truthy value; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as exc:  # the condition may fail until the system is ready
            last_error = exc
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}" + (
        f" (last error: {last_error!r})" if last_error else ""))


def run_concurrently(*calls: Callable[[], object]) -> None:
    """Run each call on its own thread, every thread started before any is waited for;
    return once all have ended. For tests of what simultaneous writers or requests do to
    each other (a call records its own outcome: what it returns is dropped)."""
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


POSTGRES_ADMIN_DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=3"


@contextmanager
def postgres_database(prefix: str = "mubayiro_test") -> Iterator[str]:
    """Create an empty database on the local PostgreSQL server; yield its SQLAlchemy URL.

    Raises:
        pytest.skip.Exception: no server and not in CI (a developer machine).
        RuntimeError: no server in CI.
    """
    import psycopg
    import pytest

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise RuntimeError("CI needs the PostgreSQL server at 127.0.0.1:5432") from exc
        pytest.skip("no PostgreSQL server at 127.0.0.1:5432 (this fails in CI)")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_url_fixture(prefix: str) -> Any:
    """A ``pg_url`` fixture: the URL of a fresh, empty PostgreSQL database per test.

    In a test module: ``pg_url = postgres_url_fixture("reports_test")`` (see
    :func:`postgres_database` for the skip outside CI).
    """
    import pytest

    @pytest.fixture(name="pg_url")
    def pg_url() -> Iterator[str]:
        """The URL of a fresh, empty PostgreSQL database."""
        with postgres_database(prefix) as url:
            yield url

    return pg_url


def alembic_config(alembic_ini: Path, url: str) -> Any:
    """A service's Alembic configuration pointed at ``url``, for migration tests."""
    from alembic.config import Config

    config = Config(str(alembic_ini))
    config.set_main_option("script_location", str(alembic_ini.parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["configure_logging"] = False
    return config


@contextmanager
def migrated_to(alembic_ini: Path, url: str, revision: str) -> Iterator[tuple[Any, Any]]:
    """The database at ``url`` upgraded to ``revision``: ``(alembic config, engine)`` for a
    migration test that writes rows as that revision knows them, then upgrades (or goes
    down and up) with the config and reads them back; the engine is disposed after."""
    from alembic import command
    from sqlalchemy import create_engine

    config = alembic_config(alembic_ini, url)
    command.upgrade(config, revision)
    engine = create_engine(url)
    try:
        yield config, engine
    finally:
        engine.dispose()


def schema_differences(url: str, metadata: Any) -> list[Any]:
    """What differs between the database at ``url`` and the models' ``metadata`` (Alembic's
    autogenerate comparison): ``[]`` when the migrations build exactly what the models say."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(compare_metadata(MigrationContext.configure(connection), metadata))
    finally:
        engine.dispose()
