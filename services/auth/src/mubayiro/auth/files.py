"""Private files that hold development secrets (the signing key, the OTP pepper).

Development and test keep their generated secrets under ``data_dir/auth/`` so they
survive a restart. A file is created once, atomically and private from the start: the
content goes to a temporary file made by :func:`tempfile.mkstemp` (mode 0600), which is
then hard-linked into place. The link fails if the file appeared meanwhile, so two
processes starting together both end up reading the first one's secret.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def create_private_file(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` (mode 0600) unless the file exists; True if written here.

    Raises:
        OSError: the folder cannot be created or written.
    """
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # fails if another process created the file first
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(tmp)
