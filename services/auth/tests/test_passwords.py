"""Password hashing with the real Argon2id parameters."""

from __future__ import annotations

import pytest
from passlib.context import CryptContext

from mubayiro.auth import passwords


@pytest.fixture
def real_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo the cheap test parameters of conftest for this module's tests."""
    monkeypatch.setattr(passwords, "pwd_context",
                        CryptContext(schemes=["argon2"], deprecated="auto"))
    passwords._dummy_hash.cache_clear()


def test_hashes_are_argon2id_and_verify(real_hashing):
    hashed = passwords.hash_password("s3cret password")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_or_dummy("s3cret password", hashed)
    assert not passwords.verify_or_dummy("s3cret passwore", hashed)


def test_an_unknown_account_is_checked_against_a_dummy_hash(real_hashing):
    assert not passwords.verify_or_dummy("anything 1", None)
    assert passwords._dummy_hash().startswith("$argon2id$")


def test_a_corrupt_stored_hash_is_a_plain_mismatch():
    assert not passwords.verify_or_dummy("anything 1", "not-a-hash")
