"""The code scheme: six random digits, an HMAC bound to the phone, the pepper's source."""

from __future__ import annotations

import re
import stat

import pytest

from mubayiro.auth.otp.codes import (
    OtpHasher,
    generate_code,
    hasher_from_settings,
    load_or_create_secret_file,
)


def test_codes_are_six_digits_and_vary():
    codes = [generate_code() for _ in range(500)]
    assert all(re.fullmatch(r"[0-9]{6}", c) for c in codes)
    assert len(set(codes)) > 490


def test_leading_zeros_are_kept(monkeypatch):
    monkeypatch.setattr("mubayiro.auth.otp.codes.secrets.randbelow", lambda _n: 42)
    assert generate_code() == "000042"


def test_the_hash_depends_on_the_phone_the_code_and_the_secret():
    hasher = OtpHasher(b"secret one")
    digest = hasher.digest("+263771234567", "123456")
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert hasher.digest("+263772000111", "123456") != digest
    assert hasher.digest("+263771234567", "123457") != digest
    assert OtpHasher(b"secret two").digest("+263771234567", "123456") != digest
    assert hasher.matches(digest, "+263771234567", "123456")
    assert not hasher.matches(digest, "+263771234567", "654321")
    assert not OtpHasher(b"secret two").matches(digest, "+263771234567", "123456")


def test_an_empty_secret_is_refused():
    with pytest.raises(ValueError, match="empty"):
        OtpHasher(b"")


def test_the_development_secret_is_generated_private_and_reused(tmp_path):
    path = tmp_path / "auth" / "otp_secret"
    first = load_or_create_secret_file(path)
    assert len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret_file(path) == first
    assert list(path.parent.iterdir()) == [path]  # no temporary file left


def test_an_empty_secret_file_refuses_to_start(tmp_path):
    path = tmp_path / "otp_secret"
    path.write_text("\n")
    with pytest.raises(ValueError, match="empty"):
        load_or_create_secret_file(path)


def test_a_configured_secret_wins_over_the_file(make_settings):
    settings = make_settings(otp_secret="a-configured-secret-of-32-characters!")
    hasher = hasher_from_settings(settings)
    assert hasher.digest("+263771234567", "123456") == OtpHasher(
        b"a-configured-secret-of-32-characters!").digest("+263771234567", "123456")
    assert not settings.otp_secret_file.exists()


def test_development_uses_the_secret_file(make_settings):
    settings = make_settings()
    hasher = hasher_from_settings(settings)
    secret = settings.otp_secret_file.read_bytes()
    assert hasher.digest("+263771234567", "1") == OtpHasher(secret).digest("+263771234567", "1")
