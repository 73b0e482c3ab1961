"""Rebuilding the public URL Twilio called, from the gateway's forwarded headers."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from mubayiro.notifications.inbound.twilio import public_url


def _request(headers: dict[str, str], *, path: str = "/sms/inbound", query: str = "",
             scheme: str = "http", server: tuple[str, int] = ("127.0.0.1", 8103)) -> Request:
    return Request({
        "type": "http", "method": "POST", "scheme": scheme, "server": server,
        "path": path, "raw_path": path.encode(), "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    })


def _forwarded(proto: str, host: str, port: str | None = None, *,
               prefix: str | None = None) -> dict[str, str]:
    """The ``X-Forwarded-*`` headers a proxy in front of notifications sends."""
    headers = {"X-Forwarded-Proto": proto, "X-Forwarded-Host": host}
    if port is not None:
        headers["X-Forwarded-Port"] = port
    if prefix is not None:
        headers["X-Forwarded-Prefix"] = prefix
    return headers


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (_forwarded("https", "loyalty.example.com", "443"),
         "https://loyalty.example.com/sms/inbound"),
        # The dev gateway sends the Host with its port; Traefik may not.
        (_forwarded("https", "localhost:8443", "8443"), "https://localhost:8443/sms/inbound"),
        (_forwarded("https", "loyalty.example.com:443", "443"),
         "https://loyalty.example.com/sms/inbound"),
        (_forwarded("http", "loyalty.example.com", "80"), "http://loyalty.example.com/sms/inbound"),
        (_forwarded("http", "loyalty.example.com", "443"),
         "http://loyalty.example.com:443/sms/inbound"),
        (_forwarded("https", "loyalty.example.com"), "https://loyalty.example.com/sms/inbound"),
        (_forwarded("HTTPS", "a.example, b.internal", "8443, 443"),
         "https://a.example:8443/sms/inbound"),
        (_forwarded("https", "[2001:db8::1]:8443", "8443"),
         "https://[2001:db8::1]:8443/sms/inbound"),
        (_forwarded("https", "[2001:db8::1]", "443"), "https://[2001:db8::1]/sms/inbound"),
        (_forwarded("https", "example.com", prefix="/api/"), "https://example.com/api/sms/inbound"),
        ({"Host": "127.0.0.1:8103"}, "http://127.0.0.1:8103/sms/inbound"),
    ],
)
def test_public_url_from_forwarded_headers(headers, expected):
    assert public_url(_request(headers), None) == expected


def test_query_string_is_kept_as_sent():
    request = _request({"X-Forwarded-Proto": "https", "X-Forwarded-Host": "example.com"},
                       query="a=1&b=%20x")

    assert public_url(request, None) == "https://example.com/sms/inbound?a=1&b=%20x"


def test_public_base_url_wins_over_the_headers():
    request = _request({"X-Forwarded-Proto": "http", "X-Forwarded-Host": "internal:8080"},
                       query="x=1")

    assert public_url(request, "https://sms.example.org") == (
        "https://sms.example.org/sms/inbound?x=1")
