"""One-time codes: how they are made, and how they are stored without being stored.

**Making.** A code is six decimal digits drawn with :mod:`secrets` (uniform over
000000–999999, leading zeros kept: it is a string, never a number).

**Storing.** The ``customer_otp`` table keeps only
``HMAC-SHA256(otp_secret, "<E.164 phone>:<code>")`` in hex. Verifying recomputes it and
compares with :func:`hmac.compare_digest`, which takes the same time wherever the first
difference is.

**Why a keyed HMAC and not a slow password hash (Argon2, bcrypt).** A slow hash protects
a secret from offline guessing by making each guess expensive. Here it cannot: there are
only 10^6 codes, so even at 0.1 s a guess a leaked hash falls in about a day on one
core, while every verify would burn that 0.1 s on the server. What protects a code is
elsewhere:

- *online*, the server caps guessing: five tries per code, three codes per phone per
  15 minutes, five minutes of life (see :mod:`mubayiro.auth.otp.service`);
- *offline*, the pepper: ``otp_secret`` lives in the service's configuration, never in
  the database, so a leaked table (a backup, an SQL injection elsewhere) holds HMACs
  that cannot be checked against any guess without the key. Putting the phone in the
  message also makes the same code under two phones hash differently.

The pepper is ``AUTH_OTP_SECRET`` in production (the settings refuse to start without
a real one). In development and test it is 32 random bytes generated once into
``data_dir/auth/otp_secret`` (mode 0600, next to the development signing key), so codes
survive a restart. Changing the pepper only invalidates codes in flight (five minutes).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from pathlib import Path

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.files import create_private_file

logger = logging.getLogger(__name__)

CODE_LENGTH = 6
_CODE_SPACE = 10**CODE_LENGTH


def generate_code() -> str:
    """A fresh six-digit code from the operating system's CSPRNG."""
    return f"{secrets.randbelow(_CODE_SPACE):0{CODE_LENGTH}d}"


class OtpHasher:
    """The keyed hash that stands for a code in the database (see the module doc)."""

    def __init__(self, secret: bytes):
        if not secret:
            raise ValueError("the OTP secret must not be empty")
        self._secret = secret

    def digest(self, phone_number: str, code: str) -> str:
        """Hex HMAC-SHA256 of ``"<phone>:<code>"`` under the server's secret."""
        message = f"{phone_number}:{code}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def matches(self, stored_hash: str, phone_number: str, code: str) -> bool:
        """True when ``code`` is the code behind ``stored_hash`` for this phone."""
        return hmac.compare_digest(stored_hash, self.digest(phone_number, code))


def load_or_create_secret_file(path: Path) -> bytes:
    """Read the development OTP pepper at ``path``, generating it (mode 0600) if missing.

    Raises:
        ValueError: the file exists but is empty.
    """
    if create_private_file(path, secrets.token_hex(32).encode("ascii")):
        logger.info("generated a development OTP secret", extra={"path": str(path)})
    secret = path.read_bytes().strip()
    if not secret:
        raise ValueError(f"the OTP secret file {path} is empty")
    return secret


def hasher_from_settings(settings: AuthSettings) -> OtpHasher:
    """The hasher keyed with ``otp_secret``, or in development with the pepper file.

    Raises:
        RuntimeError: production without ``otp_secret`` (the settings prevent it).
        ValueError: the development pepper file is unusable.
    """
    configured = settings.otp_secret.get_secret_value().strip() if settings.otp_secret else ""
    if configured:
        return OtpHasher(configured.encode())
    if not settings.is_development:
        raise RuntimeError("AUTH_OTP_SECRET is required in production")
    return OtpHasher(load_or_create_secret_file(settings.otp_secret_file))
