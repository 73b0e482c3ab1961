"""Command line of the auth service: ``serve`` (default), ``migrate``, ``outbox``, and the
operator's ``approve``, ``suspend`` and ``businesses`` (:mod:`mubayiro.auth.operator.cli`).

The parsing, serving and the operator's ``outbox list|retry|discard`` (dead letters
of this service's queues) are shared: see :mod:`mubayiro.common.cli`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from mubayiro.auth.config import AuthSettings
from mubayiro.auth.main import ALEMBIC_INI
from mubayiro.auth.models import QUEUES
from mubayiro.auth.operator.cli import COMMANDS
from mubayiro.common.cli import run_service_cli


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the auth API, migrate its database, handle its dead letters, or approve,
    suspend and list businesses.

    Returns the exit status.
    """
    return run_service_cli(
        "auth", settings_factory=AuthSettings, alembic_ini=ALEMBIC_INI, queues=QUEUES,
        commands=COMMANDS, argv=argv,
    )


if __name__ == "__main__":
    sys.exit(main())
