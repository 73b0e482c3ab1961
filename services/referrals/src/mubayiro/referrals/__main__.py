"""Command line of the referrals service: ``serve`` (default), ``migrate`` or ``outbox``.

The parsing, serving and the operator's ``outbox list|retry|discard`` (dead letters
of this service's queues) are shared: see :mod:`mubayiro.common.cli`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from mubayiro.common.cli import run_service_cli
from mubayiro.referrals.config import ALEMBIC_INI, ReferralsSettings
from mubayiro.referrals.models import QUEUES


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the referrals API, migrate its database or handle its dead letters.

    Returns the exit status.
    """
    return run_service_cli(
        "referrals", settings_factory=ReferralsSettings, alembic_ini=ALEMBIC_INI, queues=QUEUES,
        argv=argv,
    )


if __name__ == "__main__":
    sys.exit(main())
