"""Forwarding a request to a service with ``httpx``, streaming both ways.

What the upstream receives: the method, the (possibly rewritten) path, the query string
as sent, the body as it arrives (never read whole into memory), and the client's headers
minus the hop-by-hop ones (RFC 9110 §7.6.1, plus any the ``Connection`` header names).
``Host`` is the upstream's own, the client's goes in ``X-Forwarded-Host``; like Traefik
without trusted proxies, incoming ``X-Forwarded-*``/``Forwarded`` headers are dropped and
set afresh, so a client cannot forge its address. ``X-Request-ID`` is the id of the
request (adopted or made up by ``RequestIdMiddleware``), so the service logs the same id.

Failures before the response starts have the platform's JSON error shape: a service that
cannot be reached is a 502, one that does not answer within the read timeout a 504. Once
the response has started, a failure can only cut the connection (raising), so the client
sees a truncated response instead of a complete-looking wrong one.

While the response streams, a watcher waits for the client to go away and then stops the
copy at once, so a long-lived stream (server-sent events) does not outlive its reader.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import anyio
import httpx
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from mubayiro.common.errors import error_body
from mubayiro.common.logs import current_request_id
from mubayiro.gateway.routes import Target

logger = logging.getLogger(__name__)

#: Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus
#: ``expect`` (the gateway answers 100-continue itself).
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
    "te", "trailer", "transfer-encoding", "upgrade", "expect",
})
#: Request headers the gateway sets itself.
_REPLACED_REQUEST = frozenset({
    "host", "x-request-id", "forwarded", "x-forwarded-for", "x-forwarded-proto",
    "x-forwarded-host", "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-server",
    "x-real-ip", "x-replaced-path",
})
#: Response headers the gateway's server sets itself (RequestIdMiddleware adds the id).
_REPLACED_RESPONSE = frozenset({"x-request-id", "date", "server"})


class ClientDisconnected(Exception):
    """The client went away while its request body was being forwarded."""


def _connection_tokens(headers: list[tuple[bytes, bytes]]) -> set[str]:
    tokens: set[str] = set()
    for name, value in headers:
        if name.lower() == b"connection":
            tokens.update(t.strip().lower() for t in value.decode("latin-1").split(","))
    return tokens


def _host_and_port(scope: Scope) -> tuple[str, str]:
    """The Host the client asked for, and the port it connected to."""
    host = ""
    for name, value in scope["headers"]:
        if name == b"host":
            host = value.decode("latin-1")
            break
    server = scope.get("server") or ("", 443)
    if not host:
        host = f"{server[0]}:{server[1]}"
    # `[::1]:8443`, `localhost:8443`, `localhost`: the port is after the last colon
    # outside brackets; without one, the port the connection came in on.
    bracket = host.rfind("]")
    colon = host.rfind(":")
    port = host[colon + 1:] if colon > bracket else str(server[1])
    return host, port


def upstream_headers(scope: Scope, target: Target) -> list[tuple[bytes, bytes]]:
    """The headers to send upstream: the client's, cleaned, plus the forwarding ones."""
    incoming: list[tuple[bytes, bytes]] = scope["headers"]
    drop = HOP_BY_HOP | _REPLACED_REQUEST | _connection_tokens(incoming)
    headers = [(n, v) for n, v in incoming if n.decode("latin-1").lower() not in drop]
    host, port = _host_and_port(scope)
    client = scope.get("client")
    extra = [
        ("x-forwarded-for", client[0] if client else "unknown"),
        ("x-forwarded-proto", scope.get("scheme", "https")),
        ("x-forwarded-host", host),
        ("x-forwarded-port", port),
        ("x-request-id", current_request_id() or ""),
        *target.headers,
    ]
    headers.extend((n.encode("latin-1"), v.encode("latin-1")) for n, v in extra if v)
    return headers


def response_headers(response: httpx.Response) -> list[tuple[bytes, bytes]]:
    """The upstream's response headers minus hop-by-hop ones and those set here."""
    raw = response.headers.raw
    drop = HOP_BY_HOP | _REPLACED_RESPONSE | _connection_tokens(raw)
    return [(n.lower(), v) for n, v in raw if n.decode("latin-1").lower() not in drop]


def _has_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() != b"0"):
            return True
    return False


async def _request_body(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected
        chunk = message.get("body", b"")
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


async def send_error(scope: Scope, receive: Receive, send: Send, status_code: int,
                     detail: str, error: str) -> None:
    """Answer with the platform's JSON error shape."""
    await JSONResponse(error_body(detail, error), status_code=status_code)(scope, receive, send)


class Proxy:
    """Forwards requests to upstream base URLs through one pooled ``httpx.AsyncClient``."""

    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def forward(self, scope: Scope, receive: Receive, send: Send, *, service: str,
                      base_url: str, target: Target) -> None:
        """Send ``target`` to ``base_url`` and stream the answer back to the client."""
        query = f"?{target.query}" if target.query else ""
        url = base_url.rstrip("/") + target.raw_path + query
        # httpx.Request, not client.build_request: the client's default headers (its own
        # User-Agent, Accept-Encoding, ...) must not be added to the client's request.
        request = httpx.Request(
            target.method,
            url,
            headers=upstream_headers(scope, target),
            content=_request_body(receive) if _has_body(scope) else None,
        )
        try:
            response = await self.client.send(request, stream=True)
        except ClientDisconnected:
            return
        except httpx.TimeoutException:
            logger.warning("upstream %s timed out", service, extra={"upstream": service})
            await send_error(scope, receive, send, 504,
                             f"The {service} service did not answer in time", "GatewayTimeout")
            return
        except httpx.TransportError as exc:
            logger.warning("upstream %s unavailable: %r", service, exc,
                           extra={"upstream": service})
            await send_error(scope, receive, send, 502,
                             f"The {service} service is unavailable", "BadGateway")
            return
        try:
            await send({
                "type": "http.response.start",
                "status": response.status_code,
                "headers": response_headers(response),
            })
            await self._stream(response, receive, send, service)
        finally:
            await response.aclose()

    async def _stream(self, response: httpx.Response, receive: Receive, send: Send,
                      service: str) -> None:
        failure: Exception | None = None
        async with anyio.create_task_group() as tasks:

            async def stop_when_client_leaves() -> None:
                # The request body is fully sent by now (HTTP/1.1 sends it before reading
                # the response), so receive() has nothing left but the disconnect.
                while True:
                    message: Message = await receive()
                    if message["type"] == "http.disconnect":
                        tasks.cancel_scope.cancel()
                        return

            tasks.start_soon(stop_when_client_leaves)
            try:
                async for chunk in response.aiter_raw():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            except httpx.HTTPError as exc:
                failure = exc
            tasks.cancel_scope.cancel()
        if failure is not None:
            logger.warning("upstream %s failed mid-response: %r", service, failure,
                           extra={"upstream": service})
            # Raising makes the server drop the connection: the client must not take a
            # cut-off body for a complete one.
            raise failure
