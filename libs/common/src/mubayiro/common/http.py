"""The HTTP client services use to call each other.

:class:`PeerClient` wraps ``httpx.Client`` with what every peer call needs:
explicit timeouts; the current request id passed on as ``X-Request-ID``; a service
token from :class:`~mubayiro.common.tokens.ServiceTokenProvider` (fetched again once
if the peer answers 401); retries with backoff for calls that are safe to repeat
(GET/PUT/DELETE, or any call carrying an ``Idempotency-Key``) when the peer is down
or answers 502/503/504; and the peer's error shape decoded into a local error.

Subclass it per peer in a service's ``clients/`` package with typed methods.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from mubayiro.common.errors import (
    AppError,
    BadRequest,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    UpstreamError,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from mubayiro.common.logs import REQUEST_ID_HEADER, current_request_id
from mubayiro.common.tokens import ServiceTokenProvider

_SAFE_TO_REPEAT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
_RETRY_STATUSES = {502, 503, 504}
# Peer answers whose meaning is the same here; others become a 502.
_PASS_THROUGH: dict[int, type[AppError]] = {
    400: BadRequest,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: InvalidInput,
    429: TooManyRequests,
}


class PeerError(AppError):
    """A peer's 4xx answer re-raised locally, keeping the peer's status, detail and name."""

    def __init__(self, status_code: int, detail: str, error: str):
        self.status_code = status_code
        self._error = error
        super().__init__(detail)

    @property
    def error(self) -> str:
        return self._error


def decode_error(response: httpx.Response, peer: str) -> AppError:
    """Turn a peer's error response into the local error with the same meaning."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("detail") if isinstance(body, dict) else None
    name = body.get("error") if isinstance(body, dict) else None
    status = response.status_code
    if status in _PASS_THROUGH:
        return PeerError(
            status,
            detail if isinstance(detail, str) else f"{peer} refused the request",
            name if isinstance(name, str) else _PASS_THROUGH[status].__name__,
        )
    if status == 503:
        return UpstreamUnavailable(f"{peer} is unavailable")
    if status == 504:
        return UpstreamTimeout(f"{peer} did not answer in time")
    return UpstreamError(f"{peer} answered {status}")


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
    ) -> httpx.Response:
        """Send a request; return the response when it is 2xx.

        Raises:
            PeerError: the peer refused with a 4xx that means the same here.
            UpstreamError: any other non-2xx answer (502).
            UpstreamUnavailable: the peer could not be reached (503).
            UpstreamTimeout: the peer did not answer in time (504).
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
            raise decode_error(resp, self.peer_name)

    def get_json(self, path: str, **kwargs: Any) -> Any:
        """GET and decode the JSON body (errors as in :meth:`request`)."""
        return self.request("GET", path, **kwargs).json()

    def post_json(self, path: str, **kwargs: Any) -> Any:
        """POST and decode the JSON body (errors as in :meth:`request`)."""
        return self.request("POST", path, **kwargs).json()
