"""How much a first load weighs as it crosses the network (issue 16, "fast on a slow phone").

Both web apps are measured the same way: a fresh browser profile (nothing cached) loads the
app through the gateway, which compresses; every request the page made is counted twice, as
transferred (the compressed body plus the response headers, what a slow phone waits for)
and as decoded (the bytes the browser works with). Chromium's own account of the same load
(Resource Timing's ``transferSize``) is kept beside it as a cross-check. The figures go to
``test-artifacts/<name>.json`` with the command that measured them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Request

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
#: Encodings that count as compressed (Traefik's compress middleware picks one of them).
COMPRESSED = ("br", "gzip", "zstd")


@dataclass
class LoadWeight:
    """Every file of one load: bytes transferred and decoded, and its content encoding."""

    transferred: dict[str, int] = field(default_factory=dict)
    decoded: dict[str, int] = field(default_factory=dict)
    encodings: dict[str, str | None] = field(default_factory=dict)
    resource_types: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    #: The same load as Chromium's Resource Timing counts it (navigations and resources).
    timing_transferred: int = 0
    #: Decoded sizes by request, for a later ``weigh`` of the same page (see there).
    decoded_by_request: dict[int, int] = field(default_factory=dict)

    @property
    def total_transferred(self) -> int:
        """Bytes that crossed the network, headers included."""
        return sum(self.transferred.values())

    @property
    def total_decoded(self) -> int:
        """Bytes after decompression."""
        return sum(self.decoded.values())

    def report(self, *, measured: str, budget: int, **more: object) -> dict[str, object]:
        """The figures as the artifact and a failing assertion show them."""
        return {
            "measured": measured,
            "transferred_bytes": self.total_transferred,
            "transferred_bytes_resource_timing": self.timing_transferred,
            "transfer_budget_bytes": budget,
            "decoded_bytes": self.total_decoded,
            **more,
            "files": {path: {"type": self.resource_types[path],
                             "status": self.statuses[path],
                             "transferred": self.transferred[path],
                             "decoded": self.decoded[path],
                             "encoding": self.encodings[path]} for path in self.decoded},
        }


def record_requests(page: Page) -> list[Request]:
    """Start listing every request ``page`` makes (call before its first navigation)."""
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    return requests


def weigh(page: Page, requests: list[Request], origin: str,
          earlier: LoadWeight | None = None) -> LoadWeight:
    """Weigh ``requests`` (all finished, all of ``origin``: anything else fails the test).

    A path asked for twice counts twice: the phone downloads it twice. Chromium keeps a
    document's body only until the app moves on, so a load weighed in steps (the sign-in
    page, then the till) passes the ``earlier`` step, whose bodies were read in time.
    """
    foreign = [r.url for r in requests if not r.url.startswith(("data:", origin + "/"))]
    assert foreign == [], f"requests to another origin: {foreign}"
    weight = LoadWeight()
    for index, request in enumerate(r for r in requests if not r.url.startswith("data:")):
        response = request.response()
        assert response is not None, f"no answer (yet) to {request.url}"
        path = urlsplit(request.url).path
        key = path if path not in weight.decoded else f"{path} #{index}"
        sizes = request.sizes()  # as received: the (compressed) body plus the headers
        weight.transferred[key] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        known = earlier.decoded_by_request.get(id(request)) if earlier else None
        weight.decoded[key] = known if known is not None else _decoded_size(page, request)
        weight.decoded_by_request[id(request)] = weight.decoded[key]
        weight.encodings[key] = response.header_value("content-encoding")
        weight.resource_types[key] = request.resource_type
        weight.statuses[key] = response.status
    weight.timing_transferred = page.evaluate("""() => [
        ...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource'),
    ].reduce((sum, entry) => sum + entry.transferSize, 0)""")
    return weight


def _decoded_size(page: Page, request: Request) -> int:
    """The body's size after decompression: read from the response while Chromium keeps it,
    else as Resource Timing recorded it (``decodedBodySize``; an API answer whose page state
    the app has since replaced)."""
    try:
        return len(request.response().body())  # type: ignore[union-attr]  # checked by weigh
    except PlaywrightError:
        sizes = page.evaluate(
            "url => performance.getEntriesByName(url).map(e => e.decodedBodySize)", request.url)
        assert sizes, f"neither the body nor a timing entry of {request.url}"
        return int(sizes[-1])


def save_report(name: str, report: dict[str, object]) -> None:
    """Write ``report`` to ``test-artifacts/<name>.json`` (kept by CI)."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
