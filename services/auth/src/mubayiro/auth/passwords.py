"""Password hashing for business logins: Argon2id through passlib's ``CryptContext``.

The ``libpass`` distribution is the maintained fork of passlib and imports as
``passlib``. Verifying a password takes a deliberate ~0.1 s; :func:`verify_or_dummy`
spends the same time when the email is unknown, so a login's timing does not tell
whether an account exists.
"""

from __future__ import annotations

from functools import cache

from passlib.context import CryptContext

pwd_context = CryptContext(schemes=["argon2"], deprecated="auto")


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (salted, parameters embedded)."""
    # passlib ships no types: its answers are Any to mypy, and str/bool here at runtime.
    return str(pwd_context.hash(password))


@cache
def _dummy_hash() -> str:
    return str(pwd_context.hash("dummy password 0 for unknown emails"))


def verify_or_dummy(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches ``password_hash``.

    With no hash (unknown email) the password is checked against a dummy hash, which
    takes as long, and the answer is always False.
    """
    if password_hash is None:
        pwd_context.verify(password, _dummy_hash())
        return False
    try:
        return bool(pwd_context.verify(password, password_hash))
    except ValueError:
        # A malformed stored hash must not become a 500 or a way in.
        return False
