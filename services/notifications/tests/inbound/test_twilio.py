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


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-Forwarded-Proto": "https", "X-Forwarded-Host": "loyalty.example.com",
          "X-Forwarded-Port": "443"}, "https://loyalty.example.com/sms/inbound"),
        # The dev gateway sends the Host with its port; Traefik may not.
        ({"X-Forwarded-Proto": "https", "X-Forwarded-Host": "localhost:8443",
          "X-Forwarded-Port": "8443"}, "https://localhost:8443/sms/inbound"),
        ({"X-Forwarded-Proto": "https", "X-Forwarded-Host": "loyalty.example.com:443",
          "X-Forwarded-Port": "443"}, "https://loyalty.example.com/sms/inbound"),
        ({"X-Forwarded-Proto": "http", "X-Forwarded-Host": "loyalty.example.com",
          "X-Forwarded-Port": "80"}, "http://loyalty.example.com/sms/inbound"),
        ({"X-Forwarded-Proto": "http", "X-Forwarded-Host": "loyalty.example.com",
          "X-Forwarded-Port": "443"}, "http://loyalty.example.com:443/sms/inbound"),
        ({"X-Forwarded-Proto": "https", "X-Forwarded-Host": "loyalty.example.com"},
         "https://loyalty.example.com/sms/inbound"),
        ({"X-Forwarded-Proto": "HTTPS", "X-Forwarded-Host": "a.example, b.internal",
          "X-Forwarded-Port": "8443, 443"}, "https://a.example:8443/sms/inbound"),
        ({"X-Forwarded-Proto": "https", "X-Forwarded-Host": "[2001:db8::1]:8443",
          "X-Forwarded-Port": "8443"}, "https://[2001:db8::1]:8443/sms/inbound"),
        ({"X-Forwarded-Proto": "https", "X-Forwarded-Host": "[2001:db8::1]",
          "X-Forwarded-Port": "443"}, "https://[2001:db8::1]/sms/inbound"),
        ({"X-Forwarded-Proto": "https", "X-Forwarded-Host": "example.com",
          "X-Forwarded-Prefix": "/api/"}, "https://example.com/api/sms/inbound"),
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
