"""The HTTP client services use to call each other.

:class:`PeerClient` wraps ``httpx.Client`` with what every peer call needs:
explicit timeouts; the current request id passed on as ``X-Request-ID``; a service
token from :class:`~mubayiro.common.tokens.ServiceTokenProvider` (fetched again once
if the peer answers 401); retries with backoff for calls that are safe to repeat
(GET/PUT/DELETE, or any call carrying an ``Idempotency-Key``) when the peer is down
or answers 502/503/504; and the peer's answer turned into what the caller may see.

What a caller sees of a peer's failure. A peer's refusal is *not* the caller's error:
a 404 from loyalty because our own URL is wrong, or a 403 because our service token
lacks a scope, must not reach a customer as "not found" or "forbidden". So by default
every non-2xx answer becomes a 5xx here:

- a 4xx → :class:`PeerRefused` (a 502 :class:`UpstreamError`), which keeps the peer's
  status, error name and detail for logs and for callers that judge them (a queue
  worker deciding between retry and dead letter);
- 503 → 503 :class:`UpstreamUnavailable`, 504 or a timeout → 504
  :class:`UpstreamTimeout`, an unreachable peer → 503, any other answer → 502.

A client method that knows what a peer's refusal means passes ``errors``: the peer's
*error name* (``BusinessNotFound``, ``IdempotencyKeyReused``) mapped to the local error
with the same meaning, and ``none_if``: the names that mean "there is none" (the method
then returns ``None``). Names, not statuses: a 404 ``NotFound`` from a missing route is
a broken contract (502), while a 404 ``CustomerNotFound`` is an answer.

Subclass it per peer in a service's ``clients/`` package with typed methods built on
:meth:`PeerClient.call`, which also checks the answer's shape (a 502 when it breaks
the contract).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypedDict, TypeVar, Unpack, overload

import httpx
from pydantic import TypeAdapter, ValidationError

from mubayiro.common.errors import (
    AppError,
    UpstreamError,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from mubayiro.common.logs import REQUEST_ID_HEADER, current_request_id
from mubayiro.common.tokens import ServiceTokenProvider

_T = TypeVar("_T")

_SAFE_TO_REPEAT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
_RETRY_STATUSES = {502, 503, 504}

#: What a client method maps a peer's error name to: a local error class (built with
#: the peer's detail) or a function building the local error from the refusal.
ErrorMapping = Mapping[str, "type[AppError] | Callable[[PeerRefused], AppError]"]


class _CallOptions(TypedDict, total=False):
    """The keyword arguments :meth:`PeerClient.call` passes on to its request."""

    json: Any
    params: dict[str, Any] | None
    headers: dict[str, str] | None
    errors: ErrorMapping | None
    action: str | None


class PeerRefused(UpstreamError):
    """A peer refused a call with a 4xx no client method mapped: a 502 for our caller.

    ``peer_status``, ``peer_error`` and ``peer_detail`` are the peer's own answer; the
    caller gets a 502 ``UpstreamError`` whose detail names them.
    """

    def __init__(self, peer: str, status: int, error: str, detail: str, *,
                 action: str = "the request"):
        super().__init__(f"{peer} refused {action} ({status} {error}: {detail})")
        self.peer_status = status
        self.peer_error = error
        self.peer_detail = detail

    @property
    def error(self) -> str:
        """Callers see the platform's name for a failing peer (docs/api.md), not ours."""
        return "UpstreamError"


def decode_error(
    response: httpx.Response, peer: str, *, action: str = "the request"
) -> AppError:
    """The local error for a peer's non-2xx ``response`` when no mapping applies
    (``action`` names what was asked, for the message)."""
    status = response.status_code
    if 400 <= status < 500:
        name, detail = _error_name_and_detail(response)
        return PeerRefused(
            peer, status, name or f"HTTP{status}", detail or "no detail", action=action
        )
    if status == 503:
        return UpstreamUnavailable(f"{peer} is unavailable")
    if status == 504:
        return UpstreamTimeout(f"{peer} did not answer in time")
    return UpstreamError(f"{peer} answered {status}")


def _error_name_and_detail(response: httpx.Response) -> tuple[str | None, str | None]:
    """The ``error`` and ``detail`` of the platform's error shape, when the body has it."""
    try:
        body = response.json()
    except ValueError:
        return None, None
    if not isinstance(body, dict):
        return None, None
    name, detail = body.get("error"), body.get("detail")
    return (name if isinstance(name, str) else None, detail if isinstance(detail, str) else None)


class PeerClient:
    """A client for one peer service (base URL), optionally authenticated as this service."""

    peer_name = "peer"

    def __init__(
        self,
        base_url: str,
        *,
        token_provider: ServiceTokenProvider | None = None,
        timeout: float = 5.0,
        retries: int = 2,
        backoff_seconds: float = 0.1,
        transport: httpx.BaseTransport | None = None,
    ):
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
            transport=transport,
        )
        self._tokens = token_provider
        self._retries = retries
        self._backoff = backoff_seconds

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = dict(extra or {})
        # The request being served (Starlette copies it into a sync route's thread), or
        # the queue worker's attempt (mubayiro.common.queue gives each attempt one).
        rid = current_request_id()
        if rid:
            headers.setdefault(REQUEST_ID_HEADER, rid)
        if self._tokens is not None:
            headers["Authorization"] = f"Bearer {self._tokens.token()}"
        return headers

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        errors: ErrorMapping | None = None,
        action: str | None = None,
    ) -> httpx.Response:
        """Send a request; return the response when it is 2xx.

        ``action`` names what is asked in error messages ("the ledger page after id 5");
        by default the method and path.

        Raises:
            AppError: the local error ``errors`` maps the peer's error name to.
            PeerRefused: any other 4xx (502).
            UpstreamError: any other non-2xx answer (502).
            UpstreamUnavailable: the peer could not be reached, or answered 503.
            UpstreamTimeout: the peer did not answer in time, or answered 504.
        """
        method = method.upper()
        repeatable = method in _SAFE_TO_REPEAT or any(
            k.lower() == "idempotency-key" for k in (headers or {})
        )
        attempts = 1 + (self._retries if repeatable else 0)
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = self._client.request(
                    method, path, json=json, params=params, headers=self._headers(headers)
                )
            except httpx.TimeoutException as exc:
                if attempt < attempts:
                    time.sleep(self._backoff * 2 ** (attempt - 1))
                    continue
                raise UpstreamTimeout(f"{self.peer_name} did not answer in time") from exc
            except httpx.TransportError as exc:
                if attempt < attempts:
                    time.sleep(self._backoff * 2 ** (attempt - 1))
                    continue
                raise UpstreamUnavailable(f"{self.peer_name} is unavailable") from exc
            if resp.status_code == 401 and self._tokens is not None and not refreshed:
                self._tokens.invalidate()
                refreshed = True
                attempt -= 1
                continue
            if resp.status_code in _RETRY_STATUSES and attempt < attempts:
                time.sleep(self._backoff * 2 ** (attempt - 1))
                continue
            if resp.is_success:
                return resp
            raise self._local_error(resp, errors or {}, action or f"{method} {path}")

    def _local_error(
        self, response: httpx.Response, errors: ErrorMapping, action: str
    ) -> AppError:
        """``errors``' local error for the peer's error name, else :func:`decode_error`'s."""
        error = decode_error(response, self.peer_name, action=action)
        if not isinstance(error, PeerRefused) or error.peer_error not in errors:
            return error
        local = errors[error.peer_error]
        mapped = local(error.peer_detail) if isinstance(local, type) else local(error)
        mapped.__cause__ = error
        return mapped

    @overload
    def call(self, method: str, path: str, shape: type[_T], *, none_if: None = None,
             **options: Unpack[_CallOptions]) -> _T: ...

    @overload
    def call(self, method: str, path: str, shape: type[_T], *, none_if: Collection[str],
             **options: Unpack[_CallOptions]) -> _T | None: ...

    def call(
        self,
        method: str,
        path: str,
        shape: type[_T],
        *,
        none_if: Collection[str] | None = None,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        errors: ErrorMapping | None = None,
        action: str | None = None,
    ) -> _T | None:
        """Send a request and return its JSON body checked against ``shape``.

        ``shape`` is anything pydantic validates (a model, ``list[Model]``, ``dict``).
        ``none_if`` names the peer's errors that mean "there is none": the answer is then
        ``None``. Other errors as in :meth:`request`.

        Raises:
            UpstreamError: the body is not JSON or does not have ``shape`` (502), naming
                the first problems.
        """
        action = action or f"{method.upper()} {path}"
        try:
            response = self.request(
                method, path, json=json, params=params, headers=headers, errors=errors,
                action=action,
            )
        except PeerRefused as exc:
            if none_if is not None and exc.peer_error in none_if:
                return None
            raise
        try:
            data = response.json()
        except ValueError as exc:
            raise UpstreamError(
                f"{self.peer_name} answered {action} with a body that is not JSON"
            ) from exc
        try:
            return TypeAdapter(shape).validate_python(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
                for e in exc.errors()[:5]
            )
            raise UpstreamError(
                f"{self.peer_name}'s answer to {action} breaks the contract: {problems}"
            ) from exc
