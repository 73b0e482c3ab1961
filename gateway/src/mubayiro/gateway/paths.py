"""Request path normalisation, and the ``/internal`` guard that depends on it.

Routing on a path the upstream will read differently is how path-based guards get
bypassed (``/auth/../internal/x``, ``/%69nternal/x``, ``//internal/x``). So before any
rule is matched the raw request path is split into segments, each segment is
percent-decoded once, and:

- empty segments (``//``) are dropped, as Traefik's ``sanitizePath`` does;
- a decoded segment holding ``/``, ``\\`` or a NUL (an encoded slash and friends) is
  refused with 400 — upstreams would split it differently;
- ``.`` and ``..`` segments are refused: with 404 when the path they resolve to is under
  ``/internal``, else with 400 (browsers resolve dot segments before sending, so only
  hand-made requests have them);
- a path whose first segment starts with ``internal`` (any case) is refused with 404, the
  same answer as an unknown route.

Rules then match the decoded path, and the upstream receives the raw segments joined
again, so a percent-encoded ``+`` in a phone number reaches the service as sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote


@dataclass(frozen=True)
class CleanPath:
    """A normalised request path: ``path`` decoded (for routing), ``raw`` as forwarded."""

    path: str
    raw: str


class PathRefused(Exception):
    """The path is not routed; carries the status and the JSON error's detail and name."""

    def __init__(self, status_code: int, detail: str, error: str):
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail
        self.error = error


def _not_found() -> PathRefused:
    return PathRefused(404, "Not Found", "NotFound")


def is_internal(segments: list[str]) -> bool:
    """Whether decoded path ``segments`` name an ``/internal`` route (never routed)."""
    return bool(segments) and segments[0].lower().startswith("internal")


def _resolve_dots(segments: list[str]) -> list[str]:
    out: list[str] = []
    for segment in segments:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    return out


def clean_path(raw_path: bytes | str) -> CleanPath:
    """Normalise a raw request path (without the query string).

    Raises:
        PathRefused: 404 for ``/internal`` in any disguise; 400 for dot segments, encoded
            slashes, invalid percent-encoding or a path not starting with ``/``.
    """
    if isinstance(raw_path, bytes):
        try:
            raw = raw_path.decode("ascii")
        except UnicodeDecodeError:
            raise PathRefused(400, "The path must be ASCII (percent-encode the rest)",
                              "BadRequest") from None
    else:
        raw = raw_path
    if not raw.startswith("/"):
        raise PathRefused(400, "The path must start with /", "BadRequest")

    raw_segments = [s for s in raw.split("/")[1:] if s]
    trailing_slash = raw.endswith("/") and bool(raw_segments)
    decoded: list[str] = []
    for segment in raw_segments:
        try:
            value = unquote(segment, errors="strict")
        except UnicodeDecodeError:
            raise PathRefused(400, "The path is not valid percent-encoded UTF-8",
                              "BadRequest") from None
        if any(ch in value for ch in ("/", "\\", "\x00")):
            raise PathRefused(400, "Encoded slashes are not allowed in the path", "BadRequest")
        decoded.append(value)

    if any(s in (".", "..") for s in decoded):
        if is_internal(_resolve_dots(decoded)):
            raise _not_found()
        raise PathRefused(400, "Paths with . or .. segments are refused", "BadRequest")
    if is_internal(decoded):
        raise _not_found()

    tail = "/" if trailing_slash else ""
    return CleanPath("/" + "/".join(decoded) + tail, "/" + "/".join(raw_segments) + tail)
