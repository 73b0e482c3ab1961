"""Path normalisation and the /internal guard, without a server."""

from __future__ import annotations

import pytest

from mubayiro.gateway.paths import PathRefused, clean_path


@pytest.mark.parametrize(("raw", "path", "forwarded"), [
    (b"/", "/", "/"),
    (b"/auth/me", "/auth/me", "/auth/me"),
    (b"/admin/", "/admin/", "/admin/"),
    (b"//auth//me", "/auth/me", "/auth/me"),
    (b"/customers/points/%2B263771234567", "/customers/points/+263771234567",
     "/customers/points/%2B263771234567"),
    (b"/businesses?q=1", "/businesses?q=1", "/businesses?q=1"),  # no query split here
    (b"/caf%C3%A9", "/caf\u00e9", "/caf%C3%A9"),
    (b"/international", "/international", "/international"),
])
def test_clean_paths(raw: bytes, path: str, forwarded: str) -> None:
    clean = clean_path(raw)
    assert (clean.path, clean.raw) == (path, forwarded)


@pytest.mark.parametrize("raw", [
    b"/internal", b"/internal/", b"/internal/events", b"/INTERNAL/x", b"/%69nternal/x",
    b"/%49nternal/x", b"//internal/x", b"/auth/../internal/x", b"/auth/%2e%2e/internal/x",
    b"/auth/%2E%2E/internal", b"/./internal", b"/a/b/../../internal", b"/../internal",
    b"/internal;x", b"/internalx",
])
def test_internal_in_any_disguise_is_404(raw: bytes) -> None:
    with pytest.raises(PathRefused) as refused:
        clean_path(raw)
    assert refused.value.status_code == 404
    assert refused.value.error == "NotFound"


@pytest.mark.parametrize("raw", [
    b"/auth/../businesses", b"/auth/./me", b"/auth/%2e/me", b"/a%2Fb", b"/a%5Cb", b"/a%00b",
    b"/%ff", b"auth/me", b"/caf\xc3\xa9",
])
def test_suspicious_paths_are_400(raw: bytes) -> None:
    with pytest.raises(PathRefused) as refused:
        clean_path(raw)
    assert refused.value.status_code == 400
    assert refused.value.error == "BadRequest"
