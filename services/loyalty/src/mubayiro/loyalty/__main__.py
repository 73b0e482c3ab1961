"""Command line of the loyalty service: ``serve`` (default), ``migrate``, ``outbox`` or
``limits``.

The parsing, serving and the operator's ``outbox list|retry|discard`` (dead letters
of this service's queues) are shared: see :mod:`mubayiro.common.cli`. ``limits`` shows
or sets a business's award limits (:mod:`mubayiro.loyalty.operator.cli`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from mubayiro.common.cli import run_service_cli
from mubayiro.loyalty.config import ALEMBIC_INI, LoyaltySettings
from mubayiro.loyalty.models import QUEUES
from mubayiro.loyalty.operator.cli import COMMANDS


def main(argv: Sequence[str] | None = None, *, settings: LoyaltySettings | None = None) -> int:
    """Serve the loyalty API, migrate its database, handle its dead letters or set a
    business's award limits (``settings``: instead of the environment's, for tests).

    Returns the exit status.
    """
    return run_service_cli(
        "loyalty", settings_factory=lambda: settings or LoyaltySettings(),
        alembic_ini=ALEMBIC_INI, queues=QUEUES, commands=COMMANDS, argv=argv,
    )


if __name__ == "__main__":
    sys.exit(main())
